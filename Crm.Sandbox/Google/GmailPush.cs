using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Crm.Sandbox.Google;

/// <summary>A mailbox's watch: the Pub/Sub topic it publishes to, for changes to which labels, until when.</summary>
public sealed record GmailWatch(string Topic, IReadOnlySet<string> LabelIds, bool Exclude, DateTimeOffset Expiration);

/// <summary>
/// Gmail's push through Cloud Pub/Sub: <c>users.watch</c> names a topic (<c>projects/{project}/topics/{topic}</c>) and the
/// labels to report; each change to a watched mailbox is published to it as <c>{"emailAddress", "historyId"}</c>, and
/// Pub/Sub pushes it to each push subscription of that topic — the envelope <c>{"message": {"data" (base64),
/// "messageId", "publishTime"}, "subscription"}</c> — retrying while the endpoint does not answer 2xx. Push
/// subscriptions are made at Google's console, here by <c>POST /_sandbox/google/pubsub/subscriptions</c>.
/// </summary>
public sealed partial class GmailPush(TimeProvider time, ILogger<GmailPush> log)
{
    private readonly ConcurrentDictionary<string, GmailWatch> _watches = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, (string Topic, string Endpoint)> _subscriptions = new();
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
    private long _published, _delivered, _failedAttempts;

    public double RetryScale { get; set; } = 1;

    public static bool IsTopic(string? name) => name is not null && TopicPattern().IsMatch(name);

    public GmailWatch Watch(string account, string topic, IEnumerable<string> labelIds, bool exclude)
    {
        var watch = new GmailWatch(topic, labelIds.ToHashSet(StringComparer.OrdinalIgnoreCase), exclude, time.GetUtcNow().AddDays(7));
        _watches[account] = watch;
        return watch;
    }

    public void Stop(string account) => _watches.TryRemove(account, out _);

    public GmailWatch? WatchOf(string account) => _watches.TryGetValue(account, out var watch) && watch.Expiration > time.GetUtcNow() ? watch : null;

    /// <summary>A change to the mailbox, published when its watch takes changes to these labels.</summary>
    public void Changed(string account, ulong historyId, IEnumerable<string> labels)
    {
        if (WatchOf(account) is not { } watch) return;
        var matches = watch.LabelIds.Count == 0 || labels.Any(watch.LabelIds.Contains) != watch.Exclude;
        if (!matches) return;
        var id = Interlocked.Increment(ref _published).ToString(CultureInfo.InvariantCulture);
        var data = Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["emailAddress"] = account, ["historyId"] = historyId }.ToJsonString()));
        var published = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        foreach (var (name, subscription) in _subscriptions.Where(s => s.Value.Topic == watch.Topic))
        {
            var envelope = new JsonObject
            {
                ["message"] = new JsonObject { ["data"] = data, ["messageId"] = id, ["message_id"] = id, ["publishTime"] = published, ["publish_time"] = published },
                ["subscription"] = name,
            }.ToJsonString();
            _ = DeliverAsync(subscription.Endpoint, envelope);
        }
    }

    private async Task DeliverAsync(string endpoint, string envelope)
    {
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            try
            {
                using var response = await _http.PostAsync(endpoint, new StringContent(envelope, Encoding.UTF8, "application/json"));
                if ((int)response.StatusCode is >= 200 and < 300)
                {
                    Interlocked.Increment(ref _delivered);
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                log.LogDebug("Pub/Sub push to {Endpoint} failed: {Message}", endpoint, e.Message);
            }
            Interlocked.Increment(ref _failedAttempts);
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(600, 10 * Math.Pow(2, attempt - 1)) * RetryScale));
        }
    }

    public void Map(IEndpointRouteBuilder app)
    {
        var control = app.MapGroup("/_sandbox/google/pubsub");
        control.MapPost("/subscriptions", (JsonObject body) =>
        {
            var topic = body["topic"]?.GetValue<string>();
            var endpoint = body["pushEndpoint"]?.GetValue<string>();
            var name = body["name"]?.GetValue<string>() ?? $"projects/sandbox/subscriptions/push-{_subscriptions.Count + 1}";
            if (!IsTopic(topic) || !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
                return Results.BadRequest(new { error = "topic is projects/{project}/topics/{topic}; pushEndpoint an absolute URL" });
            _subscriptions[name] = (topic!, endpoint!);
            return Results.Json(new { name, topic, pushConfig = new { pushEndpoint = endpoint } });
        });
        control.MapPost("/retry-scale", (double scale) =>
        {
            RetryScale = Math.Clamp(scale, 0, 1);
            return Results.NoContent();
        });
        control.MapGet("/stats", () => Results.Json(new
        {
            watches = _watches.Count, subscriptions = _subscriptions.Count, published = Interlocked.Read(ref _published),
            delivered = Interlocked.Read(ref _delivered), failedAttempts = Interlocked.Read(ref _failedAttempts),
        }));
    }

    [GeneratedRegex("^projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/topics/[A-Za-z][A-Za-z0-9._~+%-]{2,254}$")]
    private static partial Regex TopicPattern();
}
