using Crm.Core.Runs;

namespace Crm.Core.Imports;

/// <summary>
/// The import row's life cycle as its runs move it. Who runs it is the run's (<see cref="IRunService"/>); the writes
/// that end it check the run's lease in their own transaction, so a runner thought dead changes nothing.
/// </summary>
public interface IImportJobStore
{
    /// <summary>The job as stored now (whatever its workspace).</summary>
    Task<ImportJob?> GetAsync(long importId, CancellationToken ct);

    /// <summary>A queued job is running from now (a resumed one keeps its first start).</summary>
    Task StartAsync(long importId, DateTimeOffset now, CancellationToken ct);

    Task SetTotalRowsAsync(long importId, int totalRows, CancellationToken ct);

    /// <summary>
    /// Ends the run: Completed, Cancelled or Failed (with a reason people can act on). Throws
    /// <see cref="ImportClaimLostException"/> (and changes nothing) when the lease was lost.
    /// </summary>
    Task FinishAsync(long importId, RunLease lease, ImportStatus status, string? failureReason, DateTimeOffset now, CancellationToken ct);

    /// <summary>The rollback is done: the import is rolled back. Throws <see cref="ImportClaimLostException"/> when the lease was lost.</summary>
    Task FinishRollbackAsync(long importId, RunLease lease, DateTimeOffset now, CancellationToken ct);
}
