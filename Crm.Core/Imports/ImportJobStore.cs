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

    /// <summary>Jobs whose runner stopped answering, or that were queued but never started.</summary>
    Task<IReadOnlyList<(long ImportId, long WorkspaceId)>> FindStalledAsync(TimeSpan staleAfter, DateTimeOffset now, CancellationToken ct);
}

/// <summary>Hands long work to the background scheduler (Quartz, persistent).</summary>
public interface IImportScheduler
{
    Task ScheduleRunAsync(long importId, long workspaceId, CancellationToken ct = default);
    Task ScheduleRollbackAsync(long importId, long workspaceId, CancellationToken ct = default);
}
