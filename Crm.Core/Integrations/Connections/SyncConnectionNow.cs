using Crm.Core.Common;

namespace Crm.Core.Integrations.Connections;

/// <summary>"Sync now": the connection's run starts at once (after one already going), unless it is paused or waits for a reconnect.</summary>
public sealed class SyncConnectionNowHandler(ICrmDbFactory dbFactory, IConnectionSchedule schedule)
{
    public async Task<IntegrationView> HandleAsync(long integrationId, CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            var connection = await ConnectionAccess.LoadAsync(db, integrationId, ct);
            var refusal = connection switch
            {
                { Status: ConnectionStatus.Disconnected } => "This connection is disconnected; connect it again first.",
                { Status: ConnectionStatus.NeedsReconnect } => "This connection needs a reconnect before it can sync.",
                { PausedAt: not null } => "This connection is paused; resume it to sync.",
                _ => null,
            };
            if (refusal is not null) throw new ConflictException(refusal);
            await schedule.RunNowAsync(db.Actor.WorkspaceId, integrationId, ct);
        }
        return await ConnectionAccess.ViewAsync(dbFactory, integrationId, ct);
    }
}
