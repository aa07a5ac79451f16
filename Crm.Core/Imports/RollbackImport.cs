using System.Globalization;
using Crm.Core.Common;
using Crm.Core.Runs;
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
/// <paramref name="restoreChanged"/> is set. A rollback that stopped on an error can be resumed the same way.
/// </summary>
public sealed class StartRollbackHandler(ICrmDbFactory dbFactory, IRunService runs)
{
    public async Task<ImportView> HandleAsync(long importId, bool restoreChanged, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var job = await db.ImportJobs.GetAsync(importId, "Import", ct);
        var run = job.Status == ImportStatus.RollingBack ? await runs.FindActiveAsync(RunKind.ImportRollback, job.Id, ct) : null;
        if (RollbackRules.CanResume(job, run))
        {
            // The choice made when it started stays: half the records must not be handled one way and half the other.
            await runs.RetryAsync(run!.Id, ct);
        }
        else
        {
            RollbackRules.EnsureCanRollBack(job);
            job.Status = ImportStatus.RollingBack;
            job.RollbackRestoresChangedRecords = restoreChanged;
            job.RolledBackByUserId = db.Actor.UserId;
            job.RollbackStage = RollbackStage.RestoreUpdated;
            job.RollbackCursor = 0;
            await db.SaveChangesAsync(ct);
            await runs.QueueAsync(new RunRequest(RunKind.ImportRollback, job.WorkspaceId, job.Id, db.Actor.UserId), ct);
        }
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

    /// <summary>A rollback that stopped on an error and that no runner holds now: asking again resumes it.</summary>
    public static bool CanResume(ImportJob job, Run? rollback) =>
        job.Status == ImportStatus.RollingBack && rollback is { Status: RunStatus.Queued, Failures: > 0 };

    /// <summary>Why the rollback last stopped, while it is retried or waits for someone to resume it.</summary>
    public static string? ErrorOf(Run? rollback) => rollback is { IsActive: true, Failures: > 0 } ? rollback.LastError : null;
}

/// <summary>
/// The background side of a rollback (a run: the rescue job runs it again after a crash or an error). Each batch
/// commits with the rollback's step, cursor and counts and checks the run's lease, and every batch is retried on a
/// busy database, so a rollback stopped anywhere resumes where it stopped and reports what it really did.
/// </summary>
public sealed partial class RollbackRunner(IImportJobStore jobs, IImportRollbackStore rollback, IRunService runs, DatabaseRetry retry, TimeProvider time, ILogger<RollbackRunner> logger)
    : IRunHandler
{
    /// <summary>Attempts before a failing rollback waits for a person to resume it (the rescue job stops retrying).</summary>
    public const int MaxAttempts = RunLimits.MaxFailures;

    /// <summary>Runs the import's queued (or stalled) rollback, as the background worker would.</summary>
    public async Task RunAsync(long importId, CancellationToken ct)
    {
        if (await runs.FindActiveAsync(RunKind.ImportRollback, importId, ct) is { } run) await ExecuteAsync(run, ct);
        else LogNotClaimed(importId);
    }

    public async Task ExecuteAsync(Run run, CancellationToken ct)
    {
        var importId = run.SubjectId;
        var lease = new RunLease(run.Id, Guid.NewGuid().ToString("N"));
        var claimed = await runs.ClaimAsync(run.Id, lease.RunnerId, ct);
        if (claimed is null)
        {
            LogNotClaimed(importId);
            return;
        }
        var job = await retry.RunAsync(t => jobs.GetAsync(importId, t), ct);
        if (job is not { Status: ImportStatus.RollingBack })
        {
            // Finished just before its runner died: the run says so now.
            await runs.FinishAsync(run.Id, lease.RunnerId, new RunOutcome(RunStatus.Succeeded, null), CancellationToken.None);
            return;
        }
        var actor = Actor.System(job.WorkspaceId, ChangeSource.Import, $"rollback:import:{importId}") with { UserId = job.RolledBackByUserId };
        try
        {
            while (await retry.RunAsync(t => rollback.RollBackBatchAsync(importId, lease, actor, time.GetUtcNow(), t), ct)) { }
            await retry.RunAsync(async t => { await jobs.FinishRollbackAsync(importId, lease, time.GetUtcNow(), t); return 0; }, ct);
            var done = await jobs.GetAsync(importId, ct);
            var summary = done is null ? null : string.Create(CultureInfo.InvariantCulture,
                $"{done.RollbackDeleted:N0} deleted, {done.RollbackRestored:N0} restored, {done.RollbackKeptChanged:N0} kept (changed since)");
            await runs.FinishAsync(run.Id, lease.RunnerId, new RunOutcome(RunStatus.Succeeded, summary), CancellationToken.None);
            if (done is not null) LogRolledBack(importId, done.RollbackDeleted, done.RollbackRestored, done.RollbackKeptChanged);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await ReleaseAsync(lease, importId, null);
            LogReleased(importId);
        }
        catch (ImportClaimLostException)
        {
            LogClaimLost(importId);
        }
        catch (Exception e)
        {
            var attempt = claimed.Failures + 1;
            LogFailed(e, importId, attempt);
            var error = attempt >= MaxAttempts
                ? $"The rollback stopped on an unexpected error {MaxAttempts} times; what it did so far is saved and counted. Resume it to try again."
                : "The rollback stopped on an unexpected error; what it did so far is saved and counted. It is tried again in a few minutes.";
            await ReleaseAsync(lease, importId, error);
        }
    }

    private async Task ReleaseAsync(RunLease lease, long importId, string? error)
    {
        try
        {
            await runs.ReleaseAsync(lease.RunId, lease.RunnerId, error, CancellationToken.None);
        }
        catch (Exception e) when (retry.IsTransient(e))
        {
            // The heartbeat goes stale and the rescue job takes the rollback over all the same.
            LogNotReleased(e, importId);
        }
    }
    [LoggerMessage(Level = LogLevel.Information, Message = "Rollback of import {ImportId} is running elsewhere or finished; nothing to do")]
    private partial void LogNotClaimed(long importId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {ImportId} rolled back: {Deleted} deleted, {Restored} restored, {Kept} kept (changed since)")]
    private partial void LogRolledBack(long importId, int deleted, int restored, int kept);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollback of import {ImportId} paused for shutdown; it resumes on the next start")]
    private partial void LogReleased(long importId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rollback of import {ImportId} was taken over by another runner; this one stops")]
    private partial void LogClaimLost(long importId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rollback of import {ImportId} failed (attempt {Attempt})")]
    private partial void LogFailed(Exception exception, long importId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rollback of import {ImportId} could not be released; the rescue job takes it over")]
    private partial void LogNotReleased(Exception exception, long importId);
}
