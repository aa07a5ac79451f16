using Microsoft.EntityFrameworkCore;
using Crm.Core.Common;
using Crm.Core.Exports;
using Crm.Core.Imports;
using Crm.Infrastructure.Persistence;
using Quartz;

namespace Crm.Infrastructure.Jobs;

/// <summary>Every minute: deletes the files of expired exports and marks them expired (stalled exports are the run rescue's).</summary>
[DisallowConcurrentExecution]
public sealed class ExportExpiryJob(CrmDatabase database, IFileStore files, TimeProvider time) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default) =>
        await ExportExpiry.RunAsync(database, files, time.GetUtcNow(), ct);
}

public static class ExportExpiry
{
    /// <returns>How many exports expired now.</returns>
    public static async Task<int> RunAsync(CrmDatabase database, IFileStore files, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = database.Create(Actor.Anonymous);
        var due = await db.ExportJobs.IgnoreQueryFilters().Where(j => j.Status == ExportStatus.Completed && j.ExpiresAt != null && j.ExpiresAt < now)
            .Select(j => new { j.Id, j.FileKey }).ToListAsync(ct);
        foreach (var job in due)
        {
            if (job.FileKey is not null) await files.DeleteAsync(job.FileKey, ct);
            await db.ExportJobs.IgnoreQueryFilters().Where(j => j.Id == job.Id && j.Status == ExportStatus.Completed)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, ExportStatus.Expired).SetProperty(j => j.FileKey, (string?)null).SetProperty(j => j.UpdatedAt, now), ct);
        }
        return due.Count;
    }
}
