using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Crm.Sandbox.Faults;
using Crm.Sandbox.OAuth;
using MimeKit;

namespace Crm.Sandbox.Graph;

/// <summary>
/// Microsoft Graph mail under /microsoft/graph/v1.0/me, holding real RFC 5322 messages per account in the well-known
/// folders <c>inbox</c> and <c>sentitems</c>: <c>mailFolders</c>, <c>mailFolders/{id}/messages/delta</c> (pages of
/// <c>Prefer: odata.maxpagesize</c>, default 10, <c>@odata.nextLink</c> then <c>@odata.deltaLink</c>, deleted messages as
/// <c>@removed</c>, <c>$filter=receivedDateTime ge …</c>, <c>$select</c> including <c>internetMessageHeaders</c>; a delta
/// token from before an expiry answers 410 <c>SyncStateNotFound</c>), <c>messages/{id}</c> and <c>sendMail</c>. Ids are
/// immutable whatever <c>Prefer: IdType</c> says. Control: <c>POST /_sandbox/microsoft/mail/{account}/messages?folder=inbox</c>
/// (raw MIME; <c>receivedAt</c> sets when it arrived, now by default), <c>DELETE …/messages/{id}</c>, <c>POST …/expire-delta</c>.
/// </summary>
public static partial class GraphMailSandbox
{
    private const string Base = "/microsoft/graph/v1.0/me";

    public static void MapGraphMailSandbox(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup(Base).WithMetadata(new SandboxSurface("microsoft", SandboxSurface.Api));
        me.AddEndpointFilter(MailboxLimit);

        me.MapGet("/mailFolders", (HttpRequest request, GraphMailboxes boxes, SandboxTokens tokens, TimeProvider time) =>
        {
            if (Authorized(request, tokens, time, boxes, out var box) is { } refused) return refused;
            return Results.Json(new JsonObject
            {
                ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#users('me')/mailFolders",
                ["value"] = new JsonArray(GraphMailbox.Folders.Select(f => (JsonNode)new JsonObject
                {
                    ["id"] = box!.FolderId(f.Key), ["displayName"] = f.Value, ["parentFolderId"] = box.FolderId("msgfolderroot"),
                    ["childFolderCount"] = 0, ["unreadItemCount"] = 0, ["totalItemCount"] = box.CountIn(f.Key), ["isHidden"] = false,
                }).ToArray()),
            });
        });

        // The SDKs call the function as "delta()"; Graph answers both spellings.
        Func<HttpRequest, string, GraphMailboxes, SandboxTokens, TimeProvider, IResult> delta = (request, folder, boxes, tokens, time) =>
        {
            if (Authorized(request, tokens, time, boxes, out var box) is { } refused) return refused;
            var name = box!.FolderName(folder);
            if (name is null) return Error(404, "ErrorItemNotFound", "The specified folder could not be found in the store.", time);
            var pageSize = MaxPageSize(request) ?? 10;
            var select = (request.Query["$select"].FirstOrDefault() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
            GraphMailbox.DeltaState state;
            if (request.Query["$deltatoken"].FirstOrDefault() is { Length: > 0 } delta)
            {
                if (GraphMailbox.DeltaState.Parse(delta) is not { } parsed) return Error(400, "BadRequest", "Invalid delta token.", time);
                if (parsed.Generation != box.Generation) return Error(410, "SyncStateNotFound", "The sync state generation is not found.", time);
                state = parsed with { Offset = 0, Until = box.Sequence };
                select = parsed.SelectSet;
            }
            else if (request.Query["$skiptoken"].FirstOrDefault() is { Length: > 0 } skip)
            {
                if (GraphMailbox.DeltaState.Parse(skip) is not { } parsed) return Error(400, "BadRequest", "Invalid skip token.", time);
                if (parsed.Generation != box.Generation) return Error(410, "SyncStateNotFound", "The sync state generation is not found.", time);
                state = parsed;
                select = parsed.SelectSet;
            }
            else
            {
                var since = ParseFilter(request.Query["$filter"].FirstOrDefault());
                if (since is { Failed: true }) return Error(400, "ErrorInvalidUrlQueryFilter", "The query filter contains one or more invalid nodes.", time);
                // Graph keeps the first request's $select in the tokens of its next and delta links.
                state = new GraphMailbox.DeltaState(box.Generation, 0, box.Sequence, 0, since?.At, string.Join(',', select));
            }
            var changes = box.Changes(name, state);
            var page = changes.Skip(state.Offset).Take(pageSize).ToList();
            request.HttpContext.Items[ItemsReturned] = Weight(page.Count(c => !c.Removed), select);
            var body = new JsonObject { ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#Collection(message)" };
            body["value"] = new JsonArray(page.Select(c => (JsonNode)(c.Removed
                ? new JsonObject { ["@odata.type"] = "#microsoft.graph.message", ["id"] = c.Id, ["@removed"] = new JsonObject { ["reason"] = "deleted" } }
                : GraphMessages.Render(c.Message!, box.FolderId(name), select))).ToArray());
            var link = $"{request.Scheme}://{request.Host}{request.Path}";
            if (state.Offset + page.Count < changes.Count)
                body["@odata.nextLink"] = $"{link}?$skiptoken={(state with { Offset = state.Offset + page.Count }).Encode()}";
            else
                body["@odata.deltaLink"] = $"{link}?$deltatoken={new GraphMailbox.DeltaState(box.Generation, state.Until, state.Until, 0, state.ReceivedSince, state.Select).Encode()}";
            return Results.Json(body);
        };
        me.MapGet("/mailFolders/{folder}/messages/delta", delta);
        me.MapGet("/mailFolders/{folder}/messages/delta()", delta);

        // A folder's messages, newest first: $filter on receivedDateTime (ge / gt / le / lt, joined by "and"), $top 1–1000
        // (default 10), $skip, $select; @odata.nextLink while more remain.
        me.MapGet("/mailFolders/{folder}/messages", (HttpRequest request, string folder, GraphMailboxes boxes, SandboxTokens tokens, TimeProvider time) =>
        {
            if (Authorized(request, tokens, time, boxes, out var box) is { } refused) return refused;
            var name = box!.FolderName(folder);
            if (name is null) return Error(404, "ErrorItemNotFound", "The specified folder could not be found in the store.", time);
            if (ParseRange(request.Query["$filter"].FirstOrDefault()) is not { } range)
                return Error(400, "ErrorInvalidUrlQueryFilter", "The query filter contains one or more invalid nodes.", time);
            var top = 10;
            if (request.Query["$top"].FirstOrDefault() is { } topText && (!int.TryParse(topText, CultureInfo.InvariantCulture, out top) || top is < 1 or > 1000))
                return Error(400, "ErrorInvalidArgument", "The value of $top must be between 1 and 1000.", time);
            var skip = 0;
            if (request.Query["$skip"].FirstOrDefault() is { } skipText && (!int.TryParse(skipText, CultureInfo.InvariantCulture, out skip) || skip < 0))
                return Error(400, "ErrorInvalidArgument", "The value of $skip is not valid.", time);
            var select = (request.Query["$select"].FirstOrDefault() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var matching = box.InFolder(name, range);
            var page = matching.Skip(skip).Take(top).ToList();
            request.HttpContext.Items[ItemsReturned] = Weight(page.Count, select);
            var body = new JsonObject
            {
                ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#users('me')/mailFolders('" + folder + "')/messages",
                ["value"] = new JsonArray(page.Select(m => (JsonNode)GraphMessages.Render(m, box.FolderId(name), select)).ToArray()),
            };
            if (skip + page.Count < matching.Count)
            {
                var query = request.Query.Where(q => q.Key != "$skip").Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
                    .Append($"$skip={skip + page.Count}");
                body["@odata.nextLink"] = $"{request.Scheme}://{request.Host}{request.Path}?{string.Join('&', query)}";
            }
            return Results.Json(body);
        });

        // A message's attachments (fileAttachment, contentBytes unless $select leaves it out), and one of them by id.
        me.MapGet("/messages/{id}/attachments", (HttpRequest request, string id, GraphMailboxes boxes, SandboxTokens tokens, TimeProvider time) =>
        {
            if (Authorized(request, tokens, time, boxes, out var box) is { } refused) return refused;
            if (box!.Find(id) is not { } message) return Error(404, "ErrorItemNotFound", "The specified object was not found in the store.", time);
            var select = (request.Query["$select"].FirstOrDefault() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var attachments = GraphMessages.Attachments(message, select);
            request.HttpContext.Items[ItemsReturned] = 1;
            return Results.Json(new JsonObject
            {
                ["@odata.context"] = $"https://graph.microsoft.com/v1.0/$metadata#users('me')/messages('{id}')/attachments",
                ["value"] = new JsonArray(attachments.Select(a => (JsonNode)a).ToArray()),
            });
        });
        me.MapGet("/messages/{id}/attachments/{attachmentId}", (HttpRequest request, string id, string attachmentId, GraphMailboxes boxes, SandboxTokens tokens, TimeProvider time) =>
        {
            if (Authorized(request, tokens, time, boxes, out var box) is { } refused) return refused;
            if (box!.Find(id) is not { } message
                || GraphMessages.Attachments(message, new HashSet<string>()).FirstOrDefault(a => a["id"]!.GetValue<string>() == attachmentId) is not { } attachment)
                return Error(404, "ErrorItemNotFound", "The specified object was not found in the store.", time);
            request.HttpContext.Items[ItemsReturned] = 1;
            return Results.Json(attachment);
        });

        me.MapGet("/messages/{id}", (HttpRequest request, string id, GraphMailboxes boxes, SandboxTokens tokens, TimeProvider time) =>
        {
            if (Authorized(request, tokens, time, boxes, out var box) is { } refused) return refused;
            var message = box!.Find(id);
            if (message is null) return Error(404, "ErrorItemNotFound", "The specified object was not found in the store.", time);
            var select = (request.Query["$select"].FirstOrDefault() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
            request.HttpContext.Items[ItemsReturned] = Weight(1, select);
            return Results.Json(GraphMessages.Render(message, box.FolderId(message.Folder), select));
        });

        // sendMail: the JSON message, or the MIME message base64-encoded as text/plain (which keeps its Message-ID); 202, saved to Sent Items.
        me.MapPost("/sendMail", async (HttpRequest request, GraphMailboxes boxes, SandboxTokens tokens, TimeProvider time, GraphSubscriptions subscriptions) =>
        {
            if (Authorized(request, tokens, time, boxes, out var box) is { } refused) return refused;
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            byte[] raw;
            if (request.ContentType?.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase) == true)
            {
                try
                {
                    raw = Convert.FromBase64String(body.Trim());
                }
                catch (FormatException)
                {
                    return Error(400, "ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content.", time);
                }
            }
            else
            {
                var json = JsonNode.Parse(body)?["message"];
                if (json is null) return Error(400, "ErrorInvalidRequest", "The message is required.", time);
                var message = new MimeMessage();
                message.From.Add(MailboxAddress.Parse(box!.Account));
                foreach (var to in json["toRecipients"]?.AsArray() ?? []) message.To.Add(MailboxAddress.Parse(to!["emailAddress"]!["address"]!.GetValue<string>()));
                message.Subject = json["subject"]?.GetValue<string>() ?? "";
                message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("sandbox.outlook.test");
                message.Body = new TextPart(json["body"]?["contentType"]?.GetValue<string>() == "html" ? "html" : "plain") { Text = json["body"]?["content"]?.GetValue<string>() ?? "" };
                using var buffer = new MemoryStream();
                message.WriteTo(buffer);
                raw = buffer.ToArray();
            }
            var sent = box!.Add(raw, "sentitems", time.GetUtcNow());
            subscriptions.Created(box.Account, "sentitems", sent.Id);
            return Results.Accepted();
        });

        var control = app.MapGroup("/_sandbox/microsoft/mail/{account}");
        control.MapPost("/messages", async (HttpRequest request, string account, GraphMailboxes boxes, TimeProvider time, GraphSubscriptions subscriptions) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var folder = request.Query["folder"].FirstOrDefault() ?? "inbox";
            if (!GraphMailbox.Folders.ContainsKey(folder)) return Results.BadRequest(new { error = "folder is inbox or sentitems" });
            var received = time.GetUtcNow();
            if (request.Query["receivedAt"].FirstOrDefault() is { } at
                && !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out received))
                return Results.BadRequest(new { error = "receivedAt is an ISO 8601 time" });
            var message = boxes.Of(account).Add(buffer.ToArray(), folder, received);
            subscriptions.Created(account, folder, message.Id);
            return Results.Json(new { id = message.Id });
        });
        control.MapDelete("/messages/{id}", (string account, string id, GraphMailboxes boxes) => boxes.Of(account).Delete(id) ? Results.NoContent() : Results.NotFound());
        control.MapPost("/expire-delta", (string account, GraphMailboxes boxes) =>
        {
            boxes.Of(account).Expire();
            return Results.NoContent();
        });
        // How long each request takes: a base plus a time per full message returned (an id-only one counts a twentieth).
        control.MapPost("/latency", (string account, double? baseMs, double? perMessageMs, GraphMailboxes boxes) =>
        {
            if (baseMs is < 0 or > 10_000 || perMessageMs is < 0 or > 1_000) return Results.BadRequest(new { error = "baseMs is 0–10,000 and perMessageMs 0–1,000" });
            boxes.Of(account).Latency = (baseMs ?? 0, perMessageMs ?? 0);
            return Results.NoContent();
        });
        control.MapGet("/stats", (string account, GraphMailboxes boxes) => Results.Json(boxes.Of(account).Stats()));
    }

    public const string ItemsReturned = "graph.itemsReturned";

    /// <summary>What a page costs Exchange to produce, in full messages: twenty with only a few small fields (ids) count as one.</summary>
    /// <summary>
    /// Exchange's per-mailbox limit, shared by mail and calendar: 4 requests at once (a fifth: 429 MailboxConcurrency with
    /// Retry-After), each taking the time the control endpoint set, longer for each item it returns, as Graph's do.
    /// </summary>
    public static async ValueTask<object?> MailboxLimit(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var tokens = http.RequestServices.GetRequiredService<SandboxTokens>();
        var time = http.RequestServices.GetRequiredService<TimeProvider>();
        if (tokens["microsoft"].Validate(StandardOAuthServer.BearerOf(http.Request), time.GetUtcNow()) is not { } grant) return await next(context);
        var box = http.RequestServices.GetRequiredService<GraphMailboxes>().Of(grant.Account);
        using var slot = box.Enter();
        if (slot is null)
        {
            http.Response.Headers.RetryAfter = "1";
            return Error(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.", time);
        }
        var result = await next(context);
        var items = http.Items.TryGetValue(ItemsReturned, out var count) ? (int)count! : 0;
        var (baseMs, perMessageMs) = box.Latency;
        var delay = baseMs + perMessageMs * items;
        if (delay > 0) await Task.Delay(TimeSpan.FromMilliseconds(delay), http.RequestAborted);
        return result;
    }

    private static int Weight(int messages, IReadOnlySet<string> select) =>
        select.Count is > 0 and <= 3 && !select.Contains("body") && !select.Contains("internetMessageHeaders") ? (messages + 19) / 20 : messages;

    /// <summary>A list's $filter on receivedDateTime: bounds joined by "and"; null when it is something else.</summary>
    private static GraphMailbox.Range? ParseRange(string? filter)
    {
        var range = new GraphMailbox.Range(null, true, null, false);
        if (string.IsNullOrWhiteSpace(filter)) return range;
        foreach (var clause in AndSplit().Split(filter.Trim()))
        {
            var match = RangeClause().Match(clause);
            if (!match.Success || !DateTimeOffset.TryParse(match.Groups[2].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return null;
            range = match.Groups[1].Value.ToLowerInvariant() switch
            {
                "ge" => range with { From = at, FromInclusive = true },
                "gt" => range with { From = at, FromInclusive = false },
                "le" => range with { Until = at, UntilInclusive = true },
                _ => range with { Until = at, UntilInclusive = false },
            };
        }
        return range;
    }

    [GeneratedRegex(@"\s+and\s+", RegexOptions.IgnoreCase)]
    private static partial Regex AndSplit();

    [GeneratedRegex(@"^\s*receivedDateTime\s+(ge|gt|le|lt)\s+([0-9T:\-\.Z+]+)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex RangeClause();

    private static int? MaxPageSize(HttpRequest request)
    {
        foreach (var prefer in request.Headers["Prefer"])
            foreach (var part in (prefer ?? "").Split(',', StringSplitOptions.TrimEntries))
                if (part.StartsWith("odata.maxpagesize=", StringComparison.OrdinalIgnoreCase) && int.TryParse(part[18..], out var size))
                    return Math.Clamp(size, 1, 1000);
        return null;
    }

    private sealed record Filter(DateTimeOffset? At, bool Failed);

    private static Filter? ParseFilter(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter)) return null;
        var match = ReceivedFilter().Match(filter);
        if (!match.Success) return new Filter(null, true);
        return DateTimeOffset.TryParse(match.Groups[2].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? new Filter(at, false) : new Filter(null, true);
    }

    private static IResult? Authorized(HttpRequest request, SandboxTokens tokens, TimeProvider time, GraphMailboxes boxes, out GraphMailbox? box)
    {
        box = null;
        if (tokens["microsoft"].Validate(StandardOAuthServer.BearerOf(request), time.GetUtcNow()) is not { } grant)
            return Error(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.", time);
        box = boxes.Of(grant.Account);
        return null;
    }

    public static IResult Error(int status, string code, string message, TimeProvider time) =>
        Results.Json(new { error = new { code, message, innerError = new { date = time.GetUtcNow(), requestId = Guid.NewGuid(), clientRequestId = Guid.NewGuid() } } }, statusCode: status);

    [GeneratedRegex(@"^\s*receivedDateTime\s+(ge|gt)\s+([0-9T:\-\.Z+]+)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ReceivedFilter();
}

public sealed class GraphMailboxes
{
    private readonly ConcurrentDictionary<string, GraphMailbox> _boxes = new(StringComparer.OrdinalIgnoreCase);
    public GraphMailbox Of(string account) => _boxes.GetOrAdd(account, a => new GraphMailbox(a));
}

public sealed record GraphStoredMessage(string Id, string Folder, byte[] Raw, DateTimeOffset Received, long Sequence, string ConversationId);

/// <summary>One account's folders and messages, with a change sequence for delta and a generation that expiry bumps.</summary>
public sealed class GraphMailbox(string account)
{
    public static readonly IReadOnlyDictionary<string, string> Folders = new Dictionary<string, string> { ["inbox"] = "Inbox", ["sentitems"] = "Sent Items" };

    private readonly object _gate = new();
    private readonly List<GraphStoredMessage> _messages = [];
    private readonly List<(string Id, string Folder, long Sequence)> _removed = [];
    private readonly Dictionary<string, string> _conversations = [];

    public string Account { get; } = account;
    public long Sequence { get; private set; }
    public int Generation { get; private set; } = 1;

    public string FolderId(string name) => "AAMkAD" + Convert.ToBase64String(MD5.HashData(Encoding.UTF8.GetBytes(Account + "/" + name))).TrimEnd('=').Replace('/', '_').Replace('+', '-');

    public string? FolderName(string idOrName) =>
        Folders.Keys.FirstOrDefault(f => string.Equals(f, idOrName, StringComparison.OrdinalIgnoreCase) || FolderId(f) == idOrName);

    public int CountIn(string folder)
    {
        lock (_gate) return _messages.Count(m => m.Folder == folder);
    }

    public GraphStoredMessage Add(byte[] raw, string folder, DateTimeOffset received)
    {
        lock (_gate)
        {
            var id = "AAkALg" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('/', '_').Replace('+', '-');
            var mime = MimeMessage.Load(new MemoryStream(raw));
            var conversation = (mime.InReplyTo is { } parent && _conversations.TryGetValue(parent, out var c) ? c : null)
                               ?? "AAQkAD" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('/', '_').Replace('+', '-');
            if (mime.MessageId is { } messageId) _conversations[messageId] = conversation;
            var message = new GraphStoredMessage(id, folder, raw, received, ++Sequence, conversation);
            _messages.Add(message);
            return message;
        }
    }

    public bool Delete(string id)
    {
        lock (_gate)
        {
            var message = _messages.FirstOrDefault(m => m.Id == id);
            if (message is null) return false;
            _messages.Remove(message);
            _removed.Add((id, message.Folder, ++Sequence));
            return true;
        }
    }

    public const int Concurrency = 4;
    private int _inFlight, _maxInFlight;
    private long _requests, _refusedForConcurrency, _lastChange = System.Diagnostics.Stopwatch.GetTimestamp();
    private double _busySlotSeconds;

    /// <summary>Milliseconds each request takes, and more per full message it returns.</summary>
    public (double BaseMs, double PerMessageMs) Latency { get; set; }

    /// <summary>One of the mailbox's 4 request slots, or null when all are taken (the caller answers 429).</summary>
    public IDisposable? Enter()
    {
        lock (_gate)
        {
            Accrue();
            if (_inFlight >= Concurrency)
            {
                _refusedForConcurrency++;
                return null;
            }
            _inFlight++;
            _requests++;
            _maxInFlight = Math.Max(_maxInFlight, _inFlight);
            return new Slot(this);
        }
    }

    private sealed class Slot(GraphMailbox box) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 1) return;
            lock (box._gate)
            {
                box.Accrue();
                box._inFlight--;
            }
        }
    }

    /// <summary>Adds the slots busy since the last change to the busy time (slot-seconds).</summary>
    private void Accrue()
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        _busySlotSeconds += _inFlight * (now - _lastChange) / (double)System.Diagnostics.Stopwatch.Frequency;
        _lastChange = now;
    }

    public object Stats()
    {
        lock (_gate)
        {
            Accrue();
            return new
            {
                messages = _messages.Count, requests = _requests, refusedForConcurrency = _refusedForConcurrency, inFlight = _inFlight,
                maxInFlight = _maxInFlight, busySlotSeconds = Math.Round(_busySlotSeconds, 3), concurrency = Concurrency,
            };
        }
    }

    public sealed record Range(DateTimeOffset? From, bool FromInclusive, DateTimeOffset? Until, bool UntilInclusive);

    /// <summary>A folder's messages received within the range, newest first.</summary>
    public List<GraphStoredMessage> InFolder(string folder, Range range)
    {
        lock (_gate)
            return _messages.Where(m => m.Folder == folder
                                        && (range.From is not { } from || (range.FromInclusive ? m.Received >= from : m.Received > from))
                                        && (range.Until is not { } until || (range.UntilInclusive ? m.Received <= until : m.Received < until)))
                .OrderByDescending(m => m.Received).ThenBy(m => m.Sequence).ToList();
    }

    public void Expire()
    {
        lock (_gate) Generation++;
    }

    public GraphStoredMessage? Find(string id)
    {
        lock (_gate) return _messages.FirstOrDefault(m => m.Id == id);
    }

    public sealed record Change(string Id, bool Removed, GraphStoredMessage? Message, long Sequence);

    /// <summary>What changed in a folder between the state's start and end sequence, oldest first (a first sync: everything, newest first).</summary>
    public List<Change> Changes(string folder, DeltaState state)
    {
        lock (_gate)
        {
            var present = _messages.Where(m => m.Folder == folder && m.Sequence > state.From && m.Sequence <= state.Until
                                               && (state.ReceivedSince is null || m.Received >= state.ReceivedSince))
                .Select(m => new Change(m.Id, false, m, m.Sequence));
            var removed = state.From == 0 ? [] : _removed.Where(r => r.Folder == folder && r.Sequence > state.From && r.Sequence <= state.Until)
                .Select(r => new Change(r.Id, true, null, r.Sequence));
            return present.Concat(removed).OrderBy(c => c.Sequence).ToList();
        }
    }

    /// <summary>A delta or skip token's content: the mailbox generation, the change window, the offset into it and the $select asked for first.</summary>
    public sealed record DeltaState(int Generation, long From, long Until, int Offset, DateTimeOffset? ReceivedSince, string Select = "")
    {
        public HashSet<string> SelectSet => Select.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);

        public string Encode() => Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $"{Generation}|{From}|{Until}|{Offset}|{ReceivedSince?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) ?? ""}|{Select}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static DeltaState? Parse(string token)
        {
            try
            {
                var s = token.Replace('-', '+').Replace('_', '/');
                var parts = Encoding.UTF8.GetString(Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='))).Split('|');
                if (parts.Length is not (5 or 6)) return null;
                return new DeltaState(int.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture),
                    long.Parse(parts[2], CultureInfo.InvariantCulture), int.Parse(parts[3], CultureInfo.InvariantCulture),
                    parts[4].Length == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[4], CultureInfo.InvariantCulture)), parts.Length == 6 ? parts[5] : "");
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
