using Crm.Core.Common;
using Crm.Core.Imports;
using Crm.Core.Runs;
using Crm.Infrastructure.Persistence;
using Crm.Infrastructure.Runs;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Imports;

/// <summary>The import row as its runs move it; the ending writes check the run's lease in the same transaction.</summary>
public sealed class ImportJobStore(CrmDatabase database) : IImportJobStore
{
    private static IQueryable<ImportJob> Jobs(CrmDbContext db) => db.ImportJobs.IgnoreQueryFilters();

    public async Task<ImportJob?> GetAsync(long importId, CancellationToken ct)
    {
        await using var db = database.Create(Actor.Anonymous);
        return await Jobs(db).AsNoTracking().SingleOrDefaultAsync(j => j.Id == importId, ct);
    }

    public async Task StartAsync(long importId, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = database.Create(Actor.Anonymous);
        await Jobs(db).Where(j => j.Id == importId && (j.Status == ImportStatus.Queued || j.Status == ImportStatus.Running))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, ImportStatus.Running)
                .SetProperty(j => j.StartedAt, j => j.StartedAt ?? now)
                .SetProperty(j => j.UpdatedAt, now), ct);
    }

    public async Task SetTotalRowsAsync(long importId, int totalRows, CancellationToken ct)
    {
        await using var db = database.Create(Actor.Anonymous);
        await Jobs(db).Where(j => j.Id == importId).ExecuteUpdateAsync(s => s.SetProperty(j => j.TotalRows, totalRows), ct);
    }

    public async Task FinishAsync(long importId, RunLease lease, ImportStatus status, string? failureReason, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = database.Create(Actor.System(await WorkspaceOfAsync(importId, ct)));
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await RunService.BeatWithinAsync(db, lease, new RunProgress("Finishing", 0), now, ct)) throw new ImportClaimLostException(importId);
        await Jobs(db).Where(j => j.Id == importId).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, status)
            .SetProperty(j => j.FailureReason, failureReason)
            .SetProperty(j => j.CompletedAt, now)
            .SetProperty(j => j.UpdatedAt, now), ct);
        await AnnounceAsync(db, importId, Crm.Core.Webhooks.WebhookEventTypes.ImportCompleted, now, ct);
        await transaction.CommitAsync(ct);
    }

    public async Task FinishRollbackAsync(long importId, RunLease lease, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = database.Create(Actor.System(await WorkspaceOfAsync(importId, ct)));
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await RunService.BeatWithinAsync(db, lease, new RunProgress("Finishing", 0), now, ct)) throw new ImportClaimLostException(importId);
        var finished = await Jobs(db).Where(j => j.Id == importId && j.Status == ImportStatus.RollingBack)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, ImportStatus.RolledBack)
                .SetProperty(j => j.RolledBackAt, now)
                .SetProperty(j => j.UpdatedAt, now), ct);
        if (finished == 0) throw new ImportClaimLostException(importId);
        await AnnounceAsync(db, importId, Crm.Core.Webhooks.WebhookEventTypes.ImportRolledBack, now, ct);
        await transaction.CommitAsync(ct);
    }

    private async Task<long> WorkspaceOfAsync(long importId, CancellationToken ct)
    {
        await using var db = database.Create(Actor.Anonymous);
        return await Jobs(db).Where(j => j.Id == importId).Select(j => j.WorkspaceId).SingleAsync(ct);
    }

    /// <summary>The import's outcome as an event, in the transaction that records it (one event, however many rows).</summary>
    private static async Task AnnounceAsync(CrmDbContext db, long importId, string type, DateTimeOffset now, CancellationToken ct)
    {
        var job = await Jobs(db).AsNoTracking().Where(j => j.Id == importId)
            .Select(j => new { j.Id, j.ObjectType, j.Status, j.FileName, j.TotalRows, j.RowsCreated, j.RowsUpdated, j.RowsSkipped, j.RowsFailed, j.FailureReason, j.RollbackDeleted, j.RollbackRestored })
            .SingleAsync(ct);
        Crm.Core.Webhooks.Outbox.Announce(db, type, $"import:{importId}", new { import = job }, now);
        await db.SaveChangesAsync(ct);
    }
}
