using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Crm.Core.Integrations.Calls;
using Crm.Core.Integrations.Tokens;

namespace Crm.Infrastructure.Integrations.Calls;

/// <summary>
/// Each connection's rate budget, one per process and shared by every job and request calling through that connection:
/// token buckets (System.Threading.RateLimiting) sized so that no window of the provider's length ever holds more than
/// the documented limit (times a safety share), a concurrency limit where the provider counts requests at once, and a
/// daily cap. Callers wait in order for their turn instead of being refused.
/// </summary>
public sealed class ConnectionBudgets(ProviderBudgets settings, IntegrationUsageMeter usage, TimeProvider time) : IDisposable
{
    private const int QueueLimit = 100_000;
    private readonly ConcurrentDictionary<(long Id, string? Tier), Limits> _limits = new();

    /// <summary>The limiters of one connection; each may be absent.</summary>
    private sealed class Limits(ProviderBudget budget) : IDisposable
    {
        public ProviderBudget Budget { get; } = budget;
        public RateLimiter? Window { get; } = budget.Requests is { } requests ? new TokenBucketRateLimiter(Spaced(requests, budget.WindowSeconds, budget.Safety)) : null;
        public RateLimiter? Search { get; } = budget.SearchPerSecond is { } search ? new TokenBucketRateLimiter(Spaced(search, 1, budget.Safety)) : null;
        public RateLimiter? Concurrency { get; } = budget.Concurrent is { } concurrent
            ? new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = concurrent, QueueLimit = QueueLimit, QueueProcessingOrder = QueueProcessingOrder.OldestFirst })
            : null;
        public RateLimiter? Units { get; } = budget.UnitsPerSecond is { } units ? Pooled(units, budget.Safety) : null;
        /// <summary>The most units one lease takes; a costlier request (Gmail's send, 100 units) takes several in turn.</summary>
        public int UnitsBurst { get; } = budget.UnitsPerSecond is { } u ? BurstOf(u, budget.Safety) : 1;

        /// <summary>A twenty-fourth of the safe rate: room for two of Gmail's 5-unit reads at once, little enough to leave most of the rate.</summary>
        private static int BurstOf(int unitsPerSecond, double safety) => Math.Max(1, (int)Math.Floor(unitsPerSecond * safety / 24));

        /// <summary>
        /// Units per second as a small bucket (<see cref="BurstOf"/>) refilled continuously at the safe rate less that
        /// bucket: any second then holds at most bucket + rate = limit × safety. The refill runs every few milliseconds
        /// (the limiter adds what the elapsed time is worth), so waiting calls go as soon as their units are there and
        /// the quota is used evenly — a bucket of a whole tenth refilled every 100 ms left a fifth of it unused.
        /// </summary>
        private static TokenBucketRateLimiter Pooled(int unitsPerSecond, double safety)
        {
            var burst = BurstOf(unitsPerSecond, safety);
            var rate = Math.Max(1, unitsPerSecond * safety - burst);
            var perPeriod = Math.Max(1, burst / 3);
            return new(new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst, TokensPerPeriod = perPeriod, ReplenishmentPeriod = TimeSpan.FromSeconds(perPeriod / rate), AutoReplenishment = true,
                QueueLimit = QueueLimit, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        }

        public void Dispose()
        {
            Window?.Dispose();
            Search?.Dispose();
            Concurrency?.Dispose();
            Units?.Dispose();
        }
    }

    /// <summary>
    /// <paramref name="limit"/> per <paramref name="windowSeconds"/> as tokens evenly spaced: a bucket of B tokens —
    /// a hundredth of the window's allowance, at least one — refilled one at a time every window/(limit × safety − B).
    /// Any window then holds at most B + window/P = limit × safety grants, however the provider aligns it, and the
    /// budget is used evenly, not in bursts. A long window's B lets a connection that was idle send its first few
    /// calls together (Google Calendar's 600 a minute: 5 calendars' first pages, or 5 pushed changes, at once rather
    /// than 100 ms apart); a short one's B is 1, one call at a time (HubSpot's 5 searches a second give 3.85, not 1).
    /// </summary>
    internal static TokenBucketRateLimiterOptions Spaced(int limit, double windowSeconds, double safety)
    {
        var burst = Math.Max(1, (int)Math.Floor(limit * safety / 100));
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst, TokensPerPeriod = 1, AutoReplenishment = true, QueueLimit = QueueLimit, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            ReplenishmentPeriod = TimeSpan.FromSeconds(windowSeconds / Math.Max(1, limit * safety - burst)),
        };
    }

    /// <summary>What a granted call holds until its answer is in (the concurrency permit).</summary>
    public sealed class Grant(List<RateLimitLease> leases) : IDisposable
    {
        public void Dispose()
        {
            foreach (var lease in leases) lease.Dispose();
        }
    }

    /// <summary>Waits for the connection's turn; refuses only when today's allocation is used up.</summary>
    /// <exception cref="BudgetExhaustedException">The daily cap is reached.</exception>
    public async ValueTask<Grant> AcquireAsync(ConnectionRef connection, string? tier, bool search, int units, CancellationToken ct)
    {
        var (published, connectionTier) = await usage.ConnectionLimitsAsync(connection, ct);
        tier ??= connectionTier;
        var limits = _limits.GetOrAdd((connection.IntegrationId, tier), key => new Limits(settings.For(connection.Provider, key.Tier)));
        if ((published ?? limits.Budget.Daily) is { } daily && await usage.CallsTodayAsync(connection, ct) >= daily)
        {
            var tomorrow = time.GetUtcNow().UtcDateTime.Date.AddDays(1);
            throw new BudgetExhaustedException(connection.Provider, daily, new DateTimeOffset(tomorrow, TimeSpan.Zero));
        }
        var leases = new List<RateLimitLease>(8);
        try
        {
            // Concurrency last: a permit held while waiting for a rate token would idle a slot.
            if (limits.Window is { } window) leases.Add(await AcquireOneAsync(window, 1, ct));
            if (search && limits.Search is { } searches) leases.Add(await AcquireOneAsync(searches, 1, ct));
            if (limits.Units is { } pool)
                for (var left = Math.Max(1, units); left > 0; left -= limits.UnitsBurst)
                    leases.Add(await AcquireOneAsync(pool, Math.Min(left, limits.UnitsBurst), ct));
            if (limits.Concurrency is { } concurrency) leases.Add(await AcquireOneAsync(concurrency, 1, ct));
            return new Grant(leases);
        }
        catch
        {
            foreach (var lease in leases) lease.Dispose();
            throw;
        }
    }

    private static async ValueTask<RateLimitLease> AcquireOneAsync(RateLimiter limiter, int permits, CancellationToken ct)
    {
        var lease = await limiter.AcquireAsync(permits, ct);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new InvalidOperationException("Too many calls are waiting for this connection's budget.");
        }
        return lease;
    }

    /// <summary>Forgets a connection's limiters (disconnect; a changed tier).</summary>
    public void Forget(long integrationId)
    {
        foreach (var key in _limits.Keys.Where(k => k.Id == integrationId))
            if (_limits.TryRemove(key, out var limits)) limits.Dispose();
    }

    public void Dispose()
    {
        foreach (var limits in _limits.Values) limits.Dispose();
        _limits.Clear();
    }
}
