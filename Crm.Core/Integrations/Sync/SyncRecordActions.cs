using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Integrations.Sync;

public enum SyncRecordAction
{
    /// <summary>Try it again on the next run (its hashes are forgotten, so both sides are compared afresh).</summary>
    Retry,
    /// <summary>Leave it out of every sync until it is included again.</summary>
    Exclude,
    Include,
}

/// <summary>
/// Per-record actions on the sync health page: Retry, Exclude, Include. A retry also starts the connection's sync now
/// when it can run. Admins on any connection, people on their own.
/// </summary>
public sealed class ActOnSyncRecordHandler(ICrmDbFactory dbFactory, IConnectionSchedule schedule)
{
    public async Task<SyncRecordProblem> HandleAsync(long integrationId, long syncRecordId, SyncRecordAction action, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var connection = await ConnectionAccess.LoadAsync(db, integrationId, ct);
        var record = await db.SyncRecords.SingleOrDefaultAsync(r => r.Id == syncRecordId && r.IntegrationId == integrationId, ct)
                     ?? throw new NotFoundException("Synced record", syncRecordId);
        switch (action)
        {
            case SyncRecordAction.Exclude:
                record.Status = SyncRecordStatus.Excluded;
                break;
            case SyncRecordAction.Retry or SyncRecordAction.Include:
                if (action == SyncRecordAction.Retry && record.Status == SyncRecordStatus.Excluded)
                    throw new ConflictException("This record is excluded from sync; include it first.");
                record.Status = SyncRecordStatus.InSync;
                record.LocalHash = null;
                record.RemoteHash = null;
                record.LastError = null;
                record.ErrorCount = 0;
                break;
            default:
                throw new ValidationFailedException(new Dictionary<string, string[]> { ["Action"] = ["Choose retry, exclude or include."] });
        }
        await db.SaveChangesAsync(ct);
        if (action == SyncRecordAction.Retry && connection is { Status: ConnectionStatus.Connected or ConnectionStatus.Error, PausedAt: null, IsActive: true })
            await schedule.RunNowAsync(db.Actor.WorkspaceId, integrationId, ct);
        return new SyncRecordProblem(record.Id, record.RecordType, record.RecordId, record.ExternalId, record.Status, record.LastError, record.ErrorCount, record.LastAttemptAt);
    }
}
