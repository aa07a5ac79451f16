using System.Text.Json;
using Crm.Core.Integrations.Connections;
using Microsoft.AspNetCore.DataProtection;

namespace Crm.Infrastructure.Integrations;

/// <summary>
/// Encrypts connection secrets with the Data Protection key ring (kept in the database, so every instance reads what
/// another wrote). The purpose string isolates these ciphertexts from cookies and anything else the ring protects.
/// </summary>
public sealed class ConnectionSecretCodec(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Crm.Integrations.ConnectionSecrets.v1");

    public string Protect(ConnectionSecrets secrets) => _protector.Protect(JsonSerializer.Serialize(secrets));

    public ConnectionSecrets Unprotect(string text) => JsonSerializer.Deserialize<ConnectionSecrets>(_protector.Unprotect(text))
                                                       ?? throw new InvalidOperationException("A stored connection secret is empty.");
}
