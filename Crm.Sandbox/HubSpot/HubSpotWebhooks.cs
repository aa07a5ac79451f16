using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Crm.Sandbox.HubSpot;

/// <summary>
/// HubSpot's app webhooks: every create, property change, deletion and merge in the portal becomes an event
/// (<c>contact.creation</c>, <c>contact.propertyChange</c>, <c>company.deletion</c>, <c>contact.merge</c>, …) delivered to the app's target URL
/// in batches of at most 100, signed with v3 (HMAC-SHA256 of method, URI, body and timestamp with the app's client
/// secret), and retried on an error or no answer up to 10 times with growing delays (HubSpot: over about a day;
/// <c>retryScale</c> shrinks them for tests). <c>POST /_sandbox/hubspot/webhooks</c> sets the target.
/// </summary>
public sealed class HubSpotWebhooks(IOptions<HubSpotSandboxOptions> options, TimeProvider time) : BackgroundService
{
    public sealed record Settings(string? TargetUrl, double RetryScale = 1);

    private static readonly TimeSpan[] Delays =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(8), TimeSpan.FromMinutes(16),
         TimeSpan.FromMinutes(32), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4), TimeSpan.FromHours(8)];

    private sealed record Event(long EventId, long ObjectId, string SubscriptionType, long OccurredAt, string ChangeSource, string? PropertyName, string? PropertyValue, int Attempt,
        IReadOnlyDictionary<string, object?>? Extra = null);

    private readonly Channel<Event> _queue = Channel.CreateUnbounded<Event>();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private long _nextEventId = 1_000_000;
    private long _delivered, _failedAttempts, _gaveUp;
    private volatile Settings _settings = new(null);

    public void Configure(Settings settings) => _settings = settings;

    public object Stats() => new { targetUrl = _settings.TargetUrl, delivered = Interlocked.Read(ref _delivered), failedAttempts = Interlocked.Read(ref _failedAttempts), gaveUp = Interlocked.Read(ref _gaveUp) };

    /// <summary>A change in the portal: one event per record (creation, deletion) or per changed property.</summary>
    public void Record(string objectType, string id, string kind, IReadOnlyDictionary<string, string?>? changed, string changeSource)
    {
        if (_settings.TargetUrl is null) return;
        var singular = objectType switch { "contacts" => "contact", "companies" => "company", _ => "deal" };
        var objectId = long.Parse(id, CultureInfo.InvariantCulture);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (kind == "propertyChange")
            foreach (var (name, value) in changed ?? new Dictionary<string, string?>())
                _queue.Writer.TryWrite(new Event(Interlocked.Increment(ref _nextEventId), objectId, $"{singular}.propertyChange", now, changeSource, name, value, 0));
        else
            _queue.Writer.TryWrite(new Event(Interlocked.Increment(ref _nextEventId), objectId, $"{singular}.{kind}", now, changeSource, null, null, 0));
    }

    /// <summary>A merge: one <c>{type}.merge</c> event naming the primary, the ids merged into it and the new object's id.</summary>
    public void RecordMerge(string objectType, string primaryId, IReadOnlyList<string> mergedIds, int propertiesMoved, string changeSource)
    {
        if (_settings.TargetUrl is null) return;
        var singular = objectType switch { "contacts" => "contact", "companies" => "company", _ => "deal" };
        var primary = long.Parse(primaryId, CultureInfo.InvariantCulture);
        _queue.Writer.TryWrite(new Event(Interlocked.Increment(ref _nextEventId), primary, $"{singular}.merge", time.GetUtcNow().ToUnixTimeMilliseconds(), changeSource, null, null, 0,
            new Dictionary<string, object?>
            {
                ["primaryObjectId"] = primary, ["mergedObjectIds"] = mergedIds.Select(id => long.Parse(id, CultureInfo.InvariantCulture)).ToArray(),
                ["newObjectId"] = primary, ["numberOfPropertiesMoved"] = propertiesMoved,
            }));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Event>();
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            // A moment to gather what happened together, as HubSpot batches.
            await Task.Delay(50, stoppingToken);
            while (batch.Count < 100 && _queue.Reader.TryRead(out var e)) batch.Add(e);
            foreach (var group in batch.GroupBy(e => e.Attempt))
                _ = DeliverAsync(group.ToList(), stoppingToken);
            batch.Clear();
        }
    }

    private async Task DeliverAsync(List<Event> events, CancellationToken ct)
    {
        var settings = _settings;
        if (settings.TargetUrl is not { } target) return;
        var o = options.Value;
        var body = JsonSerializer.Serialize(events.Select(e => new Dictionary<string, object?>
        {
            ["eventId"] = e.EventId, ["subscriptionId"] = 2_100_000, ["portalId"] = o.HubId, ["appId"] = o.AppId, ["occurredAt"] = e.OccurredAt,
            ["subscriptionType"] = e.SubscriptionType, ["attemptNumber"] = e.Attempt, ["objectId"] = e.ObjectId, ["changeSource"] = e.ChangeSource,
            ["propertyName"] = e.PropertyName, ["propertyValue"] = e.PropertyValue,
        }.Concat(e.Extra ?? new Dictionary<string, object?>()).Where(p => p.Value is not null).ToDictionary()));
        var timestamp = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(o.ClientSecret), Encoding.UTF8.GetBytes("POST" + target + body + timestamp)));
        var ok = false;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-HubSpot-Signature-v3", signature);
            request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
            request.Headers.Add("X-HubSpot-Signature-Version", "v3");
            using var response = await _http.SendAsync(request, ct);
            ok = response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested) { }
        if (ok)
        {
            Interlocked.Add(ref _delivered, events.Count);
            return;
        }
        Interlocked.Increment(ref _failedAttempts);
        var attempt = events[0].Attempt;
        if (attempt >= Delays.Length)
        {
            Interlocked.Add(ref _gaveUp, events.Count);
            return;
        }
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, Delays[attempt].TotalMilliseconds * settings.RetryScale)), ct);
        foreach (var e in events) _queue.Writer.TryWrite(e with { Attempt = attempt + 1 });
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
