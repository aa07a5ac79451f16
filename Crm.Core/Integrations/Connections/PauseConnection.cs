using Crm.Core.Common;

namespace Crm.Core.Integrations.Connections;

/// <summary>
/// Pause stops a connection's scheduled runs (and Sync now) until Resume; its tokens, cursor and links stay, so Resume
/// continues where it left off. Admins on any connection, people on their own.
/// </summary>
public sealed class PauseConnectionHandler(ICrmDbFactory dbFactory, IConnectionSchedule schedule, TimeProvider time)
{
    public async Task<IntegrationView> HandleAsync(long integrationId, bool paused, CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            var connection = await ConnectionAccess.LoadAsync(db, integrationId, ct);
            if (connection.Status == ConnectionStatus.Disconnected)
                throw new ConflictException("This connection is disconnected; connect it again instead.");
            connection.PausedAt = paused ? connection.PausedAt ?? time.GetUtcNow() : null;
            await db.SaveChangesAsync(ct);
        }
        var view = await ConnectionAccess.ViewAsync(dbFactory, integrationId, ct);
        if (paused) await schedule.StopAsync(integrationId, ct);
        else await schedule.ScheduleAsync(view, ct);
        return view;
    }
}
