namespace Crm.Core.Imports;

/// <summary>The job row's life cycle, changed in single guarded statements so two runners can never share a job.</summary>
public interface IImportJobStore
{
    /// <summary>
    /// Takes the job for this runner if it is queued, or running with a heartbeat older than <paramref name="staleAfter"/>
    /// (its runner died); marks it running. Null when another runner has it or it is finished.
    /// </summary>
    Task<ImportJob?> ClaimAsync(long importId, string runnerId, TimeSpan staleAfter, DateTimeOffset now, CancellationToken ct);

    /// <summary>The job as stored now (whatever its workspace).</summary>
    Task<ImportJob?> GetAsync(long importId, CancellationToken ct);

    Task SetTotalRowsAsync(long importId, int totalRows, CancellationToken ct);

    /// <summary>Ends the run: Completed, Cancelled or Failed (with a reason people can act on).</summary>
    Task FinishAsync(long importId, string runnerId, ImportStatus status, string? failureReason, DateTimeOffset now, CancellationToken ct);

    /// <summary>The runner stops without finishing (app shutting down): another can resume at once.</summary>
    Task ReleaseAsync(long importId, string runnerId, CancellationToken ct);

    /// <summary>
    /// Jobs whose runner stopped answering, or that were queued but never started; with them, rollbacks whose runner
    /// died or stopped on an error (until they have been tried <see cref="RollbackRunner.MaxAttempts"/> times).
    /// </summary>
    Task<IReadOnlyList<StalledImport>> FindStalledAsync(TimeSpan staleAfter, DateTimeOffset now, CancellationToken ct);

    /// <summary>Takes a rollback for this runner if nobody runs it (or its runner went silent). Null otherwise.</summary>
    Task<ImportJob?> ClaimRollbackAsync(long importId, string runnerId, TimeSpan staleAfter, DateTimeOffset now, CancellationToken ct);

    Task FinishRollbackAsync(long importId, string runnerId, DateTimeOffset now, CancellationToken ct);

    /// <summary>The rollback runner stops without finishing: on shutdown (no error) or on an error it names.</summary>
    Task ReleaseRollbackAsync(long importId, string runnerId, string? error, DateTimeOffset now, CancellationToken ct);
}

/// <summary>A job the watchdog schedules again: its run, or its rollback.</summary>
public sealed record StalledImport(long ImportId, long WorkspaceId, bool RollingBack);

/// <summary>Hands long work to the background scheduler (Quartz, persistent).</summary>
public interface IImportScheduler
{
    Task ScheduleRunAsync(long importId, long workspaceId, CancellationToken ct = default);
    Task ScheduleRollbackAsync(long importId, long workspaceId, CancellationToken ct = default);
}
