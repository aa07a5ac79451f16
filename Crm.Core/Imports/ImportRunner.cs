using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;
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
    Runs.IRunService runs,
    DatabaseRetry retry,
    TimeProvider time,
    ILogger<ImportRunner> logger) : Runs.IRunHandler
{
    /// <summary>
    /// Rows per planned batch. Small batches, and few of them planned ahead, keep each row's objects short-lived:
    /// they die young instead of being promoted while waiting for the writer. Measured on a 1M-row import: 5,000-row
    /// batches spent ~10 s in GC pauses and peaked at ~500 MB; 100-row batches with 200 rows ahead, ~1 s and ~370 MB.
    /// A batch's lookup is one indexed IN query either way.
    /// </summary>
    public const int BatchSize = 100;

    /// <summary>Rows planned ahead of the writer: enough to keep it busy, few enough to die young.</summary>
    private const int PlannedAhead = 200;

    /// <summary>Rows per planned batch (one lookup, one plan); see <see cref="BatchSize"/>.</summary>
    public int RowsPerBatch { get; set; } = BatchSize;

    /// <summary>
    /// A transaction commits once it holds this many rows or is this old, whichever comes first: progress and the
    /// resume point move about once a second, and each commit carries enough rows to keep index rewrites low.
    /// </summary>
    public int RowsPerCommit { get; set; } = 50_000;

    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Runs the import's queued (or stalled) run, as the background worker would.</summary>
    public async Task RunAsync(long importId, CancellationToken ct)
    {
        if (await runs.FindActiveAsync(Runs.RunKind.Import, importId, ct) is { } run) await ExecuteAsync(run, ct);
        else LogNotClaimed(importId);
    }

    public async Task ExecuteAsync(Runs.Run run, CancellationToken ct)
    {
        var importId = run.SubjectId;
        var lease = new Runs.RunLease(run.Id, Guid.NewGuid().ToString("N"));
        if (await runs.ClaimAsync(run.Id, lease.RunnerId, ct) is null)
        {
            LogNotClaimed(importId);
            return;
        }
        var job = await retry.RunAsync(t => jobs.GetAsync(importId, t), ct);
        if (job is null || job.IsFinished)
        {
            // Cancelled while queued, or finished just before its runner died: the run says so now.
            await runs.FinishAsync(run.Id, lease.RunnerId, new Runs.RunOutcome(job?.Status == ImportStatus.Failed ? Runs.RunStatus.Failed
                : job?.Status == ImportStatus.Cancelled ? Runs.RunStatus.Cancelled : Runs.RunStatus.Succeeded, job?.FailureReason), CancellationToken.None);
            return;
        }
        await retry.RunAsync(async t => { await jobs.StartAsync(importId, time.GetUtcNow(), t); return 0; }, ct);
        LogStarting(importId, job.LastCommittedRow);
        try
        {
            var context = await contexts.LoadAsync(job, ct, lease);
            var headerCount = job.Mapping.Columns.Count;
            if (job.TotalRows == 0)
            {
                var total = 0;
                await foreach (var _ in reader.ReadAsync(job.FileKey, job.Settings, headerCount, ct)) total++;
                await retry.RunAsync(async t => { await jobs.SetTotalRowsAsync(importId, total, t); return 0; }, ct);
            }

            bool cancelled;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    cancelled = await PipelineAsync(context, job, headerCount, ct);
                    break;
                }
                catch (Exception e) when (attempt < retry.MaxAttempts && !ct.IsCancellationRequested && (e is DbUpdateConcurrencyException || retry.IsTransient(e)))
                {
                    // Someone changed a matched record between the lookup and the write, or another writer held the
                    // database past its busy timeout. The open transaction is rolled back; start again after the last
                    // commit with fresh lookups.
                    LogRetrying(importId, attempt, e.GetType().Name);
                    if (e is not DbUpdateConcurrencyException) await retry.PauseAsync(attempt + 1, ct);
                    job = await retry.RunAsync(t => jobs.GetAsync(importId, t), ct) ?? throw new InvalidOperationException($"Import {importId} is gone.");
                    context = await contexts.LoadAsync(job, ct, lease);
                }
            }
            await FinishAsync(lease, importId, cancelled ? ImportStatus.Cancelled : ImportStatus.Completed, null);
            LogFinished(importId, cancelled ? "cancelled" : "completed", Times.ToString());
            await ScanForDuplicatesAsync(importId);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await runs.ReleaseAsync(run.Id, lease.RunnerId, null, CancellationToken.None);
            LogReleased(importId);
        }
        catch (ImportClaimLostException)
        {
            // Another runner took the job over (this one's heartbeat went stale); its work is the one that counts.
            LogClaimLost(importId);
        }
        catch (ImportFileException e)
        {
            await FinishAsync(lease, importId, ImportStatus.Failed, e.Message);
        }
        catch (Exception e)
        {
            LogFailed(e, importId);
            await FinishAsync(lease, importId, ImportStatus.Failed,
                "The import stopped on an unexpected error; everything before it was saved. It can be rolled back, or started again for the remaining rows.");
        }
    }

    /// <summary>The import's outcome, then its run's (a crash between them is mended when the run is rescued).</summary>
    private async Task FinishAsync(Runs.RunLease lease, long importId, ImportStatus status, string? reason)
    {
        try
        {
            await retry.RunAsync(async t => { await jobs.FinishAsync(importId, lease, status, reason, time.GetUtcNow(), t); return 0; }, CancellationToken.None);
        }
        catch (ImportClaimLostException)
        {
            LogClaimLost(importId);
            return;
        }
        var job = await retry.RunAsync(t => jobs.GetAsync(importId, t), CancellationToken.None);
        var summary = status == ImportStatus.Failed ? reason : job is null ? null : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{job.RowsProcessed:N0} rows: {job.RowsCreated:N0} created, {job.RowsUpdated:N0} updated, {job.RowsSkipped:N0} skipped, {job.RowsFailed:N0} failed");
        await runs.FinishAsync(lease.RunId, lease.RunnerId, new Runs.RunOutcome(
            status switch { ImportStatus.Failed => Runs.RunStatus.Failed, ImportStatus.Cancelled => Runs.RunStatus.Cancelled, _ => Runs.RunStatus.Succeeded },
            summary, job is null ? null : new Runs.RunProgress("Done", job.RowsProcessed, job.TotalRows)), CancellationToken.None);
    }

    /// <summary>Where a run spent its time, per stage (logged when it ends; the benchmark prints it).</summary>
    public sealed class StageTimes
    {
        public System.Diagnostics.Stopwatch Map { get; } = new();
        public System.Diagnostics.Stopwatch Lookup { get; } = new();
        public System.Diagnostics.Stopwatch ProducerWaiting { get; } = new();
        public System.Diagnostics.Stopwatch Plan { get; } = new();
        public System.Diagnostics.Stopwatch Write { get; } = new();
        public System.Diagnostics.Stopwatch WriterWaiting { get; } = new();

        public override string ToString() =>
            $"read+map {Map.Elapsed.TotalSeconds:F2}s, lookup {Lookup.Elapsed.TotalSeconds:F2}s, plan {Plan.Elapsed.TotalSeconds:F2}s, producer waiting {ProducerWaiting.Elapsed.TotalSeconds:F2}s; " +
            $"write {Write.Elapsed.TotalSeconds:F2}s, writer waiting {WriterWaiting.Elapsed.TotalSeconds:F2}s";
    }

    public StageTimes Times { get; } = new();

    /// <summary>
    /// Two stages on two cores: a producer reads, maps, checks duplicates, looks up and plans the next batch while
    /// the consumer writes the current one. They share only the import's account maps (behind a lock): the plan adds
    /// the accounts a batch will create, a commit makes them known.
    /// </summary>
    private async Task<bool> PipelineAsync(ImportContext context, ImportJob job, int headerCount, CancellationToken ct)
    {
        var ahead = Math.Clamp(PlannedAhead / Math.Max(1, RowsPerBatch), 1, 8);
        var channel = System.Threading.Channels.Channel.CreateBounded<BatchPlan>(new System.Threading.Channels.BoundedChannelOptions(ahead) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(async () =>
        {
            try
            {
                var duplicates = new InFileDuplicates(context.MatchField);
                var records = new List<ImportRecord>(RowsPerBatch);
                async Task HandOverAsync()
                {
                    Times.Lookup.Start();
                    var existing = await planner.LookupAsync(context, records, stop.Token);
                    Times.Lookup.Stop();
                    Times.Plan.Start();
                    var plan = await planner.PlanAsync(context, records, stop.Token, existing);
                    Times.Plan.Stop();
                    Times.ProducerWaiting.Start();
                    await channel.Writer.WriteAsync(plan, stop.Token);
                    Times.ProducerWaiting.Stop();
                }

                Times.Map.Start();
                await foreach (var row in reader.ReadAsync(job.FileKey, job.Settings, headerCount, stop.Token))
                {
                    var record = context.Mapper.Map(row);
                    duplicates.Check(record);
                    if (row.RowNumber <= job.LastCommittedRow) continue;
                    records.Add(record);
                    if (records.Count < RowsPerBatch) continue;
                    Times.Map.Stop();
                    await HandOverAsync();
                    records = new List<ImportRecord>(RowsPerBatch);
                    Times.Map.Start();
                }
                Times.Map.Stop();
                if (records.Count > 0) await HandOverAsync();
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, CancellationToken.None);

        await using var writer = await store.OpenWriterAsync(context, ct);
        IImportWrite? write = null;
        // Only the accounts a transaction created outlive its batches (until the commit makes them known).
        var uncommitted = new List<PendingAccount>();
        var age = new System.Diagnostics.Stopwatch();
        async Task<bool> CommitAsync()
        {
            Times.Write.Start();
            var outcome = await write!.CommitAsync(time.GetUtcNow(), ct);
            Times.Write.Stop();
            await write.DisposeAsync();
            write = null;
            context.Committed(uncommitted);
            uncommitted.Clear();
            return outcome.CancelRequested;
        }

        try
        {
            Times.WriterWaiting.Start();
            await foreach (var plan in channel.Reader.ReadAllAsync(ct))
            {
                Times.WriterWaiting.Stop();
                // Queued batches are not drained once a shutdown asks to stop: the run resumes after the last commit.
                ct.ThrowIfCancellationRequested();
                Times.Write.Start();
                if (write is null)
                {
                    write = await writer.BeginAsync(ct);
                    age.Restart();
                }
                await write.WriteAsync(plan, time.GetUtcNow(), ct);
                Times.Write.Stop();
                uncommitted.AddRange(plan.NewAccounts);
                if ((write.Rows >= RowsPerCommit || age.Elapsed >= CommitInterval) && await CommitAsync()) return true;
                Times.WriterWaiting.Start();
            }
            Times.WriterWaiting.Stop();
            if (write is not null && await CommitAsync()) return true;
            return false;
        }
        finally
        {
            if (write is not null) await write.DisposeAsync();
            await stop.CancelAsync();
            try { await producer; } catch (OperationCanceledException) { }
        }
    }

    /// <summary>
    /// New and changed contacts and accounts go through the duplicate engine's workspace scan, so what an import
    /// brought in that looks like a record already there (by any rule, not only the match column) reaches the review queue.
    /// </summary>
    private async Task ScanForDuplicatesAsync(long importId)
    {
        try
        {
            if (await jobs.GetAsync(importId, CancellationToken.None) is { } done && done.ObjectType is RecordType.Contact or RecordType.Account
                && done.RowsCreated + done.RowsUpdated + done.AccountsCreated > 0)
                await runs.QueueAsync(new Runs.RunRequest(Runs.RunKind.DuplicateScan, done.WorkspaceId, 0, done.CreatedByUserId), CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The nightly scan will find them; the import itself is done.
            LogScanNotScheduled(e, importId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import {ImportId}: the duplicate scan could not be scheduled")]
    private partial void LogScanNotScheduled(Exception e, long importId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {ImportId} is running elsewhere or finished; nothing to do")]
    private partial void LogNotClaimed(long importId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {ImportId} starting after row {LastCommittedRow}")]
    private partial void LogStarting(long importId, int lastCommittedRow);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {ImportId} {Outcome} ({Times})")]
    private partial void LogFinished(long importId, string outcome, string times);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {ImportId} paused for shutdown; it resumes on the next start")]
    private partial void LogReleased(long importId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import {ImportId}: the write stopped ({Reason}, attempt {Attempt}); starting again after the last commit")]
    private partial void LogRetrying(long importId, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import {ImportId} was taken over by another runner; this one stops")]
    private partial void LogClaimLost(long importId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Import {ImportId} failed")]
    private partial void LogFailed(Exception exception, long importId);
}
