using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Integrations.Connections;

/// <summary>A connection's health as admins and its owner see it: never a secret.</summary>
public sealed record IntegrationView(
    long Id, string Provider, IntegrationType Type, string Name, bool IsActive, IntegrationAuth Auth, long? OwnerUserId, string? OwnerName,
    SyncDirection Direction, int SyncIntervalMinutes, DateTimeOffset? LastSyncAt, ConnectionStatus Status, string? ErrorMessage, int ErrorCount,
    string? AccountName, string? InstanceUrl, DateTimeOffset? ConnectedAt, bool HasCredentials, DateTimeOffset? AccessTokenExpiresAt,
    long WorkspaceId, DateTimeOffset? PausedAt, int CallsToday = 0, int? DailyCallLimit = null, string? BudgetTier = null, DateTimeOffset? InitialSyncConfirmedAt = null,
    string? HeldChange = null, int MassChangePercent = 10, string? ConflictRules = null);

/// <summary>
/// The workspace's connections: every one for an admin (the workspace's syncs and each user's mailbox and calendar);
/// for anyone else, their own.
/// </summary>
public sealed class ListIntegrationsHandler(ICrmDbFactory dbFactory, Calls.ProviderBudgets? budgets = null, TimeProvider? time = null)
{
    public async Task<IReadOnlyList<IntegrationView>> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var integrations = db.Integrations.AsNoTracking();
        if (db.Actor.Role != Users.UserRole.Admin) integrations = integrations.Where(i => i.OwnerUserId != null && i.OwnerUserId == db.Actor.UserId);
        var views = await (from i in integrations
                      join c in db.IntegrationCredentials on i.Id equals c.IntegrationId into credentials
                      from c in credentials.DefaultIfEmpty()
                      orderby i.Provider, i.Type, i.Id
                      select new IntegrationView(i.Id, i.Provider, i.Type, i.Name, i.IsActive, i.Auth, i.OwnerUserId,
                          db.Users.Where(u => u.Id == i.OwnerUserId).Select(u => u.Name).FirstOrDefault(),
                          i.Direction, i.SyncIntervalMinutes, i.LastSyncAt, i.Status, i.ErrorMessage, i.ErrorCount, i.AccountName, i.InstanceUrl, i.ConnectedAt,
                          c != null, c != null ? c.AccessTokenExpiresAt : null, i.WorkspaceId, i.PausedAt, 0, i.DailyCallLimit, i.BudgetTier, i.InitialSyncConfirmedAt, i.HeldChange, i.MassChangePercent, i.ConflictRules))
            .ToListAsync(ct);
        var today = DateOnly.FromDateTime((time ?? TimeProvider.System).GetUtcNow().UtcDateTime);
        var ids = views.Select(v => v.Id).ToList();
        var calls = await db.IntegrationUsage.AsNoTracking().Where(u => u.Day == today && ids.Contains(u.IntegrationId))
            .ToDictionaryAsync(u => u.IntegrationId, u => u.Calls, ct);
        return views.Select(v => v with { CallsToday = calls.GetValueOrDefault(v.Id), DailyCallLimit = v.DailyCallLimit ?? budgets?.For(v.Provider, v.BudgetTier).Daily }).ToList();
    }
}
