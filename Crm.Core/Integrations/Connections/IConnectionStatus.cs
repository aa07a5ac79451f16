using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;

namespace Crm.Core.Integrations.Connections;

/// <summary>
/// The one place a connection's status changes outside a person's action (connect, pause, disconnect): what a provider
/// call found out. Typed outcomes map to actions: a refused grant asks for a reconnect and stops its jobs; a failure
/// counts and shows; a success clears an earlier failure.
/// </summary>
public interface IConnectionStatus
{
    /// <summary>The grant is gone: <c>needs_reconnect</c> with the reason, its trigger stopped until the owner reconnects.</summary>
    Task NeedsReconnectAsync(ConnectionRef connection, string reason, CancellationToken ct = default);

    /// <summary>A call failed in a way that may pass (provider down, timeouts): <c>error</c>, counted, shown.</summary>
    Task FailedAsync(ConnectionRef connection, string reason, CancellationToken ct = default);

    /// <summary>A call worked: an earlier <c>error</c> is cleared (a <c>needs_reconnect</c> is cleared only by reconnecting).</summary>
    Task HealthyAsync(ConnectionRef connection, CancellationToken ct = default);

    /// <summary>
    /// Starts a sync run: the connection shows <c>syncing</c>, a run row is written. Null when the connection cannot run
    /// now (paused, needs a reconnect, disconnected) or a run of it is already going.
    /// </summary>
    Task<long?> StartRunAsync(ConnectionRef connection, string trigger, CancellationToken ct = default);

    /// <summary>Finishes a run with its totals; the connection shows the outcome, its last sync is now when it worked.</summary>
    Task FinishRunAsync(ConnectionRef connection, long runId, SyncTotals totals, SyncRunOutcome outcome, string? error, CancellationToken ct = default);

    /// <summary>Saves one object type's position after a page of work (cursor, counts), so a stopped run resumes there.</summary>
    Task SaveProgressAsync(ConnectionRef connection, string objectType, string? cursor, int read, int written, CancellationToken ct = default);

    /// <summary>The position one object type's sync saved last (null before its first run).</summary>
    Task<string?> CursorAsync(ConnectionRef connection, string objectType, CancellationToken ct = default);

    /// <summary>Runs "syncing" since before <paramref name="startedBefore"/> (their process died) are closed as abandoned.</summary>
    Task<int> RescueStuckRunsAsync(DateTimeOffset startedBefore, CancellationToken ct = default);
}

/// <summary>What a run did, added up over its object types.</summary>
public sealed record SyncTotals(int ReadIn = 0, int WrittenIn = 0, int ReadOut = 0, int WrittenOut = 0, int Conflicts = 0, int Errors = 0, int ApiCalls = 0)
{
    public static SyncTotals operator +(SyncTotals a, SyncTotals b) => new(a.ReadIn + b.ReadIn, a.WrittenIn + b.WrittenIn, a.ReadOut + b.ReadOut,
        a.WrittenOut + b.WrittenOut, a.Conflicts + b.Conflicts, a.Errors + b.Errors, a.ApiCalls + b.ApiCalls);
}
