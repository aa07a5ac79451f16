using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using Crm.Sandbox.OAuth;

namespace Crm.Sandbox.Faults;

/// <summary>Marks an endpoint as one provider's API or token endpoint, so faults aimed at it find it.</summary>
public sealed record SandboxSurface(string Provider, string Kind)
{
    public const string Api = "api";
    public const string Token = "token";
}

/// <summary>What a test or benchmark turns on, for one provider (or all) and one surface (api, token, or both).</summary>
public sealed class FaultPlan
{
    [JsonPropertyName("provider")] public string? Provider { get; set; }
    /// <summary>"api", "token" or null for both.</summary>
    [JsonPropertyName("surface")] public string? Surface { get; set; } = SandboxSurface.Api;
    /// <summary>Share of requests answered with <see cref="FailureStatus"/> (0–1).</summary>
    [JsonPropertyName("failureRate")] public double FailureRate { get; set; }
    [JsonPropertyName("failureStatus")] public int FailureStatus { get; set; } = 503;
    /// <summary>For this many seconds from now, every request is answered 429 with Retry-After.</summary>
    [JsonPropertyName("throttleForSeconds")] public double ThrottleForSeconds { get; set; }
    [JsonPropertyName("retryAfterSeconds")] public int RetryAfterSeconds { get; set; } = 1;
    /// <summary>Added before every answer.</summary>
    [JsonPropertyName("latencyMs")] public int LatencyMs { get; set; }
    /// <summary>Share of requests whose connection is dropped without an answer (0–1).</summary>
    [JsonPropertyName("dropRate")] public double DropRate { get; set; }
    /// <summary>Share of requests that are carried out but whose answer is lost (the connection drops after the work is done) (0–1).</summary>
    [JsonPropertyName("lostAnswerRate")] public double LostAnswerRate { get; set; }
    /// <summary>Only requests whose path contains this (e.g. "/batch/create"); null for all.</summary>
    [JsonPropertyName("path")] public string? Path { get; set; }
    /// <summary>Draws faults from a generator seeded with this, so a test's sequence of faults is the same on every run; null draws at random.</summary>
    [JsonPropertyName("seed")] public int? Seed { get; set; }
    [JsonIgnore] public DateTimeOffset ThrottleUntil { get; set; }
    [JsonIgnore] private Random? _seeded;

    internal void Start(DateTimeOffset now)
    {
        ThrottleUntil = now.AddSeconds(Math.Max(0, ThrottleForSeconds));
        _seeded = Seed is { } seed ? new Random(seed) : null;
    }

    /// <summary>True with the given probability.</summary>
    internal bool Draw(double rate)
    {
        if (rate <= 0) return false;
        if (_seeded is not { } seeded) return Random.Shared.NextDouble() < rate;
        lock (seeded) return seeded.NextDouble() < rate;
    }
}

/// <summary>
/// Fault injection over HTTP: <c>POST /_sandbox/faults</c> with a <see cref="FaultPlan"/>, <c>DELETE /_sandbox/faults</c>,
/// <c>POST /_sandbox/{provider}/expire-access-tokens</c>, <c>POST /_sandbox/{provider}/revoke-refresh-tokens</c>,
/// <c>GET /_sandbox/{provider}/stats</c>. Plans apply to endpoints marked with <see cref="SandboxSurface"/>.
/// </summary>
public sealed class SandboxFaults
{
    private readonly ConcurrentDictionary<string, FaultPlan> _plans = new(StringComparer.OrdinalIgnoreCase);
    private int _injected429, _injectedFailures, _dropped, _lostAnswers;

    public void Set(FaultPlan plan, DateTimeOffset now)
    {
        plan.Start(now);
        _plans[(plan.Provider ?? "*") + "|" + (plan.Surface ?? "*")] = plan;
    }

    public void Clear() => _plans.Clear();

    public object Stats() => new { injected429 = _injected429, injectedFailures = _injectedFailures, dropped = _dropped, lostAnswers = _lostAnswers };

    private FaultPlan? PlanFor(SandboxSurface surface) =>
        _plans.GetValueOrDefault(surface.Provider + "|" + surface.Kind) ?? _plans.GetValueOrDefault(surface.Provider + "|*")
        ?? _plans.GetValueOrDefault("*|" + surface.Kind) ?? _plans.GetValueOrDefault("*|*");

    public static void MapSandboxControl(IEndpointRouteBuilder app)
    {
        app.MapPost("/_sandbox/faults", (FaultPlan plan, SandboxFaults faults, TimeProvider time) =>
        {
            if (plan.FailureRate is < 0 or > 1 || plan.DropRate is < 0 or > 1 || plan.LostAnswerRate is < 0 or > 1 || plan.LatencyMs is < 0 or > 60_000 || plan.FailureStatus is < 400 or > 599)
                return Results.BadRequest(new { error = "failureRate, dropRate and lostAnswerRate are 0–1, latencyMs 0–60000, failureStatus 400–599" });
            faults.Set(plan, time.GetUtcNow());
            return Results.Ok(plan);
        }).DisableAntiforgery();
        app.MapDelete("/_sandbox/faults", (SandboxFaults faults) =>
        {
            faults.Clear();
            return Results.NoContent();
        });
        app.MapGet("/_sandbox/faults/stats", (SandboxFaults faults) => Results.Ok(faults.Stats()));
        app.MapPost("/_sandbox/{provider}/expire-access-tokens", (string provider, SandboxTokens tokens) =>
            Known(provider) ? Results.Ok(new { expired = tokens[provider].ExpireAccessTokens() }) : Results.NotFound());
        app.MapPost("/_sandbox/{provider}/revoke-refresh-tokens", (string provider, SandboxTokens tokens) =>
            Known(provider) ? Results.Ok(new { revoked = tokens[provider].RevokeRefreshTokens() }) : Results.NotFound());
        app.MapGet("/_sandbox/{provider}/stats", (string provider, SandboxTokens tokens) =>
            Known(provider) ? Results.Ok(tokens[provider].Stats()) : Results.NotFound());
    }

    private static bool Known(string provider) => SandboxTokens.Providers.Contains(provider, StringComparer.OrdinalIgnoreCase);

    /// <summary>The middleware: latency, drops, 429 storms, failures and lost answers, in that order, for marked endpoints.</summary>
    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<SandboxSurface>() is not { } surface || PlanFor(surface) is not { } plan
            || plan.Path is { Length: > 0 } path && !(context.Request.Path.Value ?? "").Contains(path, StringComparison.OrdinalIgnoreCase))
        {
            await next();
            return;
        }
        if (plan.LatencyMs > 0) await Task.Delay(plan.LatencyMs, context.RequestAborted);
        if (plan.Draw(plan.DropRate))
        {
            Interlocked.Increment(ref _dropped);
            context.Abort();
            return;
        }
        var time = context.RequestServices.GetRequiredService<TimeProvider>();
        if (plan.ThrottleUntil > time.GetUtcNow())
        {
            Interlocked.Increment(ref _injected429);
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = plan.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await context.Response.WriteAsJsonAsync(ThrottledBody(surface.Provider));
            return;
        }
        if (plan.Draw(plan.FailureRate))
        {
            Interlocked.Increment(ref _injectedFailures);
            context.Response.StatusCode = plan.FailureStatus;
            await context.Response.WriteAsJsonAsync(FailureBody(surface.Provider, plan.FailureStatus));
            return;
        }
        if (plan.Draw(plan.LostAnswerRate))
        {
            // The work is done; the answer goes nowhere and the connection drops, as when a network fails on the way back.
            context.Response.Body = Stream.Null;
            await next();
            Interlocked.Increment(ref _lostAnswers);
            context.Abort();
            return;
        }
        await next();
    }

    /// <summary>Each provider's own shape of a throttled answer.</summary>
    public static object ThrottledBody(string provider) => provider switch
    {
        "hubspot" => new { status = "error", message = "You have reached your ten_secondly_rolling limit.", errorType = "RATE_LIMIT", correlationId = Guid.NewGuid(), policyName = "TEN_SECONDLY_ROLLING" },
        "microsoft" => new { error = new { code = "TooManyRequests", message = "Too many requests.", innerError = new { date = DateTimeOffset.UtcNow, requestId = Guid.NewGuid() } } },
        "google" => new { error = new { code = 429, message = "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user'.", status = "RESOURCE_EXHAUSTED" } },
        _ => new[] { new { message = "ConcurrentRequests (Concurrent API Requests) Limit exceeded.", errorCode = "REQUEST_LIMIT_EXCEEDED" } },
    };

    private static object FailureBody(string provider, int status) => provider switch
    {
        "hubspot" => new { status = "error", message = "Internal error", category = "INTERNAL_ERROR", correlationId = Guid.NewGuid() },
        "microsoft" => new { error = new { code = status == 503 ? "serviceNotAvailable" : "generalException", message = "The service is temporarily unavailable." } },
        "google" => new { error = new { code = status, message = "The service is currently unavailable.", status = "UNAVAILABLE" } },
        _ => new[] { new { message = "Service unavailable", errorCode = "SERVER_UNAVAILABLE" } },
    };
}
