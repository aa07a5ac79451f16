using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Crm.Sandbox.Faults;
using Crm.Sandbox.OAuth;

namespace Crm.Sandbox.Google;

/// <summary>
/// The Gmail API v1 under /google/gmail/v1/users/{userId} ("me" or the account's address), holding real RFC 5322
/// messages per account: <c>profile</c>, <c>messages.list</c> (newest first, <c>q</c> with <c>after:</c> / <c>before:</c>
/// / <c>newer_than:</c>, <c>labelIds</c>, pages of <c>maxResults</c> ≤ 500), <c>messages.get</c> in <c>raw</c>,
/// <c>full</c>, <c>metadata</c> and <c>minimal</c>, <c>history.list</c> (404 once a start id is older than the history
/// kept), <c>labels.list</c>, <c>messages.send</c>, <c>watch</c> and <c>stop</c>. Per-user quota as Gmail's: 250 units
/// a second (get 5, list 5, history 2, send 100), 429 <c>rateLimitExceeded</c> beyond. Errors in Google's JSON shape.
/// Control: <c>POST /_sandbox/google/gmail/{account}/messages?labels=INBOX</c> (raw MIME body) adds one,
/// <c>DELETE …/messages/{id}</c> deletes one, <c>POST …/expire-history</c> forgets the history so far. A watched
/// mailbox's changes are pushed through the topic's Pub/Sub push subscriptions (<see cref="GmailPush"/>).
/// </summary>
public static partial class GmailSandbox
{
    public const string Base = "/google/gmail/v1/users/{userId}";
    public const int QuotaUnitsPerSecond = 250;

    public static void MapGmailSandbox(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Base).WithMetadata(new SandboxSurface("google", SandboxSurface.Api));

        api.MapGet("/profile", (HttpRequest request, string userId, GmailMailboxes boxes, SandboxTokens tokens, TimeProvider time) =>
            Authorized(request, userId, tokens, time, boxes, 1, out var box, out var error) ?? Results.Json(new JsonObject
            {
                ["emailAddress"] = box!.Address, ["messagesTotal"] = box.Count, ["threadsTotal"] = box.ThreadCount, ["historyId"] = box.HistoryId.ToString(CultureInfo.InvariantCulture),
            }));

        api.MapGet("/labels", (HttpRequest request, string userId, GmailMailboxes boxes, SandboxTokens tokens, TimeProvider time) =>
            Authorized(request, userId, tokens, time, boxes, 1, out _, out _) ?? Results.Json(new JsonObject
            {
                ["labels"] = new JsonArray(GmailMailbox.SystemLabels.Select(l => (JsonNode)new JsonObject { ["id"] = l, ["name"] = l, ["type"] = "system" }).ToArray()),
            }));

        api.MapGet("/messages", (HttpRequest request, string userId, GmailMailboxes boxes, SandboxTokens tokens, TimeProvider time) =>
        {
            if (Authorized(request, userId, tokens, time, boxes, 5, out var box, out _) is { } refused) return refused;
            var max = int.TryParse(request.Query["maxResults"], out var m) ? m : 100;
            if (max is < 1 or > 500) return Error(400, "Invalid maxResults: must be between 1 and 500.", "invalidArgument", "INVALID_ARGUMENT");
            var offset = request.Query["pageToken"].FirstOrDefault() is { Length: > 0 } token ? DecodePageToken(token) : 0;
            if (offset < 0) return Error(400, "Invalid pageToken", "invalidArgument", "INVALID_ARGUMENT");
            var (after, before) = ParseQuery(request.Query["q"].FirstOrDefault(), time.GetUtcNow());
            var labels = request.Query["labelIds"].OfType<string>().ToList();
            var includeSpamTrash = request.Query["includeSpamTrash"] == "true";
            var matching = box!.Newest()
                .Where(x => includeSpamTrash || !x.Labels.Overlaps(["SPAM", "TRASH"]))
                .Where(x => labels.All(x.Labels.Contains))
                .Where(x => (after is null || x.InternalDate >= after) && (before is null || x.InternalDate < before))
                .ToList();
            var page = matching.Skip(offset).Take(max).ToList();
            var body = new JsonObject
            {
                ["messages"] = new JsonArray(page.Select(x => (JsonNode)new JsonObject { ["id"] = x.Id, ["threadId"] = x.ThreadId }).ToArray()),
                ["resultSizeEstimate"] = matching.Count,
            };
            if (page.Count == 0) body.Remove("messages");
            if (offset + page.Count < matching.Count) body["nextPageToken"] = EncodePageToken(offset + page.Count);
            return Results.Json(body);
        });

        api.MapGet("/messages/{id}", (HttpRequest request, string userId, string id, GmailMailboxes boxes, SandboxTokens tokens, TimeProvider time) =>
        {
            if (Authorized(request, userId, tokens, time, boxes, 5, out var box, out _) is { } refused) return refused;
            if (box!.Find(id) is not { } message) return NotFound();
            var format = request.Query["format"].FirstOrDefault() ?? "full";
            if (format is not ("full" or "raw" or "metadata" or "minimal")) return Error(400, $"Invalid value at 'format' ({format})", "invalidArgument", "INVALID_ARGUMENT");
            return Results.Json(GmailMessages.Render(message, format, request.Query["metadataHeaders"].OfType<string>().ToList()));
        });

        api.MapGet("/history", (HttpRequest request, string userId, GmailMailboxes boxes, SandboxTokens tokens, TimeProvider time) =>
        {
            if (Authorized(request, userId, tokens, time, boxes, 2, out var box, out _) is { } refused) return refused;
            if (!ulong.TryParse(request.Query["startHistoryId"], out var start)) return Error(400, "Missing or invalid startHistoryId", "invalidArgument", "INVALID_ARGUMENT");
            var max = int.TryParse(request.Query["maxResults"], out var m) ? Math.Clamp(m, 1, 500) : 100;
            if (start < box!.HistoryFloor) return NotFound();
            var offset = request.Query["pageToken"].FirstOrDefault() is { Length: > 0 } token ? DecodePageToken(token) : 0;
            var types = request.Query["historyTypes"].OfType<string>().ToHashSet();
            var records = box.HistoryAfter(start).Where(h => types.Count == 0 || types.Contains(h.Type)).ToList();
            var page = records.Skip(offset).Take(max).ToList();
            var body = new JsonObject { ["historyId"] = box.HistoryId.ToString(CultureInfo.InvariantCulture) };
            if (page.Count > 0)
                body["history"] = new JsonArray(page.Select(h =>
                {
                    var reference = new JsonObject { ["id"] = h.MessageId, ["threadId"] = h.ThreadId, ["labelIds"] = new JsonArray(h.Labels.Select(l => (JsonNode)l).ToArray()) };
                    return (JsonNode)new JsonObject
                    {
                        ["id"] = h.Id.ToString(CultureInfo.InvariantCulture),
                        ["messages"] = new JsonArray(new JsonObject { ["id"] = h.MessageId, ["threadId"] = h.ThreadId }),
                        // historyTypes name the kind ("messageAdded"); the record's field is its plural ("messagesAdded").
                        [h.Type.Replace("message", "messages", StringComparison.Ordinal)] = new JsonArray(new JsonObject { ["message"] = reference }),
                    };
                }).ToArray());
            if (offset + page.Count < records.Count) body["nextPageToken"] = EncodePageToken(offset + page.Count);
            return Results.Json(body);
        });

        api.MapPost("/messages/send", async (HttpRequest request, string userId, GmailMailboxes boxes, SandboxTokens tokens, TimeProvider time, GmailPush push) =>
        {
            if (Authorized(request, userId, tokens, time, boxes, 100, out var box, out _) is { } refused) return refused;
            var json = await JsonNode.ParseAsync(request.Body);
            if (json?["raw"]?.GetValue<string>() is not { Length: > 0 } raw) return Error(400, "Invalid value for ByteString: raw is required", "invalidArgument", "INVALID_ARGUMENT");
            byte[] bytes;
            try
            {
                bytes = FromBase64Url(raw);
            }
            catch (FormatException)
            {
                return Error(400, "Invalid value for ByteString", "invalidArgument", "INVALID_ARGUMENT");
            }
            var message = box!.Add(bytes, ["SENT"], time.GetUtcNow(), json["threadId"]?.GetValue<string>());
            push.Changed(box.Address, message.HistoryId, message.Labels);
            return Results.Json(new JsonObject { ["id"] = message.Id, ["threadId"] = message.ThreadId, ["labelIds"] = new JsonArray("SENT") });
        });

        // users.watch: changes are published to the Pub/Sub topic named (labelIds with labelFilterBehavior INCLUDE or EXCLUDE).
        api.MapPost("/watch", async (HttpRequest request, string userId, GmailMailboxes boxes, SandboxTokens tokens, TimeProvider time, GmailPush push) =>
        {
            if (Authorized(request, userId, tokens, time, boxes, 100, out var box, out var account) is { } refused) return refused;
            JsonNode? body;
            try
            {
                body = await JsonNode.ParseAsync(request.Body);
            }
            catch (System.Text.Json.JsonException)
            {
                return Error(400, "Invalid JSON payload received.", "badRequest", "INVALID_ARGUMENT");
            }
            var topic = body?["topicName"] is JsonValue t && t.TryGetValue<string>(out var name) ? name : null;
            if (!GmailPush.IsTopic(topic)) return Error(400, "Invalid topicName does not match projects/SOME_PROJECT/topics/SOME_TOPIC", "invalidArgument", "INVALID_ARGUMENT");
            var labels = (body?["labelIds"] as JsonArray)?.Select(l => l?.GetValue<string>()).OfType<string>().ToList() ?? [];
            var behavior = (body?["labelFilterBehavior"] ?? body?["labelFilterAction"])?.GetValue<string>()?.ToUpperInvariant() ?? "INCLUDE";
            if (behavior is not ("INCLUDE" or "EXCLUDE")) return Error(400, $"Invalid value at 'label_filter_behavior' ({behavior})", "invalidArgument", "INVALID_ARGUMENT");
            var watch = push.Watch(account!, topic!, labels, behavior == "EXCLUDE");
            return Results.Json(new JsonObject
            {
                ["historyId"] = box!.HistoryId.ToString(CultureInfo.InvariantCulture),
                // A watch lasts 7 days; Gmail asks for it to be renewed at least every day.
                ["expiration"] = watch.Expiration.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            });
        });

        api.MapPost("/stop", (HttpRequest request, string userId, GmailMailboxes boxes, SandboxTokens tokens, TimeProvider time, GmailPush push) =>
        {
            if (Authorized(request, userId, tokens, time, boxes, 1, out _, out var account) is { } refused) return refused;
            push.Stop(account!);
            return Results.NoContent();
        });

        var control = app.MapGroup("/_sandbox/google/gmail/{account}");
        control.MapPost("/messages", async (HttpRequest request, string account, GmailMailboxes boxes, TimeProvider time, GmailPush push) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var labels = (request.Query["labels"].FirstOrDefault() ?? "INBOX").Split(',', StringSplitOptions.RemoveEmptyEntries);
            var at = long.TryParse(request.Query["internalDate"], out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : time.GetUtcNow();
            var message = boxes.Of(account).Add(buffer.ToArray(), labels, at, request.Query["threadId"].FirstOrDefault());
            push.Changed(account, message.HistoryId, message.Labels);
            return Results.Json(new { id = message.Id, threadId = message.ThreadId, historyId = message.HistoryId.ToString(CultureInfo.InvariantCulture) });
        });
        control.MapDelete("/messages/{id}", (string account, string id, GmailMailboxes boxes, GmailPush push) =>
        {
            var box = boxes.Of(account);
            if (box.Find(id) is not { } message || !box.Delete(id)) return Results.NotFound();
            push.Changed(account, box.HistoryId, message.Labels);
            return Results.NoContent();
        });
        control.MapPost("/expire-history", (string account, GmailMailboxes boxes) =>
        {
            boxes.Of(account).ExpireHistory();
            return Results.NoContent();
        });
        control.MapGet("/stats", (string account, GmailMailboxes boxes) => Results.Json(boxes.Of(account).Stats()));
        // What the account sent last, as the recipient's server received it (raw MIME): what a test opens and clicks.
        control.MapGet("/last-sent", (string account, GmailMailboxes boxes) =>
            boxes.Of(account).Newest().FirstOrDefault(m => m.Labels.Contains("SENT")) is { } sent ? Results.Bytes(sent.Raw, "message/rfc822") : Results.NotFound());
    }

    /// <summary>Google's answer for a token, a mailbox it may not read, or a quota spent; null when the call may go on.</summary>
    private static IResult? Authorized(HttpRequest request, string userId, SandboxTokens tokens, TimeProvider time, GmailMailboxes boxes, int units,
        out GmailMailbox? box, out string? account)
    {
        box = null;
        account = null;
        if (tokens["google"].Validate(StandardOAuthServer.BearerOf(request), time.GetUtcNow()) is not { } grant)
            return Error(401, "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
                "authError", "UNAUTHENTICATED");
        account = grant.Account;
        if (userId != "me" && !string.Equals(userId, grant.Account, StringComparison.OrdinalIgnoreCase))
            return Error(403, "Delegation denied for " + grant.Account, "forbidden", "PERMISSION_DENIED");
        box = boxes.Of(grant.Account);
        if (!box.Spend(units, time.GetUtcNow()))
            return Error(429, "User-rate limit exceeded.  Retry after " + time.GetUtcNow().AddSeconds(1).ToString("O", CultureInfo.InvariantCulture),
                "rateLimitExceeded", "RESOURCE_EXHAUSTED", retryAfter: 1);
        return null;
    }

    private static IResult NotFound() => Error(404, "Requested entity was not found.", "notFound", "NOT_FOUND");

    public static IResult Error(int code, string message, string reason, string status, int? retryAfter = null)
    {
        var body = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code, ["message"] = message,
                ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["domain"] = code == 429 ? "usageLimits" : "global", ["reason"] = reason }),
                ["status"] = status,
            },
        };
        return new ErrorResult(body, code, retryAfter);
    }

    private sealed class ErrorResult(JsonObject body, int code, int? retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            if (retryAfter is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Results.Json(body, statusCode: code).ExecuteAsync(context);
        }
    }

    /// <summary>"after:2026/09/01 before:1764460800 newer_than:90d" → the window (other terms are not searched here).</summary>
    private static (DateTimeOffset? After, DateTimeOffset? Before) ParseQuery(string? q, DateTimeOffset now)
    {
        DateTimeOffset? after = null, before = null;
        foreach (Match term in QueryTerm().Matches(q ?? ""))
        {
            var value = term.Groups[2].Value;
            DateTimeOffset? at = term.Groups[1].Value == "newer_than"
                ? DurationAgo(value, now)
                : long.TryParse(value, out var epoch) ? DateTimeOffset.FromUnixTimeSeconds(epoch)
                : DateTime.TryParseExact(value, ["yyyy/MM/dd", "yyyy/M/d", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var day)
                    ? new DateTimeOffset(day, TimeSpan.Zero) : null;
            if (term.Groups[1].Value == "before") before = at;
            else after = at;
        }
        return (after, before);
    }

    private static DateTimeOffset? DurationAgo(string value, DateTimeOffset now)
    {
        if (value.Length < 2 || !int.TryParse(value[..^1], out var n)) return null;
        return value[^1] switch { 'd' => now.AddDays(-n), 'm' => now.AddMonths(-n), 'y' => now.AddYears(-n), _ => null };
    }

    private static string EncodePageToken(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes("o" + offset.ToString(CultureInfo.InvariantCulture)));

    private static int DecodePageToken(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith('o') && int.TryParse(text[1..], out var offset) && offset >= 0 ? offset : -1;
        }
        catch (FormatException)
        {
            return -1;
        }
    }

    public static byte[] FromBase64Url(string value)
    {
        var s = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }

    public static string ToBase64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex(@"\b(after|before|newer_than):(\S+)")]
    private static partial Regex QueryTerm();
}

/// <summary>Every sandbox account's mailbox.</summary>
public sealed class GmailMailboxes
{
    private readonly ConcurrentDictionary<string, GmailMailbox> _boxes = new(StringComparer.OrdinalIgnoreCase);
    public GmailMailbox Of(string account) => _boxes.GetOrAdd(account, a => new GmailMailbox(a));
}
