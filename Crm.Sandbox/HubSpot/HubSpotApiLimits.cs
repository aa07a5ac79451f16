using System.Diagnostics;
using System.Globalization;
using Crm.Sandbox.Faults;
using Crm.Sandbox.OAuth;
using Microsoft.Extensions.Options;

namespace Crm.Sandbox.HubSpot;

/// <summary>
/// HubSpot's API limits as documented for an OAuth app: a rolling window (100 requests per 10 seconds; 190 on
/// Professional and Enterprise) and a daily allowance per portal, reported in the X-HubSpot-RateLimit-* headers; a
/// request over the limit gets 429 with HubSpot's RATE_LIMIT body. The window is an exact sliding log of arrivals — a
/// stricter referee than a fixed window. <c>POST /_sandbox/hubspot/rate-limit</c> changes the limits.
/// </summary>
public sealed class HubSpotApiLimits
{
    private readonly Queue<long> _arrivals = new();
    private readonly Lock _lock = new();
    private int _requests = 100;
    private long _windowTicks = Stopwatch.Frequency * 10;
    private int _daily = 250_000;
    private int _usedToday;
    private DateOnly _day;
    private long _accepted, _throttled;
    /// <summary>Admitted calls per endpoint ("POST /crm/v3/objects/contacts/batch/read", ids as {id}), for benchmarks that count calls by kind.</summary>
    private readonly Dictionary<string, long> _byEndpoint = new(StringComparer.Ordinal);

    public sealed record Settings(int Requests, int WindowMilliseconds, int Daily);

    private readonly Queue<long> _searches = new();
    private long _searchThrottled;

    /// <summary>HubSpot's CRM search has its own limit: 5 requests per second per account, on top of the window.</summary>
    public bool AdmitSearch()
    {
        lock (_lock)
        {
            var tick = Stopwatch.GetTimestamp();
            while (_searches.Count > 0 && tick - _searches.Peek() >= Stopwatch.Frequency) _searches.Dequeue();
            if (_searches.Count >= 5)
            {
                _searchThrottled++;
                return false;
            }
            _searches.Enqueue(tick);
            return true;
        }
    }

    public void Configure(Settings settings)
    {
        lock (_lock)
        {
            (_requests, _windowTicks, _daily) = (settings.Requests, Stopwatch.Frequency * settings.WindowMilliseconds / 1000, settings.Daily);
            _arrivals.Clear();
            _accepted = _throttled = 0;
            _byEndpoint.Clear();
        }
    }

    public object Stats()
    {
        lock (_lock) return new { requests = _requests, windowMilliseconds = _windowTicks * 1000 / Stopwatch.Frequency, daily = _daily, accepted = _accepted, throttled = _throttled, usedToday = _usedToday, searchThrottled = _searchThrottled, byEndpoint = new Dictionary<string, long>(_byEndpoint) };
    }

    /// <summary>Counts an arrival: null when it is within the limits, else the policy it broke. Headers either way.</summary>
    public string? Admit(HttpResponse response, DateTimeOffset now)
    {
        string? broken = null;
        int remaining, dailyRemaining;
        lock (_lock)
        {
            var tick = Stopwatch.GetTimestamp();
            while (_arrivals.Count > 0 && tick - _arrivals.Peek() >= _windowTicks) _arrivals.Dequeue();
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            if (today != _day) (_day, _usedToday) = (today, 0);
            if (_usedToday >= _daily) broken = "DAILY";
            else if (_arrivals.Count >= _requests) broken = "TEN_SECONDLY_ROLLING";
            if (broken is null)
            {
                _arrivals.Enqueue(tick);
                _usedToday++;
                _accepted++;
                var request = response.HttpContext.Request;
                var endpoint = request.Method + " " + string.Join('/', (request.Path.Value ?? "").Split('/').Select(p => p.Length > 0 && p.All(char.IsAsciiDigit) ? "{id}" : p));
                _byEndpoint[endpoint] = _byEndpoint.GetValueOrDefault(endpoint) + 1;
            }
            else _throttled++;
            (remaining, dailyRemaining) = (Math.Max(0, _requests - _arrivals.Count), Math.Max(0, _daily - _usedToday));
        }
        var h = response.Headers;
        h["X-HubSpot-RateLimit-Interval-Milliseconds"] = (_windowTicks * 1000 / Stopwatch.Frequency).ToString(CultureInfo.InvariantCulture);
        h["X-HubSpot-RateLimit-Max"] = _requests.ToString(CultureInfo.InvariantCulture);
        h["X-HubSpot-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        h["X-HubSpot-RateLimit-Daily"] = _daily.ToString(CultureInfo.InvariantCulture);
        h["X-HubSpot-RateLimit-Daily-Remaining"] = dailyRemaining.ToString(CultureInfo.InvariantCulture);
        return broken;
    }
}

/// <summary>HubSpot's API endpoints the stand-in serves so far, behind its bearer check and its limits.</summary>
public static class HubSpotApiSandbox
{
    public static void MapHubSpotApi(this IEndpointRouteBuilder app)
    {
        var api = new SandboxSurface("hubspot", SandboxSurface.Api);
        app.MapGet("/account-info/v3/details", (HttpContext context, IOptions<HubSpotSandboxOptions> options) => Guarded(context, _ =>
        {
            var o = options.Value;
            return Results.Json(new
            {
                portalId = o.HubId, accountType = "STANDARD", timeZone = "Europe/Berlin", companyCurrency = "EUR", additionalCurrencies = Array.Empty<string>(),
                utcOffset = "+01:00", utcOffsetMilliseconds = 3_600_000, uiDomain = "app-eu1.hubspot.com", dataHostingLocation = "eu1",
            });
        })).WithMetadata(api);
        app.MapPost("/_sandbox/hubspot/rate-limit", (HubSpotApiLimits.Settings settings, HubSpotApiLimits limits) =>
        {
            if (settings.Requests < 1 || settings.WindowMilliseconds < 1 || settings.Daily < 1) return Results.BadRequest(new { error = "requests, windowMilliseconds and daily must be positive" });
            limits.Configure(settings);
            return Results.Ok(limits.Stats());
        }).DisableAntiforgery();
        app.MapGet("/_sandbox/hubspot/rate-limit", (HubSpotApiLimits limits) => Results.Ok(limits.Stats()));
    }

    /// <summary>HubSpot's order: the limit counts every request that arrives, then the token is checked.</summary>
    public static IResult Guarded(HttpContext context, Func<Grant, IResult> answer)
    {
        var services = context.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (services.GetRequiredService<HubSpotApiLimits>().Admit(context.Response, now) is { } policy)
            return Results.Json(new
            {
                status = "error", message = policy == "DAILY" ? "You have reached your daily limit." : "You have reached your ten_secondly_rolling limit.",
                errorType = "RATE_LIMIT", correlationId = Guid.NewGuid(), policyName = policy,
            }, statusCode: 429);
        if (services.GetRequiredService<SandboxTokens>()["hubspot"].Validate(StandardOAuthServer.BearerOf(context.Request), now) is not { } grant)
            return Results.Json(new
            {
                status = "error", message = "Authentication credentials not found. This API supports OAuth 2.0 authentication.",
                correlationId = Guid.NewGuid(), category = "INVALID_AUTHENTICATION",
            }, statusCode: 401);
        return answer(grant);
    }
}
