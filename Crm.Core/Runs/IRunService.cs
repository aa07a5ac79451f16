namespace Crm.Core.Runs;

/// <summary>A run to queue: now, or no earlier than <see cref="NotBefore"/>.</summary>
public sealed record RunRequest(RunKind Kind, long WorkspaceId, long SubjectId, long? RequestedByUserId, DateTimeOffset? NotBefore = null, long? Total = null);

/// <summary>How far a run is: its step, what it has done and (when known) of how much.</summary>
public sealed record RunProgress(string? Stage, long Done, long? Total = null);

/// <summary>
/// What a runner holds while it works a run: the run and its own id. Work that commits its progress in its own
/// transaction (an import's batches) checks the lease in that transaction, so a runner thought dead commits nothing.
/// </summary>
public sealed record RunLease(long RunId, string RunnerId);

/// <summary>How a run ended: a sentence for people, its last progress, and what its kind reports (JSON) for programs.</summary>
public sealed record RunOutcome(RunStatus Status, string? Summary, RunProgress? Progress = null, string? Result = null);

/// <summary>A run the rescue job hands to a worker again.</summary>
public sealed record StalledRun(long RunId, RunKind Kind, long WorkspaceId, long SubjectId);

/// <summary>
/// The only writer of <see cref="Run"/> rows. Every change is one guarded statement, so two runners never share a
/// run: a runner that was thought dead and comes back finds its beats and its finish refused.
/// </summary>
public interface IRunService
{
    /// <summary>
    /// Queues the work, or returns the run of the same kind and subject that is already queued or running (asking
    /// twice runs it once), and hands it to a worker.
    /// </summary>
    Task<Run> QueueAsync(RunRequest request, CancellationToken ct = default);

    /// <summary>
    /// Takes the run for this runner if it is queued, or running with a heartbeat older than the stale period (its
    /// runner died). Null when another runner has it or it is finished.
    /// </summary>
    Task<Run?> ClaimAsync(long runId, string runnerId, CancellationToken ct = default);

    /// <summary>Heartbeat and progress. False when the run is no longer this runner's: it must stop.</summary>
    Task<bool> BeatAsync(long runId, string runnerId, RunProgress progress, CancellationToken ct = default);

    /// <summary>Ends the run. False when it was no longer this runner's (another one finishes it).</summary>
    Task<bool> FinishAsync(long runId, string runnerId, RunOutcome outcome, CancellationToken ct = default);

    /// <summary>
    /// The runner stops without finishing: on shutdown (no error; another takes it at once) or on an error, counted as a
    /// failure; the rescue job tries it again after the stale period, up to <see cref="RunLimits.MaxFailures"/> failures.
    /// </summary>
    Task ReleaseAsync(long runId, string runnerId, string? error, CancellationToken ct = default);

    /// <summary>A failed or given-up run is queued again on request (its failures forgotten).</summary>
    Task<Run?> RetryAsync(long runId, CancellationToken ct = default);

    Task<Run?> GetAsync(long runId, CancellationToken ct = default);

    /// <summary>The queued or running run of this kind for this subject (ids of imports and exports are unique across workspaces).</summary>
    Task<Run?> FindActiveAsync(RunKind kind, long subjectId, CancellationToken ct = default);

    /// <summary>The newest run of this kind and subject in the workspace.</summary>
    Task<Run?> LatestAsync(long workspaceId, RunKind kind, long subjectId, CancellationToken ct = default);

    /// <summary>The newest finished run of this kind and subject in the workspace.</summary>
    Task<Run?> LatestFinishedAsync(long workspaceId, RunKind kind, long subjectId, CancellationToken ct = default);

    /// <summary>
    /// Runs whose heartbeat stopped, queued runs no worker picked up, and runs released on an error whose pause is
    /// over (while they have failed fewer than <see cref="RunLimits.MaxFailures"/> times), across workspaces.
    /// </summary>
    Task<IReadOnlyList<StalledRun>> FindStalledAsync(CancellationToken ct = default);
}
