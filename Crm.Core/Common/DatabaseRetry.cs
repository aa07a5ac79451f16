namespace Crm.Core.Common;

/// <summary>Tells a database error that goes away when the work is tried again (a busy or locked database, a deadlock).</summary>
public interface ITransientFailures
{
    bool IsTransient(Exception exception);
}

/// <summary>
/// Runs one unit of database work — one transaction — again when it fails on a transient error, with growing pauses.
/// Long runs (imports, rollbacks, exports, scans, merges) commit in small units through it, so another writer holding
/// the database for longer than its busy timeout delays them instead of killing them. The work must be safe to
/// repeat from its start: each attempt opens its own context and reads what it needs again.
/// </summary>
public sealed class DatabaseRetry(ITransientFailures failures, TimeProvider time)
{
    /// <summary>
    /// Attempts in all. With SQLite's 30 s busy timeout inside each attempt and the pauses between them (0.5 s doubling
    /// to 8 s), a unit of work waits up to ~3.5 minutes for a busy database before its run gives up.
    /// </summary>
    public int MaxAttempts { get; init; } = 6;

    public TimeSpan FirstPause { get; init; } = TimeSpan.FromMilliseconds(500);

    public bool IsTransient(Exception exception) => failures.IsTransient(exception);

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await work(ct);
            }
            catch (Exception e) when (attempt < MaxAttempts && !ct.IsCancellationRequested && failures.IsTransient(e))
            {
                await PauseAsync(attempt + 1, ct);
            }
        }
    }

    public Task RunAsync(Func<CancellationToken, Task> work, CancellationToken ct) =>
        RunAsync(async token => { await work(token); return true; }, ct);

    /// <summary>Waits before another attempt of a larger unit (a run that starts again after its last commit).</summary>
    public Task PauseAsync(int attempt, CancellationToken ct) => Task.Delay(PauseBefore(attempt), time, ct);

    /// <summary>The pause before an attempt: doubling from <see cref="FirstPause"/>, at most 16 times it, with ±20% jitter.</summary>
    public TimeSpan PauseBefore(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 2, 4));
        var jitter = 0.8 + Random.Shared.NextDouble() * 0.4;
        return TimeSpan.FromTicks((long)(FirstPause.Ticks * factor * jitter));
    }
}
