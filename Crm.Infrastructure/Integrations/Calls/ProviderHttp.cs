using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Crm.Infrastructure.Integrations.Calls;

/// <summary>
/// The pipeline of every client that calls a provider's API for a connection, outermost first: a total timeout,
/// retries (exponential with jitter, <c>Retry-After</c> honoured on 429 and 503; 5xx and network errors retried only
/// for requests that are safe to repeat), a timeout per attempt, the connection's rate budget, and its token.
/// </summary>
public static class ProviderHttp
{
    public static IHttpClientBuilder AddProviderPipeline(this IHttpClientBuilder builder, Action<ProviderRetryOptions>? configure = null)
    {
        var options = new ProviderRetryOptions();
        configure?.Invoke(options);
        builder.AddResilienceHandler("provider", pipeline =>
        {
            pipeline.AddTimeout(options.Total);
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.FirstDelay,
                MaxDelay = options.MaxDelay,
                ShouldRetryAfterHeader = true,
                ShouldHandle = async args => ShouldRetry(args.Outcome, args.Context.GetRequestMessage()) || await IsGoogleRateLimitAsync(args.Outcome),
            });
            pipeline.AddTimeout(options.PerAttempt);
        });
        builder.AddHttpMessageHandler<RateBudgetHandler>();
        builder.AddHttpMessageHandler<ConnectionAuthHandler>();
        builder.AddHttpMessageHandler<RequestSlots>();
        return builder;
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request)
    {
        if (outcome.Result is { } response)
        {
            var status = (int)response.StatusCode;
            // Throttled: nothing was done, so any request may go again once the provider says when.
            if (status == 429) return true;
            return status is 408 or >= 500 && status != 501 && RepeatSafe(request ?? response.RequestMessage);
        }
        // Refused before it was sent: safe for anything; lost on the way back: only for what may be repeated.
        return outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }
               || outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException && RepeatSafe(request);
    }

    /// <summary>
    /// Google answers a spent per-user quota with 403 as often as 429 (<c>usageLimits</c>: rateLimitExceeded,
    /// userRateLimitExceeded): nothing was done, so it is retried like a 429. Other 403s (no access) are final.
    /// </summary>
    private static async Task<bool> IsGoogleRateLimitAsync(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Result is not { StatusCode: System.Net.HttpStatusCode.Forbidden } response || response.Content.Headers.ContentLength > 64 * 1024) return false;
        await response.Content.LoadIntoBufferAsync(64 * 1024);
        var body = await response.Content.ReadAsStringAsync();
        return body.Contains("\"rateLimitExceeded\"", StringComparison.Ordinal) || body.Contains("\"userRateLimitExceeded\"", StringComparison.Ordinal);
    }

    private static bool RepeatSafe(HttpRequestMessage? request) =>
        request is not null && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Put
                                || request.Method == HttpMethod.Delete || request.Method == HttpMethod.Options
                                || request.Options.TryGetValue(ProviderCall.Idempotent, out var idempotent) && idempotent);
}

/// <summary>How patient calls to a provider are (tests make them quicker).</summary>
public sealed class ProviderRetryOptions
{
    public int MaxRetries { get; set; } = 5;
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>The longest wait between attempts, a provider's Retry-After included.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan PerAttempt { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan Total { get; set; } = TimeSpan.FromMinutes(5);
}
