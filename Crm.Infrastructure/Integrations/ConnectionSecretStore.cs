using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Integrations;

/// <summary>Connection secrets of the actor's workspace, one encrypted row per connection (<see cref="ConnectionSecretCodec"/>).</summary>
public sealed class ConnectionSecretStore(ICrmDbFactory dbFactory, ConnectionSecretCodec codec) : IConnectionSecrets
{
    public async Task SaveAsync(long integrationId, ConnectionSecrets secrets, DateTimeOffset? accessTokenExpiresAt, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        if (!await db.Integrations.AnyAsync(i => i.Id == integrationId, ct)) throw new NotFoundException("Connection", integrationId);
        var row = await db.IntegrationCredentials.SingleOrDefaultAsync(c => c.IntegrationId == integrationId, ct);
        if (row is null) db.IntegrationCredentials.Add(row = new IntegrationCredential { IntegrationId = integrationId });
        row.Protected = codec.Protect(secrets);
        row.AccessTokenExpiresAt = accessTokenExpiresAt;
        row.RefreshClaimedUntil = null;
        await db.SaveChangesAsync(ct);
    }

    public async Task<ConnectionSecrets?> ReadAsync(long integrationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var text = await db.IntegrationCredentials.AsNoTracking().Where(c => c.IntegrationId == integrationId).Select(c => c.Protected).SingleOrDefaultAsync(ct);
        return text is null ? null : codec.Unprotect(text);
    }

    public async Task DeleteAsync(long integrationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        await db.IntegrationCredentials.Where(c => c.IntegrationId == integrationId).ExecuteDeleteAsync(ct);
    }
}
