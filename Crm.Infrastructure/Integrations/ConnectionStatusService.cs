using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Integrations;

/// <summary>Changes a connection's status from what its provider calls found (see <see cref="IConnectionStatus"/>).</summary>
public sealed class ConnectionStatusService(CrmDatabase database, IConnectionSchedule schedule, TimeProvider time) : IConnectionStatus
{
    /// <summary>The state row every run keeps, beside the object types' own.</summary>
    public const string ConnectionObject = "connection";

    public async Task NeedsReconnectAsync(ConnectionRef connection, string reason, CancellationToken ct = default)
    {
        await using (var db = database.Create(Actor.System(connection.WorkspaceId, ChangeSource.Sync)))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var row = await db.Integrations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == connection.IntegrationId, ct);
            await db.Integrations.Where(i => i.Id == connection.IntegrationId && i.Status != ConnectionStatus.Disconnected)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ConnectionStatus.NeedsReconnect)
                    .SetProperty(i => i.ErrorMessage, Limit(reason)).SetProperty(i => i.ErrorCount, i => i.ErrorCount + 1), ct);
            if (row is { Status: not (ConnectionStatus.NeedsReconnect or ConnectionStatus.Disconnected) })
            {
                AnnounceReconnect(db, row, reason);
                await db.SaveChangesAsync(ct);
            }
            await transaction.CommitAsync(ct);
        }
        await schedule.StopAsync(connection.IntegrationId, ct);
    }

    /// <summary>Once, when a connection starts needing its owner to sign in again (not on every failed run after).</summary>
    private void AnnounceReconnect(CrmDbContext db, Integration row, string? reason) =>
        Crm.Core.Webhooks.Outbox.Announce(db, Crm.Core.Webhooks.WebhookEventTypes.ConnectionNeedsReconnect, $"connection:{row.Id}", new
        {
            connection = new { row.Id, row.Provider, row.Type, row.Name, row.OwnerUserId, reason = reason is null ? null : Limit(reason) },
        }, time.GetUtcNow());

    public async Task FailedAsync(ConnectionRef connection, string reason, CancellationToken ct = default)
    {
        await using var db = database.Create(Actor.System(connection.WorkspaceId, ChangeSource.Sync));
        await db.Integrations.Where(i => i.Id == connection.IntegrationId && (i.Status == ConnectionStatus.Connected || i.Status == ConnectionStatus.Syncing || i.Status == ConnectionStatus.Error))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ConnectionStatus.Error)
                .SetProperty(i => i.ErrorMessage, Limit(reason)).SetProperty(i => i.ErrorCount, i => i.ErrorCount + 1), ct);
    }

    public async Task HealthyAsync(ConnectionRef connection, CancellationToken ct = default)
    {
        await using var db = database.Create(Actor.System(connection.WorkspaceId, ChangeSource.Sync));
        await db.Integrations.Where(i => i.Id == connection.IntegrationId && i.Status == ConnectionStatus.Error)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ConnectionStatus.Connected)
                .SetProperty(i => i.ErrorMessage, (string?)null).SetProperty(i => i.ErrorCount, 0), ct);
    }

    public async Task<long?> StartRunAsync(ConnectionRef connection, string trigger, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        await using var db = database.Create(Actor.System(connection.WorkspaceId, ChangeSource.Sync));
        var row = await db.Integrations.SingleOrDefaultAsync(i => i.Id == connection.IntegrationId, ct);
        if (row is not { IsActive: true, PausedAt: null } || row.Status is ConnectionStatus.NeedsReconnect or ConnectionStatus.Disconnected) return null;
        if (await db.SyncRuns.AnyAsync(r => r.IntegrationId == connection.IntegrationId && r.Outcome == SyncRunOutcome.Running, ct)) return null;
        var run = new SyncRun { IntegrationId = connection.IntegrationId, Trigger = trigger, StartedAt = now, Outcome = SyncRunOutcome.Running };
        db.SyncRuns.Add(run);
        row.Status = ConnectionStatus.Syncing;
        var state = await StateAsync(db, connection, ConnectionObject, ct);
        state.Stage = SyncStage.Syncing;
        state.StageStartedAt = now;
        await db.SaveChangesAsync(ct);
        return run.Id;
    }

    public async Task FinishRunAsync(ConnectionRef connection, long runId, SyncTotals totals, SyncRunOutcome outcome, string? error, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        await using var db = database.Create(Actor.System(connection.WorkspaceId, ChangeSource.Sync));
        var run = await db.SyncRuns.SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is not null)
        {
            run.FinishedAt = now;
            run.Outcome = outcome;
            (run.ReadIn, run.WrittenIn, run.ReadOut, run.WrittenOut) = (totals.ReadIn, totals.WrittenIn, totals.ReadOut, totals.WrittenOut);
            (run.Conflicts, run.Errors, run.ApiCalls, run.Error) = (totals.Conflicts, totals.Errors, Math.Max(0, totals.ApiCalls), error is null ? null : Limit(error));
        }
        var state = await StateAsync(db, connection, ConnectionObject, ct);
        var worked = outcome is SyncRunOutcome.Succeeded or SyncRunOutcome.PartlyFailed;
        state.Stage = worked || outcome == SyncRunOutcome.Abandoned ? SyncStage.Idle : SyncStage.Failed;
        state.StageStartedAt = now;
        state.FailuresInARow = worked ? 0 : state.FailuresInARow + 1;
        state.LastError = error is null ? null : Limit(error);
        if (worked) state.LastSyncAt = now;
        var row = await db.Integrations.SingleOrDefaultAsync(i => i.Id == connection.IntegrationId, ct);
        if (row is not null && row.Status is ConnectionStatus.Syncing or ConnectionStatus.Connected or ConnectionStatus.Error)
        {
            switch (outcome)
            {
                case SyncRunOutcome.Succeeded or SyncRunOutcome.PartlyFailed:
                    (row.Status, row.ErrorMessage, row.ErrorCount, row.LastSyncAt) = (ConnectionStatus.Connected, null, 0, now);
                    break;
                case SyncRunOutcome.Failed:
                    (row.Status, row.ErrorMessage) = (ConnectionStatus.Error, error is null ? null : Limit(error));
                    row.ErrorCount++;
                    break;
                case SyncRunOutcome.NeedsReconnect:
                    if (row.Status != ConnectionStatus.NeedsReconnect) AnnounceReconnect(db, row, error);
                    (row.Status, row.ErrorMessage) = (ConnectionStatus.NeedsReconnect, error is null ? row.ErrorMessage : Limit(error));
                    break;
                default:
                    if (row.Status == ConnectionStatus.Syncing) row.Status = row.ErrorMessage is null ? ConnectionStatus.Connected : ConnectionStatus.Error;
                    break;
            }
        }
        await db.SaveChangesAsync(ct);
    }

    public async Task SaveProgressAsync(ConnectionRef connection, string objectType, string? cursor, int read, int written, CancellationToken ct = default)
    {
        await using var db = database.Create(Actor.System(connection.WorkspaceId, ChangeSource.Sync));
        var state = await StateAsync(db, connection, objectType, ct);
        state.Cursor = cursor;
        state.RecordsRead += read;
        state.RecordsWritten += written;
        state.LastSyncAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }

    public async Task<string?> CursorAsync(ConnectionRef connection, string objectType, CancellationToken ct = default)
    {
        await using var db = database.Create(Actor.System(connection.WorkspaceId, ChangeSource.Sync));
        return await db.SyncStates.AsNoTracking().Where(s => s.IntegrationId == connection.IntegrationId && s.ObjectType == objectType).Select(s => s.Cursor).SingleOrDefaultAsync(ct);
    }

    public async Task<int> RescueStuckRunsAsync(DateTimeOffset startedBefore, CancellationToken ct = default)
    {
        List<(long WorkspaceId, long IntegrationId, long RunId)> stuck;
        await using (var db = database.Create(Actor.Anonymous))
            stuck = (await db.SyncRuns.IgnoreQueryFilters().Where(r => r.Outcome == SyncRunOutcome.Running && r.StartedAt < startedBefore)
                .Select(r => new { r.WorkspaceId, r.IntegrationId, r.Id }).ToListAsync(ct)).Select(r => (r.WorkspaceId, r.IntegrationId, r.Id)).ToList();
        foreach (var (workspaceId, integrationId, runId) in stuck)
            await FinishRunAsync(new ConnectionRef(workspaceId, integrationId, ""), runId, new SyncTotals(), SyncRunOutcome.Abandoned,
                "This run stopped without finishing (the app was stopped or crashed); the next run continues from the last saved position.", ct);
        return stuck.Count;
    }

    private static async Task<SyncState> StateAsync(CrmDbContext db, ConnectionRef connection, string objectType, CancellationToken ct)
    {
        var state = await db.SyncStates.SingleOrDefaultAsync(s => s.IntegrationId == connection.IntegrationId && s.ObjectType == objectType, ct);
        if (state is null) db.SyncStates.Add(state = new SyncState { IntegrationId = connection.IntegrationId, ObjectType = objectType });
        return state;
    }

    private static string Limit(string reason) => reason.Length <= FieldLimits.HistoryValue ? reason : reason[..(FieldLimits.HistoryValue - 1)] + "…";
}
