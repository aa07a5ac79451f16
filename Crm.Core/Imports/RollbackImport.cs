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
/// <paramref name="restoreChanged"/> is set. A rollback that stopped on an error can be resumed the same way.
/// </summary>
public sealed class StartRollbackHandler(ICrmDbFactory dbFactory, IImportScheduler scheduler)
{
    public async Task<ImportView> HandleAsync(long importId, bool restoreChanged, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var job = await db.ImportJobs.GetAsync(importId, "Import", ct);
        if (RollbackRules.CanResume(job))
        {
            // The choice made when it started stays: half the records must not be handled one way and half the other.
            job.RollbackAttempts = 0;
            job.RollbackError = null;
            job.HeartbeatAt = null;
        }
        else
        {
            RollbackRules.EnsureCanRollBack(job);
            job.Status = ImportStatus.RollingBack;
            job.RollbackRestoresChangedRecords = restoreChanged;
            job.RolledBackByUserId = db.Actor.UserId;
            job.RollbackStage = RollbackStage.RestoreUpdated;
            job.RollbackCursor = 0;
            job.RollbackAttempts = 0;
            job.HeartbeatAt = null;
            job.RunnerId = null;
        }
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

    /// <summary>A rollback that stopped on an error and that no runner holds now: asking again resumes it.</summary>
    public static bool CanResume(ImportJob job) =>
        job.Status == ImportStatus.RollingBack && job.RollbackError is not null && job.RunnerId is null;
}

/// <summary>
/// The background side of a rollback (Quartz runs it; the watchdog runs it again after a crash or an error). Each
/// batch commits with the rollback's step, cursor and counts, and every batch is retried on a busy database, so a
/// rollback stopped anywhere resumes where it stopped and reports what it really did.
/// </summary>
public sealed partial class RollbackRunner(IImportJobStore jobs, IImportRollbackStore rollback, DatabaseRetry retry, TimeProvider time, ILogger<RollbackRunner> logger)
{
    /// <summary>Attempts before a failing rollback waits for a person to resume it (the watchdog stops retrying).</summary>
    public const int MaxAttempts = 5;

    public TimeSpan StaleThreshold { get; set; } = ImportRunner.StaleAfter;

    public async Task RunAsync(long importId, CancellationToken ct)
    {
        var runnerId = Guid.NewGuid().ToString("N");
        var job = await retry.RunAsync(t => jobs.ClaimRollbackAsync(importId, runnerId, StaleThreshold, time.GetUtcNow(), t), ct);
        if (job is null)
        {
            LogNotClaimed(importId);
            return;
        }
        var actor = Actor.System(job.WorkspaceId, ChangeSource.Import, $"rollback:import:{importId}") with { UserId = job.RolledBackByUserId };
        try
        {
            while (await retry.RunAsync(t => rollback.RollBackBatchAsync(importId, runnerId, actor, time.GetUtcNow(), t), ct)) { }
            await retry.RunAsync(t => jobs.FinishRollbackAsync(importId, runnerId, time.GetUtcNow(), t), ct);
            if (await jobs.GetAsync(importId, ct) is { } done) LogRolledBack(importId, done.RollbackDeleted, done.RollbackRestored, done.RollbackKeptChanged);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await ReleaseAsync(importId, runnerId, null);
            LogReleased(importId);
        }
        catch (ImportClaimLostException)
        {
            LogClaimLost(importId);
        }
        catch (Exception e)
        {
            LogFailed(e, importId, job.RollbackAttempts);
            var error = job.RollbackAttempts >= MaxAttempts
                ? $"The rollback stopped on an unexpected error {MaxAttempts} times; what it did so far is saved and counted. Resume it to try again."
                : "The rollback stopped on an unexpected error; what it did so far is saved and counted. It is tried again in a few minutes.";
            await ReleaseAsync(importId, runnerId, error);
        }
    }

    private async Task ReleaseAsync(long importId, string runnerId, string? error)
    {
        try
        {
            await retry.RunAsync(t => jobs.ReleaseRollbackAsync(importId, runnerId, error, time.GetUtcNow(), t), CancellationToken.None);
        }
        catch (Exception e) when (retry.IsTransient(e))
        {
            // The heartbeat goes stale and the watchdog takes the rollback over all the same.
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rollback of import {ImportId} could not be released; the watchdog takes it over")]
    private partial void LogNotReleased(Exception exception, long importId);
}
