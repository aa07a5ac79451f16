namespace Crm.Core.Webhooks;

/// <summary>
/// When a failed delivery is tried again: quickly at first, then hours apart, for up to
/// <see cref="WebhookLimits.GiveUpAfter"/> (the schedule Stripe's and Svix's receivers are used to), each wait
/// varied by ±20% so endpoints that failed together are not all tried again at the same second.
/// </summary>
public static class WebhookBackoff
{
    private static readonly TimeSpan[] Schedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10),
    ];

    /// <summary>Longest wait a receiver's Retry-After is followed for (a longer one is cut to this).</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(6);

    /// <summary>The wait after the <paramref name="attempts"/>-th failed attempt.</summary>
    public static TimeSpan After(int attempts, TimeSpan? retryAfter, Random random)
    {
        if (retryAfter is { } asked && asked > TimeSpan.Zero) return asked < MaxRetryAfter ? asked : MaxRetryAfter;
        var wait = Schedule[Math.Clamp(attempts - 1, 0, Schedule.Length - 1)];
        return wait * (0.8 + random.NextDouble() * 0.4);
    }
}
