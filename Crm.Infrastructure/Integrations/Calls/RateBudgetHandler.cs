using Crm.Core.Integrations.Tokens;

namespace Crm.Infrastructure.Integrations.Calls;

/// <summary>
/// Inside the retries: every attempt waits for the connection's budget and is counted (the provider counts retries
/// too), with whether the provider throttled it or failed.
/// </summary>
public sealed class RateBudgetHandler(ConnectionBudgets budgets, IntegrationUsageMeter usage) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var connection = ProviderCall.ConnectionOf(request);
        request.Options.TryGetValue(ProviderCall.Tier, out var tier);
        request.Options.TryGetValue(ProviderCall.Search, out var search);
        var units = request.Options.TryGetValue(ProviderCall.Units, out var u) ? u : 1;
        using var grant = await budgets.AcquireAsync(connection, tier, search, units, ct);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            usage.Record(connection, CallOutcome.Failed);
            throw;
        }
        usage.Record(connection, (int)response.StatusCode switch
        {
            429 => CallOutcome.Throttled,
            >= 500 => CallOutcome.Failed,
            _ => CallOutcome.Answered,
        });
        return response;
    }
}
