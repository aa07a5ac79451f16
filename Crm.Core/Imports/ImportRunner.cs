using Crm.Core.Common;
using Microsoft.Extensions.Logging;

namespace Crm.Core.Imports;

/// <summary>
/// Runs an import in the background: claims the job, reads the file streaming, maps and validates each row, plans
/// and commits batches (each batch with its progress, in one transaction), and finishes. After a crash a new run
/// claims the job once its heartbeat is stale, re-reads the rows already committed only to rebuild the in-file
/// duplicate check, and continues after the last committed row: nothing is lost or written twice.
/// </summary>
public sealed partial class ImportRunner(
    ImportContextLoader contexts,
    IImportJobStore jobs,
    IImportStore store,
    ITabularFileReader reader,
    ImportPlanner planner,
    TimeProvider time,
    ILogger<ImportRunner> logger)
{
    public const int BatchSize = 5_000;
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    /// <summary>How long a heartbeat may be silent before another runner takes over.</summary>
    public TimeSpan StaleThreshold { get; set; } = StaleAfter;

    /// <summary>Rows per committed batch (a transaction, a progress step, a resume point).</summary>
    public int RowsPerBatch { get; set; } = BatchSize;

    public async Task RunAsync(long importId, CancellationToken ct)
    {
        var runnerId = Guid.NewGuid().ToString("N");
        var job = await jobs.ClaimAsync(importId, runnerId, StaleThreshold, time.GetUtcNow(), ct);
        if (job is null)
        {
            LogNotClaimed(importId);
            return;
        }
        LogStarting(importId, job.LastCommittedRow);
        try
        {
            var context = await contexts.LoadAsync(job, ct);
            var headerCount = job.Mapping.Columns.Count;
            if (job.TotalRows == 0)
            {
                var total = 0;
                await foreach (var _ in reader.ReadAsync(job.FileKey, job.Settings, headerCount, ct)) total++;
                await jobs.SetTotalRowsAsync(importId, total, ct);
            }

            var duplicates = new InFileDuplicates(context.MatchField);
            var batch = new List<ImportRecord>(RowsPerBatch);
            var cancelled = false;
            await foreach (var row in reader.ReadAsync(job.FileKey, job.Settings, headerCount, ct))
            {
                var record = context.Mapper.Map(row);
                duplicates.Check(record);
                if (row.RowNumber <= job.LastCommittedRow) continue;
                batch.Add(record);
                if (batch.Count < RowsPerBatch) continue;
                cancelled = await CommitAsync(context, batch, ct);
                batch.Clear();
                if (cancelled) break;
            }
            if (!cancelled && batch.Count > 0) cancelled = await CommitAsync(context, batch, ct);
            await jobs.FinishAsync(importId, runnerId, cancelled ? ImportStatus.Cancelled : ImportStatus.Completed, null, time.GetUtcNow(), CancellationToken.None);
            LogFinished(importId, cancelled ? "cancelled" : "completed");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await jobs.ReleaseAsync(importId, runnerId, CancellationToken.None);
            LogReleased(importId);
        }
        catch (ImportFileException e)
        {
            await jobs.FinishAsync(importId, runnerId, ImportStatus.Failed, e.Message, time.GetUtcNow(), CancellationToken.None);
        }
        catch (Exception e)
        {
            LogFailed(e, importId);
            await jobs.FinishAsync(importId, runnerId, ImportStatus.Failed,
                "The import stopped on an unexpected error; everything before it was saved. It can be rolled back, or started again for the remaining rows.",
                time.GetUtcNow(), CancellationToken.None);
        }
    }

    private async Task<bool> CommitAsync(ImportContext context, List<ImportRecord> batch, CancellationToken ct)
    {
        var plan = await planner.PlanAsync(context, batch, ct);
        var outcome = await store.CommitAsync(context, plan, time.GetUtcNow(), ct);
        context.Committed(plan);
        return outcome.CancelRequested;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {ImportId} is running elsewhere or finished; nothing to do")]
    private partial void LogNotClaimed(long importId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {ImportId} starting after row {LastCommittedRow}")]
    private partial void LogStarting(long importId, int lastCommittedRow);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {ImportId} {Outcome}")]
    private partial void LogFinished(long importId, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {ImportId} paused for shutdown; it resumes on the next start")]
    private partial void LogReleased(long importId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Import {ImportId} failed")]
    private partial void LogFailed(Exception exception, long importId);
}
