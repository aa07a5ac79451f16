using Microsoft.EntityFrameworkCore;
using Crm.Core.Common;
using Quartz;

namespace Crm.Infrastructure.Jobs;

/// <summary>
/// Every minute: deletes the files of expired exports and marks them expired, and queues again exports whose runner
/// stopped answering or that were never picked up.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ExportHousekeepingJob(Crm.Infrastructure.Persistence.CrmDatabase database, Crm.Core.Imports.IFileStore files,
    Crm.Core.Exports.IExportScheduler scheduler, JobSettings settings, TimeProvider time) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default) =>
        await ExportHousekeeping.RunAsync(database, files, scheduler, settings.StaleAfter, time.GetUtcNow(), ct);
}

public static class ExportHousekeeping
{
    /// <returns>How many exports expired now.</returns>
    public static async Task<int> RunAsync(Crm.Infrastructure.Persistence.CrmDatabase database, Crm.Core.Imports.IFileStore files,
        Crm.Core.Exports.IExportScheduler scheduler, TimeSpan staleAfter, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = database.Create(Actor.Anonymous);
        var due = await db.ExportJobs.IgnoreQueryFilters().Where(j => j.Status == Crm.Core.Exports.ExportStatus.Completed && j.ExpiresAt != null && j.ExpiresAt < now)
            .Select(j => new { j.Id, j.FileKey }).ToListAsync(ct);
        foreach (var job in due)
        {
            if (job.FileKey is not null) await files.DeleteAsync(job.FileKey, ct);
            await db.ExportJobs.IgnoreQueryFilters().Where(j => j.Id == job.Id && j.Status == Crm.Core.Exports.ExportStatus.Completed)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, Crm.Core.Exports.ExportStatus.Expired).SetProperty(j => j.FileKey, (string?)null).SetProperty(j => j.UpdatedAt, now), ct);
        }

        var stale = now - staleAfter;
        var stalled = await db.ExportJobs.IgnoreQueryFilters()
            .Where(j => j.Status == Crm.Core.Exports.ExportStatus.Pending && j.UpdatedAt < stale
                        || j.Status == Crm.Core.Exports.ExportStatus.Processing && (j.HeartbeatAt == null || j.HeartbeatAt < stale))
            .Select(j => new { j.Id, j.WorkspaceId }).ToListAsync(ct);
        foreach (var job in stalled) await scheduler.ScheduleAsync(job.Id, job.WorkspaceId, ct);
        return due.Count;
    }
}
