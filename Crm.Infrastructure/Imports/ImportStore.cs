using Crm.Core.Common;
using Crm.Core.Imports;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Imports;

/// <summary>Batch lookups through EF Core; writes through the writer that suits the provider.</summary>
public sealed class ImportStore(CrmDatabase database, IImportBatchWriter writer) : IImportStore
{
    public async Task<IReadOnlyDictionary<string, ITrackedRecord>> FindExistingAsync(ImportContext context, IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        await using var db = database.Create(context.Actor);
        return await ImportLookups.FindExistingAsync(db, context, keys, ct);
    }

    public async Task<(IReadOnlyDictionary<string, long> ByName, IReadOnlyDictionary<string, long> ByDomain)> FindAccountsAsync(
        long workspaceId, IReadOnlyCollection<string>? names, IReadOnlyCollection<string>? domains, CancellationToken ct)
    {
        await using var db = database.Create(Actor.System(workspaceId));
        return await ImportLookups.FindAccountsAsync(db, names, domains, ct);
    }

    public async Task<IReadOnlyDictionary<string, long>> FindContactsByEmailAsync(long workspaceId, IReadOnlyCollection<string> emails, CancellationToken ct)
    {
        await using var db = database.Create(Actor.System(workspaceId));
        return await ImportLookups.FindContactsByEmailAsync(db, emails, ct);
    }

    public Task<IImportWriter> OpenWriterAsync(ImportContext context, CancellationToken ct) => writer.OpenAsync(context, ct);
}

/// <summary>Claims, finishes and releases import jobs with guarded single statements.</summary>
public sealed class ImportJobStore(CrmDatabase database) : IImportJobStore
{
    public async Task<ImportJob?> ClaimAsync(long importId, string runnerId, TimeSpan staleAfter, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = database.Create(Actor.Anonymous);
        var stale = now - staleAfter;
        var claimed = await db.ImportJobs.IgnoreQueryFilters()
            .Where(j => j.Id == importId
                        && (j.Status == ImportStatus.Queued || j.Status == ImportStatus.Running && (j.RunnerId == null || j.HeartbeatAt == null || j.HeartbeatAt < stale)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, ImportStatus.Running)
                .SetProperty(j => j.RunnerId, runnerId)
                .SetProperty(j => j.HeartbeatAt, now)
                .SetProperty(j => j.StartedAt, j => j.StartedAt ?? now)
                .SetProperty(j => j.Attempts, j => j.Attempts + 1)
                .SetProperty(j => j.UpdatedAt, now), ct);
        if (claimed == 0) return null;
        return await db.ImportJobs.IgnoreQueryFilters().AsNoTracking().SingleAsync(j => j.Id == importId, ct);
    }

    public async Task<ImportJob?> GetAsync(long importId, CancellationToken ct)
    {
        await using var db = database.Create(Actor.Anonymous);
        return await db.ImportJobs.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(j => j.Id == importId, ct);
    }

    public async Task SetTotalRowsAsync(long importId, int totalRows, CancellationToken ct)
    {
        await using var db = database.Create(Actor.Anonymous);
        await db.ImportJobs.IgnoreQueryFilters().Where(j => j.Id == importId).ExecuteUpdateAsync(s => s.SetProperty(j => j.TotalRows, totalRows), ct);
    }

    public async Task FinishAsync(long importId, string runnerId, ImportStatus status, string? failureReason, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = database.Create(Actor.Anonymous);
        await db.ImportJobs.IgnoreQueryFilters().Where(j => j.Id == importId && j.RunnerId == runnerId).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, status)
            .SetProperty(j => j.FailureReason, failureReason)
            .SetProperty(j => j.CompletedAt, now)
            .SetProperty(j => j.HeartbeatAt, now)
            .SetProperty(j => j.RunnerId, (string?)null)
            .SetProperty(j => j.UpdatedAt, now), ct);
    }

    public async Task ReleaseAsync(long importId, string runnerId, CancellationToken ct)
    {
        await using var db = database.Create(Actor.Anonymous);
        await db.ImportJobs.IgnoreQueryFilters().Where(j => j.Id == importId && j.RunnerId == runnerId)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.RunnerId, (string?)null), ct);
    }

    public async Task<IReadOnlyList<StalledImport>> FindStalledAsync(TimeSpan staleAfter, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = database.Create(Actor.Anonymous);
        var stale = now - staleAfter;
        var jobs = await db.ImportJobs.IgnoreQueryFilters()
            .Where(j => j.Status == ImportStatus.Queued && j.UpdatedAt < stale
                        || j.Status == ImportStatus.Running && (j.RunnerId == null || j.HeartbeatAt == null || j.HeartbeatAt < stale)
                        || j.Status == ImportStatus.RollingBack && j.RollbackAttempts < RollbackRunner.MaxAttempts
                           && (j.RunnerId == null && (j.HeartbeatAt == null || j.UpdatedAt < stale)
                               || j.RunnerId != null && (j.HeartbeatAt == null || j.HeartbeatAt < stale)))
            .Select(j => new { j.Id, j.WorkspaceId, j.Status })
            .ToListAsync(ct);
        return jobs.Select(j => new StalledImport(j.Id, j.WorkspaceId, j.Status == ImportStatus.RollingBack)).ToList();
    }

    public async Task<ImportJob?> ClaimRollbackAsync(long importId, string runnerId, TimeSpan staleAfter, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = database.Create(Actor.Anonymous);
        var stale = now - staleAfter;
        var claimed = await db.ImportJobs.IgnoreQueryFilters()
            .Where(j => j.Id == importId && j.Status == ImportStatus.RollingBack && (j.RunnerId == null || j.HeartbeatAt == null || j.HeartbeatAt < stale))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.RunnerId, runnerId)
                .SetProperty(j => j.HeartbeatAt, now)
                .SetProperty(j => j.RollbackAttempts, j => j.RollbackAttempts + 1)
                .SetProperty(j => j.UpdatedAt, now), ct);
        if (claimed == 0) return null;
        return await db.ImportJobs.IgnoreQueryFilters().AsNoTracking().SingleAsync(j => j.Id == importId, ct);
    }

    public async Task FinishRollbackAsync(long importId, string runnerId, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = database.Create(Actor.Anonymous);
        var finished = await db.ImportJobs.IgnoreQueryFilters().Where(j => j.Id == importId && j.RunnerId == runnerId && j.Status == ImportStatus.RollingBack)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, ImportStatus.RolledBack)
                .SetProperty(j => j.RolledBackAt, now)
                .SetProperty(j => j.RollbackError, (string?)null)
                .SetProperty(j => j.RunnerId, (string?)null)
                .SetProperty(j => j.HeartbeatAt, now)
                .SetProperty(j => j.UpdatedAt, now), ct);
        if (finished == 0) throw new ImportClaimLostException(importId);
    }

    public async Task ReleaseRollbackAsync(long importId, string runnerId, string? error, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = database.Create(Actor.Anonymous);
        await db.ImportJobs.IgnoreQueryFilters().Where(j => j.Id == importId && j.RunnerId == runnerId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.RunnerId, (string?)null)
                .SetProperty(j => j.RollbackError, error)
                // No heartbeat: resumed at once (a shutdown); with one, after the stale period (an error, retried later).
                .SetProperty(j => j.HeartbeatAt, error == null ? (DateTimeOffset?)null : now)
                .SetProperty(j => j.UpdatedAt, now), ct);
    }
}
