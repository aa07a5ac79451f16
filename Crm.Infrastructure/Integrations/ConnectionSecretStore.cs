using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Integrations;

/// <summary>
/// Connection secrets encrypted with the Data Protection key ring (kept in the database, so every instance can read
/// what another wrote), stored one row per connection of the actor's workspace.
/// </summary>
public sealed class ConnectionSecretStore(ICrmDbFactory dbFactory, IDataProtectionProvider protection) : IConnectionSecrets
{
    /// <summary>The purpose string isolates these ciphertexts from cookies and anything else the key ring protects.</summary>
    private readonly IDataProtector _protector = protection.CreateProtector("Crm.Integrations.ConnectionSecrets.v1");

    public async Task SaveAsync(long integrationId, ConnectionSecrets secrets, DateTimeOffset? accessTokenExpiresAt, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        if (!await db.Integrations.AnyAsync(i => i.Id == integrationId, ct)) throw new NotFoundException("Connection", integrationId);
        var protectedText = _protector.Protect(JsonSerializer.Serialize(secrets));
        var row = await db.IntegrationCredentials.SingleOrDefaultAsync(c => c.IntegrationId == integrationId, ct);
        if (row is null) db.IntegrationCredentials.Add(row = new IntegrationCredential { IntegrationId = integrationId });
        row.Protected = protectedText;
        row.AccessTokenExpiresAt = accessTokenExpiresAt;
        await db.SaveChangesAsync(ct);
    }

    public async Task<ConnectionSecrets?> ReadAsync(long integrationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var text = await db.IntegrationCredentials.AsNoTracking().Where(c => c.IntegrationId == integrationId).Select(c => c.Protected).SingleOrDefaultAsync(ct);
        return text is null ? null : JsonSerializer.Deserialize<ConnectionSecrets>(_protector.Unprotect(text));
    }

    public async Task DeleteAsync(long integrationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        await db.IntegrationCredentials.Where(c => c.IntegrationId == integrationId).ExecuteDeleteAsync(ct);
    }
}
