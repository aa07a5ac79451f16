using Crm.Core.Webhooks;
using Microsoft.AspNetCore.DataProtection;

namespace Crm.Infrastructure.Webhooks;

/// <summary>Webhook secrets encrypted with the Data Protection key ring, under a purpose of their own.</summary>
public sealed class WebhookSecretProtector(IDataProtectionProvider protection) : IWebhookSecretProtector
{
    private readonly IDataProtector _protector = protection.CreateProtector("Crm.Webhooks.Secrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
