using Crm.Core.Common;
using Microsoft.Extensions.Logging;

namespace Crm.Core.Imports;

/// <summary>What rolling back would do, and the records people changed since the import, so they can choose.</summary>
public sealed class PreviewRollbackHandler(ICrmDbFactory dbFactory, IImportRollbackStore rollback)
{
    public async Task<RollbackPreview> HandleAsync(long importId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var job = await db.ImportJobs.GetAsync(importId, "Import", ct);
        RollbackRules.EnsureCanRollBack(job);
        return await rollback.PreviewAsync(job, ct);
    }
}

/// <summary>
/// Undoes a completed, cancelled or failed import in the background: records it created are deleted, records it
/// updated get their previous values back field by field. Records changed since are kept as they are unless
/// <paramref name="restoreChanged"/> is set.
/// </summary>
public sealed class StartRollbackHandler(ICrmDbFactory dbFactory, IImportScheduler scheduler)
{
    public async Task<ImportView> HandleAsync(long importId, bool restoreChanged, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var job = await db.ImportJobs.GetAsync(importId, "Import", ct);
        RollbackRules.EnsureCanRollBack(job);
        job.Status = ImportStatus.RollingBack;
        job.RollbackRestoresChangedRecords = restoreChanged;
        job.RolledBackByUserId = db.Actor.UserId;
        await db.SaveChangesAsync(ct);
        await scheduler.ScheduleRollbackAsync(job.Id, job.WorkspaceId, ct);
        return await ImportQueries.ViewAsync(db, importId, ct);
    }
}

internal static class RollbackRules
{
    public static void EnsureCanRollBack(ImportJob job)
    {
        if (job.Status == ImportStatus.RolledBack) throw new ValidationFailedException("Status", "This import has already been rolled back.");
        if (job.Status == ImportStatus.RollingBack) throw new ValidationFailedException("Status", "This import is being rolled back.");
        if (!job.CanRollBack) throw new ValidationFailedException("Status", "Only a completed, cancelled or failed import that wrote something can be rolled back. Cancel a running import first.");
    }
}

/// <summary>The background side of a rollback (Quartz runs it).</summary>
public sealed partial class RollbackRunner(ICrmDbFactory dbFactory, IImportRollbackStore rollback, TimeProvider time, ILogger<RollbackRunner> logger)
{
    public async Task RunAsync(long importId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var job = await db.ImportJobs.GetAsync(importId, "Import", ct);
        if (job.Status != ImportStatus.RollingBack) return;
        var actor = db.Actor with { Source = ChangeSource.Import, SourceRef = $"rollback:import:{importId}", UserId = job.RolledBackByUserId };
        var outcome = await rollback.RollbackAsync(job, job.RollbackRestoresChangedRecords, actor, time.GetUtcNow(), ct);
        job.Status = ImportStatus.RolledBack;
        job.RolledBackAt = time.GetUtcNow();
        job.RollbackDeleted = outcome.Deleted;
        job.RollbackRestored = outcome.Restored;
        job.RollbackKeptChanged = outcome.KeptChanged;
        await db.SaveChangesAsync(ct);
        LogRolledBack(importId, outcome.Deleted, outcome.Restored, outcome.KeptChanged);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {ImportId} rolled back: {Deleted} deleted, {Restored} restored, {Kept} kept (changed since)")]
    private partial void LogRolledBack(long importId, int deleted, int restored, int kept);
}
