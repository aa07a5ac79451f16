using Crm.Core.Common;
using Crm.Core.Imports;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Crm.Infrastructure.Jobs;

/// <summary>Every 15 minutes: uploads nobody started within their lifetime are discarded, their files with them.</summary>
[DisallowConcurrentExecution]
public sealed class ImportDraftHousekeepingJob(CrmDatabase database, IFileStore files, TimeProvider time) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default) =>
        await ImportDraftHousekeeping.RunAsync(database, files, ImportDraftLifetime.Default, time.GetUtcNow(), ct);
}

public static class ImportDraftHousekeeping
{
    /// <returns>How many drafts were discarded.</returns>
    public static async Task<int> RunAsync(CrmDatabase database, IFileStore files, TimeSpan lifetime, DateTimeOffset now, CancellationToken ct)
    {
        var before = now - lifetime;
        await using var db = database.Create(Actor.Anonymous);
        var expired = await db.ImportJobs.IgnoreQueryFilters().Where(j => j.Status == ImportStatus.Draft && j.UpdatedAt < before)
            .Select(j => new { j.Id, j.FileKey }).Take(1_000).ToListAsync(ct);
        foreach (var draft in expired)
        {
            // The row goes first: a draft being started meanwhile (no longer a draft) keeps its row and its file.
            var removed = await db.ImportJobs.IgnoreQueryFilters().Where(j => j.Id == draft.Id && j.Status == ImportStatus.Draft).ExecuteDeleteAsync(ct);
            if (removed > 0) await files.DeleteAsync(draft.FileKey, ct);
        }
        return expired.Count;
    }
}
