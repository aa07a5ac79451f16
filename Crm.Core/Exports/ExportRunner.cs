using Crm.Core.Common;
using System.Globalization;
using Crm.Core.Imports;
using Crm.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Crm.Core.Exports;

/// <summary>Writes an export's sheets in its format (CSV, XLSX, JSON, NDJSON) to a stream.</summary>
public interface IExportFileWriter
{
    /// <param name="progress">Called with the rows written so far, every few thousand rows.</param>
    Task WriteAsync(ExportJob job, IReadOnlyList<ExportSheet> sheets, Stream output, Action<int> progress, CancellationToken ct);
}

/// <summary>
/// An export as a run: claims it, reads its sheets with the lists' own queries (as the workspace of the export, as it
/// is now), writes the file into the file store streaming, and completes it with an expiry. A run whose runner died is
/// handed out again by the rescue job and starts from scratch (an export writes nothing but its own file).
/// </summary>
public sealed partial class ExportRunner(ICrmDbFactory dbFactory, IFileStore files, IExportFileWriter writer, IRunService runs, DatabaseRetry retry, TimeProvider time, ILogger<ExportRunner> logger)
    : IRunHandler
{
    /// <summary>Progress is shown every second while the file is written.</summary>
    private static readonly TimeSpan BeatEvery = TimeSpan.FromSeconds(1);

    public async Task ExecuteAsync(Run run, CancellationToken ct)
    {
        var exportId = run.SubjectId;
        var beat = new RunBeat(runs, run.Id, Guid.NewGuid().ToString("N"), time, BeatEvery);
        if (await runs.ClaimAsync(run.Id, beat.RunnerId, ct) is null)
        {
            LogNotClaimed(exportId);
            return;
        }
        var job = await retry.RunAsync(t => StartAsync(exportId, t), ct);
        if (job is null || job.Status is not (ExportStatus.Pending or ExportStatus.Processing))
        {
            // Finished before its runner died (it stopped between the export's row and the run's): the run says so now.
            await runs.FinishAsync(run.Id, beat.RunnerId, new RunOutcome(job?.Status == ExportStatus.Failed ? RunStatus.Failed : RunStatus.Succeeded, job?.FailureReason), CancellationToken.None);
            return;
        }

        string? key = null;
        try
        {
            var (written, fileKey) = await WriteWithRetryAsync(job, beat, k => key = k, ct);
            var size = files.SizeOf(fileKey);
            // Still this runner's? Then the export is complete, and only then the run (a crash between them is mended above).
            await beat.BeatAsync(new RunProgress("Writing", written, job.TotalRows), ct, force: true);
            await retry.RunAsync(t => CompleteAsync(job, fileKey, size, written, t), CancellationToken.None);
            await runs.FinishAsync(run.Id, beat.RunnerId, new RunOutcome(RunStatus.Succeeded,
                string.Create(CultureInfo.InvariantCulture, $"{written:N0} rows, {size:N0} bytes"), new RunProgress("Done", written, written)), CancellationToken.None);
            LogCompleted(exportId, written, size);
        }
        catch (RunTakenOverException)
        {
            // This runner was thought dead and another one has the export now; its file is the one that counts.
            if (key is not null) await files.DeleteAsync(key, CancellationToken.None);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The app is stopping: the export goes back to the queue and starts again on the next start.
            if (key is not null) await files.DeleteAsync(key, CancellationToken.None);
            await SetAsync(exportId, ExportStatus.Pending, null);
            await runs.ReleaseAsync(run.Id, beat.RunnerId, null, CancellationToken.None);
        }
        catch (Exception e)
        {
            if (key is not null) await files.DeleteAsync(key, CancellationToken.None);
            var reason = e is ValidationFailedException v ? string.Join(" ", v.Errors.SelectMany(x => x.Value)) : "The export stopped on an unexpected error. Try it again; if it fails again, tell your admin.";
            if (e is not ValidationFailedException) LogFailed(e, exportId);
            await SetAsync(exportId, ExportStatus.Failed, reason);
            await runs.FinishAsync(run.Id, beat.RunnerId, new RunOutcome(RunStatus.Failed, reason), CancellationToken.None);
        }
    }

    /// <summary>The export as its run starts: processing from now, nothing written yet (a rescued run starts over).</summary>
    private async Task<ExportJob?> StartAsync(long exportId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var now = time.GetUtcNow();
        await db.ExportJobs.Where(j => j.Id == exportId && (j.Status == ExportStatus.Pending || j.Status == ExportStatus.Processing))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, ExportStatus.Processing)
                .SetProperty(j => j.StartedAt, j => j.StartedAt ?? now)
                .SetProperty(j => j.RowsWritten, 0)
                .SetProperty(j => j.UpdatedAt, now), ct);
        return await db.ExportJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == exportId, ct);
    }

    private async Task CompleteAsync(ExportJob job, string fileKey, long size, int written, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var retention = await db.Workspaces.Where(w => w.Id == job.WorkspaceId).Select(w => w.ExportRetentionHours).SingleAsync(ct);
        var now = time.GetUtcNow();
        await using var transaction = await db.BeginTransactionAsync(ct);
        await db.ExportJobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, ExportStatus.Completed)
            .SetProperty(j => j.FileKey, fileKey)
            .SetProperty(j => j.FileSize, size)
            .SetProperty(j => j.RowsWritten, written)
            .SetProperty(j => j.TotalRows, written)
            .SetProperty(j => j.CompletedAt, now)
            .SetProperty(j => j.ExpiresAt, now.AddHours(retention))
            .SetProperty(j => j.UpdatedAt, now), ct);
        // Ready, in the same transaction: the file is there to download when a receiver hears of it.
        Webhooks.Outbox.Announce(db, Webhooks.WebhookEventTypes.ExportReady, $"export:{job.Id}", new
        {
            export = new { job.Id, job.FileName, job.Format, rows = written, size, downloadUrl = $"/api/v1/exports/{job.Id}/file", expiresAt = now.AddHours(retention) },
        }, now);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// The file, written again from the start when the database failed it on a transient error (an export writes
    /// nothing but its own file, so starting over is safe).
    /// </summary>
    private async Task<(int Written, string Key)> WriteWithRetryAsync(ExportJob job, RunBeat beat, Action<string?> created, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            string? key = null;
            try
            {
                return await WriteAsync(job, beat, k => created(key = k), ct);
            }
            catch (Exception e) when (attempt < retry.MaxAttempts && !ct.IsCancellationRequested && retry.IsTransient(e))
            {
                if (key is not null) await files.DeleteAsync(key, CancellationToken.None);
                created(null);
                await retry.PauseAsync(attempt + 1, ct);
            }
        }
    }

    private async Task<(int Written, string Key)> WriteAsync(ExportJob job, RunBeat beat, Action<string> created, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var customFields = await StartExportHandler.CustomFieldsAsync(db, ct);
        var sheets = job.Parts.Select(p => ExportQueries.Sheet(db, p, customFields)).ToList();
        var extension = job.Format switch { ExportFormat.Csv => ".csv", ExportFormat.Xlsx => ".xlsx", ExportFormat.Json => ".json", _ => ".ndjson" };
        var (key, stream) = files.Create("exports", job.WorkspaceId, extension);
        created(key);
        var written = 0;
        await using (stream)
        {
            // Synchronous: spreadsheet writers pull rows synchronously. Jobs run on pool threads, so blocking is safe here.
            await writer.WriteAsync(job, sheets, stream, rows =>
            {
                written = rows;
                beat.BeatAsync(new RunProgress("Writing", rows, job.TotalRows), ct).GetAwaiter().GetResult();
            }, ct);
        }
        return (written, key);
    }

    private Task SetAsync(long exportId, ExportStatus status, string? reason) =>
        retry.RunAsync(async t =>
        {
            await using var db = await dbFactory.CreateAsync(t);
            var now = time.GetUtcNow();
            await db.ExportJobs.Where(j => j.Id == exportId && j.Status == ExportStatus.Processing).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, status)
                .SetProperty(j => j.FailureReason, reason)
                .SetProperty(j => j.CompletedAt, status == ExportStatus.Failed ? now : null)
                .SetProperty(j => j.UpdatedAt, now), t);
        }, CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Information, Message = "Export {ExportId} is running elsewhere or finished; nothing to do")]
    private partial void LogNotClaimed(long exportId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Export {ExportId} completed: {Rows} rows, {Bytes} bytes")]
    private partial void LogCompleted(long exportId, int rows, long bytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Export {ExportId} failed")]
    private partial void LogFailed(Exception exception, long exportId);
}

