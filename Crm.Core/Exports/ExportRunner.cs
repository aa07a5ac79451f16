using Crm.Core.Common;
using Crm.Core.Imports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Crm.Core.Exports;

/// <summary>Queues exports for the background (Quartz in the app).</summary>
public interface IExportScheduler
{
    Task ScheduleAsync(long exportId, long workspaceId, CancellationToken ct = default);
}

/// <summary>Writes an export's sheets in its format (CSV, XLSX, JSON, NDJSON) to a stream.</summary>
public interface IExportFileWriter
{
    /// <param name="progress">Called with the rows written so far, every few thousand rows.</param>
    Task WriteAsync(ExportJob job, IReadOnlyList<ExportSheet> sheets, Stream output, Action<int> progress, CancellationToken ct);
}

/// <summary>
/// Runs an export in the background: claims it, reads its sheets with the lists' own queries (as the workspace of the
/// export, as it is now), writes the file into the file store streaming, and completes it with an expiry. A crashed
/// run is started again from scratch by the housekeeping job (an export writes nothing but its own file).
/// </summary>
public sealed partial class ExportRunner(ICrmDbFactory dbFactory, IFileStore files, IExportFileWriter writer, DatabaseRetry retry, TimeProvider time, ILogger<ExportRunner> logger)
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);
    public TimeSpan StaleThreshold { get; set; } = StaleAfter;

    public async Task RunAsync(long exportId, CancellationToken ct)
    {
        var runnerId = Guid.NewGuid().ToString("N");
        var job = await retry.RunAsync(t => ClaimAsync(exportId, runnerId, t), ct);
        if (job is null)
        {
            LogNotClaimed(exportId);
            return;
        }

        string? key = null;
        try
        {
            var (written, fileKey) = await WriteWithRetryAsync(job, runnerId, k => key = k, ct);
            var size = files.SizeOf(fileKey);
            var done = await retry.RunAsync(t => CompleteAsync(job, runnerId, fileKey, size, written, t), CancellationToken.None);
            if (done == 0) await files.DeleteAsync(fileKey, CancellationToken.None); // another runner took it over
            else LogCompleted(exportId, written, size);
        }
        catch (ExportTakenOverException)
        {
            // This runner was thought dead and another one has the export now; its file is the one that counts.
            if (key is not null) await files.DeleteAsync(key, CancellationToken.None);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The app is stopping: the export goes back to the queue and starts again on the next start.
            if (key is not null) await files.DeleteAsync(key, CancellationToken.None);
            await SetAsync(exportId, runnerId, ExportStatus.Pending, null);
        }
        catch (Exception e)
        {
            if (key is not null) await files.DeleteAsync(key, CancellationToken.None);
            var reason = e is ValidationFailedException v ? string.Join(" ", v.Errors.SelectMany(x => x.Value)) : "The export stopped on an unexpected error. Try it again; if it fails again, tell your admin.";
            if (e is not ValidationFailedException) LogFailed(e, exportId);
            await SetAsync(exportId, runnerId, ExportStatus.Failed, reason);
        }
    }

    private async Task<ExportJob?> ClaimAsync(long exportId, string runnerId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var now = time.GetUtcNow();
        var stale = now - StaleThreshold;
        var claimed = await db.ExportJobs
            .Where(j => j.Id == exportId && (j.Status == ExportStatus.Pending || j.Status == ExportStatus.Processing && (j.HeartbeatAt == null || j.HeartbeatAt < stale)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, ExportStatus.Processing)
                .SetProperty(j => j.RunnerId, runnerId)
                .SetProperty(j => j.StartedAt, now)
                .SetProperty(j => j.HeartbeatAt, now)
                .SetProperty(j => j.RowsWritten, 0)
                .SetProperty(j => j.Attempts, j => j.Attempts + 1)
                .SetProperty(j => j.UpdatedAt, now), ct);
        if (claimed == 0) return null;
        return await db.ExportJobs.AsNoTracking().SingleAsync(j => j.Id == exportId, ct);
    }

    private async Task<int> CompleteAsync(ExportJob job, string runnerId, string fileKey, long size, int written, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var retention = await db.Workspaces.Where(w => w.Id == job.WorkspaceId).Select(w => w.ExportRetentionHours).SingleAsync(ct);
        var now = time.GetUtcNow();
        return await db.ExportJobs.Where(j => j.Id == job.Id && j.RunnerId == runnerId).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, ExportStatus.Completed)
            .SetProperty(j => j.FileKey, fileKey)
            .SetProperty(j => j.FileSize, size)
            .SetProperty(j => j.RowsWritten, written)
            .SetProperty(j => j.TotalRows, written)
            .SetProperty(j => j.CompletedAt, now)
            .SetProperty(j => j.ExpiresAt, now.AddHours(retention))
            .SetProperty(j => j.RunnerId, (string?)null)
            .SetProperty(j => j.UpdatedAt, now), ct);
    }

    /// <summary>
    /// The file, written again from the start when the database failed it on a transient error (an export writes
    /// nothing but its own file, so starting over is safe).
    /// </summary>
    private async Task<(int Written, string Key)> WriteWithRetryAsync(ExportJob job, string runnerId, Action<string?> created, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            string? key = null;
            try
            {
                return await WriteAsync(job, runnerId, k => created(key = k), ct);
            }
            catch (Exception e) when (attempt < retry.MaxAttempts && !ct.IsCancellationRequested && retry.IsTransient(e))
            {
                if (key is not null) await files.DeleteAsync(key, CancellationToken.None);
                created(null);
                await retry.PauseAsync(attempt + 1, ct);
            }
        }
    }

    private async Task<(int Written, string Key)> WriteAsync(ExportJob job, string runnerId, Action<string> created, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var customFields = await StartExportHandler.CustomFieldsAsync(db, ct);
        var sheets = job.Parts.Select(p => ExportQueries.Sheet(db, p, customFields)).ToList();
        var extension = job.Format switch { ExportFormat.Csv => ".csv", ExportFormat.Xlsx => ".xlsx", ExportFormat.Json => ".json", _ => ".ndjson" };
        var (key, stream) = files.Create("exports", job.WorkspaceId, extension);
        created(key);
        var written = 0;
        var lastBeat = time.GetTimestamp();
        await using (stream)
        {
            await writer.WriteAsync(job, sheets, stream, rows =>
            {
                written = rows;
                if (time.GetElapsedTime(lastBeat) < TimeSpan.FromSeconds(1)) return;
                lastBeat = time.GetTimestamp();
                Progress(job.Id, runnerId, rows);
            }, ct);
        }
        return (written, key);
    }

    /// <summary>Progress and heartbeat, on their own connection (the export's query is still reading).</summary>
    /// <remarks>Synchronous: spreadsheet writers pull rows synchronously. Jobs run on pool threads, so blocking is safe here.</remarks>
    private void Progress(long exportId, string runnerId, int rows)
    {
        var db = dbFactory.CreateAsync().GetAwaiter().GetResult();
        try
        {
            var now = time.GetUtcNow();
            var updated = db.ExportJobs.Where(j => j.Id == exportId && j.RunnerId == runnerId)
                .ExecuteUpdate(s => s.SetProperty(j => j.RowsWritten, rows).SetProperty(j => j.HeartbeatAt, now));
            if (updated == 0) throw new ExportTakenOverException();
        }
        catch (Exception e) when (retry.IsTransient(e))
        {
            // A busy database delays this progress note, not the export: the next one, a second later, tries again.
        }
        finally
        {
            db.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private Task SetAsync(long exportId, string runnerId, ExportStatus status, string? reason) =>
        retry.RunAsync(async t =>
        {
            await using var db = await dbFactory.CreateAsync(t);
            var now = time.GetUtcNow();
            await db.ExportJobs.Where(j => j.Id == exportId && j.RunnerId == runnerId).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, status)
                .SetProperty(j => j.FailureReason, reason)
                .SetProperty(j => j.RunnerId, (string?)null)
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


internal sealed class ExportTakenOverException() : Exception("Another runner took this export over.");
