namespace Crm.Infrastructure.Webhooks;

/// <summary>Configuration section <c>Webhooks</c>.</summary>
public sealed class WebhookSettings
{
    /// <summary>
    /// Hosts an operator trusts: they may be sent plain http and may resolve to private addresses (a receiver on the
    /// same network). Empty by default: https to public addresses only.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];
    /// <summary>How often the delivery service looks for events to send when it was not woken (seconds).</summary>
    public double PollSeconds { get; set; } = 1;
    /// <summary>Requests in flight at once, over all endpoints.</summary>
    public int Concurrency { get; set; } = 32;
    /// <summary>Multiplies the retry schedule's waits (not a receiver's Retry-After): below 1 only for tests and benchmarks.</summary>
    public double RetryScale { get; set; } = 1;
    /// <summary>Runs the delivery service in this process (off in tests that drive it themselves).</summary>
    public bool Enabled { get; set; } = true;

    public IReadOnlySet<string> AllowedHostSet => new HashSet<string>(AllowedHosts.Where(h => !string.IsNullOrWhiteSpace(h)).Select(h => h.Trim()), StringComparer.OrdinalIgnoreCase);
}
