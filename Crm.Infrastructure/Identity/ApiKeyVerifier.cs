using Crm.Core.ApiKeys;
using Crm.Core.Common;
using Crm.Core.Users;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Identity;

public sealed record VerifiedApiKey(long KeyId, long WorkspaceId, string Name, UserRole Role);

/// <summary>Finds a presented API key by its prefix and checks its secret in constant time.</summary>
public sealed class ApiKeyVerifier(CrmDatabase database, TimeProvider time)
{
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<VerifiedApiKey?> VerifyAsync(string presented, CancellationToken ct = default)
    {
        if (!ApiKeyFormat.TryGetPrefix(presented, out var prefix)) return null;
        await using var db = database.Create(Actor.Anonymous);
        var key = await db.ApiKeys.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(k => k.Prefix == prefix, ct);
        if (key is null || key.RevokedAt is not null || !ApiKeyFormat.Matches(presented, key.SecretHash)) return null;

        var now = time.GetUtcNow();
        if (key.LastUsedAt is null || now - key.LastUsedAt > LastUsedResolution)
        {
            await using var owner = database.Create(Actor.System(key.WorkspaceId));
            await owner.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), ct);
        }
        return new VerifiedApiKey(key.Id, key.WorkspaceId, key.Name, key.Role);
    }
}
