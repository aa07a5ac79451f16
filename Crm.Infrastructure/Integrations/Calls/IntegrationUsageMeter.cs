using System.Collections.Concurrent;
using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Tokens;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Crm.Infrastructure.Integrations.Calls;

public enum CallOutcome
{
    Answered,
    Throttled,
    Failed,
}

/// <summary>
/// Counts each connection's calls per UTC day: in memory as they happen (the daily cap reads it), written to
/// <c>IntegrationUsage</c> a moment later in one statement per connection, so a busy sync does not write a row per call.
/// </summary>
public sealed class IntegrationUsageMeter(CrmDatabase database, TimeProvider time, ILogger<IntegrationUsageMeter> log) : IAsyncDisposable
{
    private static readonly TimeSpan FlushAfter = TimeSpan.FromSeconds(2);

    private sealed class Counter(long workspaceId)
    {
        public long WorkspaceId { get; } = workspaceId;
        public int Calls, Throttled, Failed;
        /// <summary>Calls already counted in the database when this process first looked; -1 until it has.</summary>
        public int Stored = -1;
        public int Total;
    }

    private readonly ConcurrentDictionary<(long Id, DateOnly Day), Counter> _counters = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private int _flushScheduled;

    private DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    public void Record(ConnectionRef connection, CallOutcome outcome)
    {
        var counter = _counters.GetOrAdd((connection.IntegrationId, Today), _ => new Counter(connection.WorkspaceId));
        Interlocked.Increment(ref counter.Calls);
        Interlocked.Increment(ref counter.Total);
        if (outcome == CallOutcome.Throttled) Interlocked.Increment(ref counter.Throttled);
        if (outcome == CallOutcome.Failed) Interlocked.Increment(ref counter.Failed);
        if (Interlocked.CompareExchange(ref _flushScheduled, 1, 0) == 0)
            _ = Task.Run(async () =>
            {
                await Task.Delay(FlushAfter);
                Volatile.Write(ref _flushScheduled, 0);
                try
                {
                    await FlushAsync(CancellationToken.None);
                }
                catch (Exception e)
                {
                    log.LogWarning(e, "Could not store the integrations' call counts; they are kept for the next attempt");
                }
            });
    }

    /// <summary>Calls made today through the connection, by every instance until this one started and by this one since.</summary>
    public async ValueTask<int> CallsTodayAsync(ConnectionRef connection, CancellationToken ct)
    {
        var day = Today;
        var counter = _counters.GetOrAdd((connection.IntegrationId, day), _ => new Counter(connection.WorkspaceId));
        if (Volatile.Read(ref counter.Stored) < 0)
        {
            await using var db = database.Create(Actor.System(connection.WorkspaceId, ChangeSource.Sync));
            var stored = await db.IntegrationUsage.Where(u => u.IntegrationId == connection.IntegrationId && u.Day == day).Select(u => (int?)u.Calls).SingleOrDefaultAsync(ct) ?? 0;
            // Counted by this process but already flushed are in both: keep the larger view.
            if (Interlocked.CompareExchange(ref counter.Stored, stored, -1) == -1)
                Interlocked.Add(ref counter.Total, Math.Max(0, stored - (counter.Total - Volatile.Read(ref counter.Calls))));
        }
        return Volatile.Read(ref counter.Total);
    }

    private readonly ConcurrentDictionary<long, (int? DailyLimit, string? Tier, DateTimeOffset ReadAt)> _limits = new();

    /// <summary>
    /// The connection's budget tier and the provider's own daily allocation when it published one (Salesforce's
    /// /limits), read again every minute.
    /// </summary>
    public async ValueTask<(int? DailyLimit, string? Tier)> ConnectionLimitsAsync(ConnectionRef connection, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_limits.TryGetValue(connection.IntegrationId, out var known) && now - known.ReadAt < TimeSpan.FromMinutes(1)) return (known.DailyLimit, known.Tier);
        await using var db = database.Create(Actor.System(connection.WorkspaceId, ChangeSource.Sync));
        var row = await db.Integrations.Where(i => i.Id == connection.IntegrationId).Select(i => new { i.DailyCallLimit, i.BudgetTier }).SingleOrDefaultAsync(ct);
        _limits[connection.IntegrationId] = (row?.DailyCallLimit, row?.BudgetTier, now);
        return (row?.DailyCallLimit, row?.BudgetTier);
    }

    /// <summary>Writes the counts not yet stored.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        await _flushing.WaitAsync(ct);
        try
        {
            foreach (var ((id, day), counter) in _counters)
            {
                var calls = Interlocked.Exchange(ref counter.Calls, 0);
                var throttled = Interlocked.Exchange(ref counter.Throttled, 0);
                var failed = Interlocked.Exchange(ref counter.Failed, 0);
                if (calls == 0 && throttled == 0 && failed == 0) continue;
                try
                {
                    await AddAsync(counter.WorkspaceId, id, day, calls, throttled, failed, ct);
                }
                catch (DbUpdateException)
                {
                    // The connection is gone (deleted with its usage): nothing to count against.
                }
            }
            var today = Today;
            foreach (var key in _counters.Keys.Where(k => k.Day < today)) _counters.TryRemove(key, out _);
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task AddAsync(long workspaceId, long integrationId, DateOnly day, int calls, int throttled, int failed, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = database.Create(Actor.System(workspaceId, ChangeSource.Sync));
            var updated = await db.IntegrationUsage.Where(u => u.IntegrationId == integrationId && u.Day == day)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Calls, u => u.Calls + calls).SetProperty(u => u.Throttled, u => u.Throttled + throttled)
                    .SetProperty(u => u.Failed, u => u.Failed + failed), ct);
            if (updated > 0) return;
            db.IntegrationUsage.Add(new IntegrationUsage { IntegrationId = integrationId, Day = day, Calls = calls, Throttled = throttled, Failed = failed });
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Another instance inserted today's row first: add to it.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await FlushAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not store the integrations' last call counts");
        }
    }
}
