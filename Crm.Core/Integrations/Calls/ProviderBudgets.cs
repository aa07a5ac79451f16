namespace Crm.Core.Integrations.Calls;

/// <summary>One provider's limits on one connection, as the provider documents them for the connection's tier.</summary>
public sealed class ProviderBudget
{
    /// <summary>Requests allowed per <see cref="WindowSeconds"/> (HubSpot: 100 per 10 s; 190 on Professional and Enterprise).</summary>
    public int? Requests { get; set; }
    public double WindowSeconds { get; set; } = 10;
    /// <summary>Search requests per second (HubSpot's CRM search: 5 per token).</summary>
    public int? SearchPerSecond { get; set; }
    /// <summary>Requests at once (Graph: 4 per mailbox; Salesforce: 25 long-running).</summary>
    public int? Concurrent { get; set; }
    /// <summary>Quota units per second (Gmail: 250 per user; a request names its cost).</summary>
    public int? UnitsPerSecond { get; set; }
    /// <summary>Requests per UTC day (HubSpot: 250,000 on Free and Starter; Salesforce: the org's allocation).</summary>
    public int? Daily { get; set; }
    /// <summary>
    /// The share of the documented limit the budget allows (0.97): the provider counts arrivals, we count departures,
    /// and network jitter between the two must not make a burst look over the limit.
    /// </summary>
    public double Safety { get; set; } = 0.97;
}

/// <summary>
/// "Integrations:Budgets": each provider's limits per tier (the connection's tier picks one; <c>default</c> otherwise),
/// shared by every job and request of the process that calls through the same connection.
/// </summary>
public sealed class ProviderBudgets
{
    public const string Section = "Integrations:Budgets";

    public Dictionary<string, Dictionary<string, ProviderBudget>> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["hubspot"] = new(StringComparer.OrdinalIgnoreCase)
        {
            ["default"] = new() { Requests = 100, WindowSeconds = 10, SearchPerSecond = 5, Daily = 250_000 },
            ["professional"] = new() { Requests = 190, WindowSeconds = 10, SearchPerSecond = 5, Daily = 625_000 },
            ["enterprise"] = new() { Requests = 190, WindowSeconds = 10, SearchPerSecond = 5, Daily = 1_000_000 },
        },
        ["salesforce"] = new(StringComparer.OrdinalIgnoreCase) { ["default"] = new() { Concurrent = 25, Daily = 100_000 } },
        ["microsoft"] = new(StringComparer.OrdinalIgnoreCase) { ["default"] = new() { Concurrent = 4 } },
        // Gmail: 250 quota units a second per user; Calendar (its calls name the "calendar" tier): 600 requests a minute per user.
        ["google"] = new(StringComparer.OrdinalIgnoreCase) { ["default"] = new() { UnitsPerSecond = 250 }, ["calendar"] = new() { Requests = 600, WindowSeconds = 60 } },
    };

    public ProviderBudget For(string provider, string? tier) =>
        Providers.TryGetValue(provider, out var tiers)
            ? tier is not null && tiers.TryGetValue(tier, out var budget) ? budget : tiers.GetValueOrDefault("default") ?? new ProviderBudget()
            : new ProviderBudget();
}

/// <summary>The connection used its daily allocation: calls wait for the next UTC day (the sync resumes then).</summary>
public sealed class BudgetExhaustedException(string provider, int daily, DateTimeOffset resetsAt)
    : Exception($"The connection used today's {daily:N0} calls to {provider}; calls resume at {resetsAt:yyyy-MM-dd HH:mm} UTC.")
{
    public DateTimeOffset ResetsAt { get; } = resetsAt;
}
