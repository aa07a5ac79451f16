using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Crm.Sandbox.Faults;
using Crm.Sandbox.OAuth;

namespace Crm.Sandbox.Graph;

public sealed record GraphSubscription(string Id, string Account, string Resource, string Folder, string ChangeType, string NotificationUrl, string? ClientState,
    DateTimeOffset ExpiresAt)
{
    public DateTimeOffset ExpiresAt { get; set; } = ExpiresAt;
}

/// <summary>
/// Graph's change notifications for mail under /microsoft/graph/v1.0/subscriptions: create (a folder's or the mailbox's
/// messages; <c>notificationUrl</c> checked first by the validation handshake — a POST with <c>validationToken</c> that
/// must come back as the plain-text body, 200, within 10 seconds), renew by PATCH, delete, list. A message arriving in
/// a subscribed folder is notified to its URL (<c>value</c>: subscriptionId, changeType, resource, resourceData,
/// clientState, tenantId), retried while the endpoint fails, as Graph does. Outlook messages allow at most 10,080
/// minutes; the URL must be https (plain http only to this machine, the sandbox's one concession).
/// </summary>
public sealed partial class GraphSubscriptions(TimeProvider time, ILogger<GraphSubscriptions> log)
{
    public const int MaxMinutes = 10_080;
    private const string Base = "/microsoft/graph/v1.0/subscriptions";
    private readonly ConcurrentDictionary<string, GraphSubscription> _byId = new();
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
    private long _delivered, _failedAttempts, _validations;

    /// <summary>Seconds between a failed notification's attempts (Graph backs off over hours; tests shrink it).</summary>
    public double RetryScale { get; set; } = 1;

    public IReadOnlyList<GraphSubscription> All => _byId.Values.ToList();

    /// <summary>As if Graph had dropped the subscription (it does, for an app that missed too many notifications).</summary>
    public bool Forget(string id) => _byId.TryRemove(id, out _);

    public object Stats() => new { subscriptions = _byId.Count, delivered = Interlocked.Read(ref _delivered), failedAttempts = Interlocked.Read(ref _failedAttempts), validations = Interlocked.Read(ref _validations) };

    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Base).WithMetadata(new SandboxSurface("microsoft", SandboxSurface.Api));

        group.MapPost("", async (HttpRequest request, SandboxTokens tokens, GraphMailboxes boxes, CancellationToken ct) =>
        {
            if (Account(request, tokens) is not { } account) return Unauthorized();
            JsonNode? body;
            try
            {
                body = await JsonNode.ParseAsync(request.Body, cancellationToken: ct);
            }
            catch (System.Text.Json.JsonException)
            {
                return GraphMailSandbox.Error(400, "BadRequest", "Unable to read JSON request payload.", time);
            }
            string? Text(string name) => body?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            var changeType = Text("changeType");
            var url = Text("notificationUrl");
            var resource = Text("resource");
            var clientState = Text("clientState");
            if (changeType is null || url is null || resource is null || Text("expirationDateTime") is not { } expiresText)
                return GraphMailSandbox.Error(400, "InvalidRequest", "changeType, notificationUrl, resource and expirationDateTime are required.", time);
            if (changeType.Split(',', StringSplitOptions.TrimEntries).Any(c => c is not ("created" or "updated" or "deleted")))
                return GraphMailSandbox.Error(400, "InvalidRequest", $"'{changeType}' is not a valid change type.", time);
            if (!DateTimeOffset.TryParse(expiresText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires) || expires <= time.GetUtcNow())
                return GraphMailSandbox.Error(400, "InvalidRequest", "Subscription expiration must be in the future.", time);
            if (expires > time.GetUtcNow().AddMinutes(MaxMinutes))
                return GraphMailSandbox.Error(400, "InvalidRequest", $"Subscription expiration can only be {MaxMinutes} minutes in the future.", time);
            if (clientState is { Length: > 128 })
                return GraphMailSandbox.Error(400, "InvalidRequest", "clientState is at most 128 characters.", time);
            if (!Uri.TryCreate(url, UriKind.Absolute, out var target) || !(target.Scheme == Uri.UriSchemeHttps || target.Scheme == Uri.UriSchemeHttp && target.IsLoopback))
                return GraphMailSandbox.Error(400, "InvalidRequest", "The notification URL must use https.", time);
            var box = boxes.Of(account);
            if (FolderOf(resource, box) is not { } folder)
                return GraphMailSandbox.Error(400, "InvalidRequest", $"Resource '{resource}' is not supported for subscriptions here.", time);
            if (!await ValidateAsync(target, ct))
                return GraphMailSandbox.Error(400, "InvalidRequest",
                    "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.", time);
            var subscription = new GraphSubscription(Guid.NewGuid().ToString(), account, resource, folder, changeType, url, clientState, expires);
            _byId[subscription.Id] = subscription;
            return Results.Json(Render(subscription, account), statusCode: 201);
        });

        group.MapGet("", (HttpRequest request, SandboxTokens tokens) =>
        {
            if (Account(request, tokens) is not { } account) return Unauthorized();
            return Results.Json(new JsonObject
            {
                ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#subscriptions",
                ["value"] = new JsonArray(_byId.Values.Where(s => s.Account == account).Select(s => (JsonNode)Render(s, account)).ToArray()),
            });
        });

        group.MapPatch("/{id}", async (HttpRequest request, string id, SandboxTokens tokens, CancellationToken ct) =>
        {
            if (Account(request, tokens) is not { } account) return Unauthorized();
            if (!_byId.TryGetValue(id, out var subscription) || subscription.Account != account || subscription.ExpiresAt <= time.GetUtcNow())
                return GraphMailSandbox.Error(404, "ResourceNotFound", "The object was not found.", time);
            var body = await JsonNode.ParseAsync(request.Body, cancellationToken: ct);
            if (body?["expirationDateTime"] is not JsonValue value || !value.TryGetValue<string>(out var text)
                || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires) || expires <= time.GetUtcNow())
                return GraphMailSandbox.Error(400, "InvalidRequest", "expirationDateTime must be a time in the future.", time);
            if (expires > time.GetUtcNow().AddMinutes(MaxMinutes))
                return GraphMailSandbox.Error(400, "InvalidRequest", $"Subscription expiration can only be {MaxMinutes} minutes in the future.", time);
            subscription.ExpiresAt = expires;
            return Results.Json(Render(subscription, account));
        });

        group.MapDelete("/{id}", (HttpRequest request, string id, SandboxTokens tokens) =>
        {
            if (Account(request, tokens) is not { } account) return Unauthorized();
            if (!_byId.TryGetValue(id, out var subscription) || subscription.Account != account)
                return GraphMailSandbox.Error(404, "ResourceNotFound", "The object was not found.", time);
            _byId.TryRemove(id, out _);
            return Results.NoContent();
        });

        app.MapGet("/_sandbox/microsoft/subscriptions/stats", () => Results.Json(Stats()));
        app.MapPost("/_sandbox/microsoft/subscriptions/retry-scale", (double scale) =>
        {
            RetryScale = Math.Clamp(scale, 0, 1);
            return Results.NoContent();
        });
    }

    /// <summary>Tells each live subscription on the folder (or the whole mailbox) that a message was created there.</summary>
    public void Created(string account, string folder, string messageId)
    {
        var now = time.GetUtcNow();
        foreach (var subscription in _byId.Values.Where(s => s.Account == account && s.ExpiresAt > now && (s.Folder == folder || s.Folder == "*")
                                                             && s.ChangeType.Split(',', StringSplitOptions.TrimEntries).Contains("created")))
        {
            var user = MicrosoftSandbox.ObjectIdOf(account);
            var notification = new JsonObject
            {
                ["value"] = new JsonArray(new JsonObject
                {
                    ["subscriptionId"] = subscription.Id,
                    ["subscriptionExpirationDateTime"] = subscription.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
                    ["changeType"] = "created",
                    ["resource"] = $"Users/{user}/Messages/{messageId}",
                    ["resourceData"] = new JsonObject
                    {
                        ["@odata.type"] = "#Microsoft.Graph.Message", ["@odata.id"] = $"Users/{user}/Messages/{messageId}", ["@odata.etag"] = "W/\"CQAAABYAAAD\"", ["id"] = messageId,
                    },
                    ["clientState"] = subscription.ClientState,
                    ["tenantId"] = "9188040d-6c67-4c5b-b112-36a304b66dad",
                }),
            }.ToJsonString();
            _ = DeliverAsync(subscription.NotificationUrl, notification);
        }
    }

    /// <summary>Tells each live subscription on the calendar (or on all events) that an event was created, updated or deleted.</summary>
    public void EventChanged(string account, string calendarId, string eventId, string changeType)
    {
        var now = time.GetUtcNow();
        foreach (var subscription in _byId.Values.Where(s => string.Equals(s.Account, account, StringComparison.OrdinalIgnoreCase) && s.ExpiresAt > now
                                                             && (s.Folder == "calendar:" + calendarId || s.Folder == "calendar:*")
                                                             && s.ChangeType.Split(',', StringSplitOptions.TrimEntries).Contains(changeType)))
        {
            var user = MicrosoftSandbox.ObjectIdOf(account);
            var notification = new JsonObject
            {
                ["value"] = new JsonArray(new JsonObject
                {
                    ["subscriptionId"] = subscription.Id,
                    ["subscriptionExpirationDateTime"] = subscription.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
                    ["changeType"] = changeType,
                    ["resource"] = $"Users/{user}/Events/{eventId}",
                    ["resourceData"] = new JsonObject
                    {
                        ["@odata.type"] = "#Microsoft.Graph.Event", ["@odata.id"] = $"Users/{user}/Events/{eventId}", ["@odata.etag"] = "W/\"DwAAABYAAAD\"", ["id"] = eventId,
                    },
                    ["clientState"] = subscription.ClientState,
                    ["tenantId"] = "9188040d-6c67-4c5b-b112-36a304b66dad",
                }),
            }.ToJsonString();
            _ = DeliverAsync(subscription.NotificationUrl, notification);
        }
    }

    private async Task DeliverAsync(string url, string body)
    {
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            try
            {
                using var response = await _http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));
                if ((int)response.StatusCode is >= 200 and < 300)
                {
                    Interlocked.Increment(ref _delivered);
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                log.LogDebug("Graph notification to {Url} failed: {Message}", url, e.Message);
            }
            Interlocked.Increment(ref _failedAttempts);
            await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt) * RetryScale));
        }
    }

    private async Task<bool> ValidateAsync(Uri target, CancellationToken ct)
    {
        Interlocked.Increment(ref _validations);
        var token = "Validation: Testing client application reachability for subscription Request-Id: " + Guid.NewGuid();
        var separator = string.IsNullOrEmpty(target.Query) ? "?" : "&";
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using var response = await _http.PostAsync(target + separator + "validationToken=" + Uri.EscapeDataString(token),
                new StringContent("", Encoding.UTF8, "text/plain"), timeout.Token);
            return response.StatusCode == HttpStatusCode.OK && await response.Content.ReadAsStringAsync(timeout.Token) == token;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>The folder a subscription's resource names (inbox, sentitems), "*" for the whole mailbox; null when not mail.</summary>
    private static string? FolderOf(string resource, GraphMailbox box)
    {
        // Calendars: "me/events" (every calendar) or "me/calendars/{id}/events".
        if (CalendarPattern().Match(resource.Trim()) is { Success: true } calendar)
            return "calendar:" + (calendar.Groups["id"].Success ? calendar.Groups["id"].Value : "*");
        var match = ResourcePattern().Match(resource.Trim());
        if (!match.Success) return null;
        var folder = match.Groups["quoted"].Success ? match.Groups["quoted"].Value : match.Groups["plain"].Success ? match.Groups["plain"].Value : null;
        return folder is null ? "*" : box.FolderName(folder.ToLowerInvariant()) ?? box.FolderName(folder);
    }

    private JsonObject Render(GraphSubscription s, string account) => new()
    {
        ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity",
        ["id"] = s.Id, ["resource"] = s.Resource, ["applicationId"] = "00000000-0000-0000-0000-000000000000", ["changeType"] = s.ChangeType, ["clientState"] = s.ClientState,
        ["notificationUrl"] = s.NotificationUrl, ["expirationDateTime"] = s.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        ["creatorId"] = MicrosoftSandbox.ObjectIdOf(account), ["latestSupportedTlsVersion"] = "v1_2", ["notificationContentType"] = null, ["includeResourceData"] = false,
    };

    private string? Account(HttpRequest request, SandboxTokens tokens) => tokens["microsoft"].Validate(StandardOAuthServer.BearerOf(request), time.GetUtcNow())?.Account;

    private IResult Unauthorized() => GraphMailSandbox.Error(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.", time);

    [GeneratedRegex(@"^/?(?:me|users/[^/]+)/(?:calendars/(?<id>[^/]+)/)?events$", RegexOptions.IgnoreCase)]
    private static partial Regex CalendarPattern();

    [GeneratedRegex(@"^/?(?:me|users/[^/]+)/(?:mailFolders(?:\('(?<quoted>[^']+)'\)|/(?<plain>[^/]+))/)?messages$", RegexOptions.IgnoreCase)]
    private static partial Regex ResourcePattern();
}
