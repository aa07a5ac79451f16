using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Crm.Sandbox.Faults;
using Crm.Sandbox.OAuth;

namespace Crm.Sandbox.Google;

/// <summary>
/// The Google Calendar API v3 under /google/calendar/v3: <c>calendarList.list</c>; <c>events.list</c> with
/// <c>singleEvents</c> (series expanded into occurrences, <c>recurringEventId</c> / <c>originalStartTime</c>),
/// <c>timeMin</c> / <c>timeMax</c>, <c>showDeleted</c>, pages of <c>maxResults</c> ≤ 2500 (default 250) and sync tokens
/// (<c>nextSyncToken</c> on the last page; changed and deleted events after it; 410 <c>fullSyncRequired</c> once it
/// expired or with a time bound); <c>events.get / insert / patch / update / delete</c> (invitations copied into
/// attendees' sandbox calendars, as Google does); <c>events.watch</c> and <c>channels.stop</c>
/// (<see cref="GoogleCalendarChannels"/>). Per-user quota as Google's: 600 requests a minute (sliding), answered 403 or
/// 429 <c>rateLimitExceeded</c> beyond. Errors in Google's JSON shape.
/// Control under <c>/_sandbox/google/calendar/{account}</c>: <c>POST calendars</c>, <c>POST calendars/{id}/events</c>
/// (one resource or an array, imported as another client wrote it; <c>GET</c> lists what is stored), <c>PATCH</c> / <c>DELETE calendars/{id}/events/{eventId}</c>,
/// <c>POST expire-sync-tokens</c>, <c>POST latency?baseMs&amp;perItemMs</c> (events.list's time to answer), <c>GET stats</c>.
/// </summary>
public static partial class GoogleCalendarSandbox
{
    public const string Base = "/google/calendar/v3";
    public const int RequestsPerMinute = 600;

    public static void MapGoogleCalendarSandbox(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Base).WithMetadata(new SandboxSurface("google", SandboxSurface.Api));

        api.MapGet("/users/me/calendarList", (HttpRequest request, GoogleCalendarStore store, CalendarQuota quota, SandboxTokens tokens, TimeProvider time) =>
        {
            if (Authorized(request, tokens, time, quota, out var account) is { } refused) return refused;
            var items = store.CalendarsOf(account!).Values.OrderByDescending(c => c.Primary).ThenBy(c => c.Id, StringComparer.Ordinal)
                .Select(c => (JsonNode)new JsonObject
                {
                    ["kind"] = "calendar#calendarListEntry", ["etag"] = GoogleCalendarStore.ETag(c.Epoch), ["id"] = c.Id, ["summary"] = c.Summary,
                    ["timeZone"] = c.TimeZone, ["accessRole"] = c.AccessRole, ["primary"] = c.Primary ? true : null, ["selected"] = true,
                    ["defaultReminders"] = new JsonArray(),
                }).ToArray();
            foreach (var item in items.OfType<JsonObject>().Where(i => i["primary"] is null)) item.Remove("primary");
            return Results.Json(new JsonObject { ["kind"] = "calendar#calendarList", ["etag"] = "\"p1\"", ["items"] = new JsonArray(items) });
        });

        api.MapGet("/calendars/{calendarId}/events", async (HttpRequest request, string calendarId, GoogleCalendarStore store, CalendarQuota quota, SandboxTokens tokens,
            TimeProvider time) =>
        {
            if (Authorized(request, tokens, time, quota, out var account) is { } refused) return refused;
            if (store.Find(account!, calendarId) is not { } calendar) return NotFound();
            var (result, items) = List(request, calendar, store, time.GetUtcNow());
            // Google's own time to answer, when the control endpoint set one (base + per event returned).
            if (quota.LatencyOf(account!) is { } latency && latency.BaseMs + latency.PerItemMs * items > 0)
                await Task.Delay(TimeSpan.FromMilliseconds(latency.BaseMs + latency.PerItemMs * items), request.HttpContext.RequestAborted);
            return result;
        });

        api.MapGet("/calendars/{calendarId}/events/{eventId}", (HttpRequest request, string calendarId, string eventId, GoogleCalendarStore store, CalendarQuota quota,
            SandboxTokens tokens, TimeProvider time) =>
        {
            if (Authorized(request, tokens, time, quota, out var account) is { } refused) return refused;
            if (store.Find(account!, calendarId) is not { } calendar) return NotFound();
            var row = GoogleCalendarStore.Expanded(calendar, time.GetUtcNow()).FirstOrDefault(r => r.Item["id"]?.GetValue<string>() == eventId);
            if (row.Item is not null) return Results.Json(WithETag(row.Item, row.Seq));
            lock (calendar.Gate) return calendar.Events.TryGetValue(eventId, out var stored) ? Results.Json(WithETag(stored.Resource, stored.Seq)) : NotFound();
        });

        api.MapPost("/calendars/{calendarId}/events", async (HttpRequest request, string calendarId, GoogleCalendarStore store, CalendarQuota quota, SandboxTokens tokens,
            GoogleCalendarChannels channels, TimeProvider time) =>
        {
            if (Authorized(request, tokens, time, quota, out var account) is { } refused) return refused;
            if (store.Find(account!, calendarId) is not { } calendar) return NotFound();
            if (calendar.AccessRole is not ("owner" or "writer")) return Error(403, "You need to have writer access to this calendar.", "requiredAccessLevel", "PERMISSION_DENIED");
            if (await ReadObjectAsync(request) is not { } body) return Error(400, "Parse Error", "parseError", "INVALID_ARGUMENT");
            if (Validate(body, calendar.TimeZone) is { } invalid) return invalid;
            if (body["id"]?.GetValue<string>() is { } wanted && !EventId().IsMatch(wanted)) return Error(400, "Invalid resource id value.", "invalid", "INVALID_ARGUMENT");
            var stored = Insert(store, account!, calendar, body, time.GetUtcNow(), organizerSelf: true);
            if (stored is null) return Error(409, "The requested identifier already exists.", "duplicate", "ALREADY_EXISTS");
            channels.Changed(account!, calendar.Id);
            Invite(store, channels, account!, stored.Resource, time.GetUtcNow());
            return Results.Json(WithETag(stored.Resource, stored.Seq));
        });

        api.MapMethods("/calendars/{calendarId}/events/{eventId}", ["PATCH", "PUT"], async (HttpRequest request, string calendarId, string eventId, GoogleCalendarStore store,
            CalendarQuota quota, SandboxTokens tokens, GoogleCalendarChannels channels, TimeProvider time) =>
        {
            if (Authorized(request, tokens, time, quota, out var account) is { } refused) return refused;
            if (store.Find(account!, calendarId) is not { } calendar) return NotFound();
            if (calendar.AccessRole is not ("owner" or "writer")) return Error(403, "You need to have writer access to this calendar.", "requiredAccessLevel", "PERMISSION_DENIED");
            if (await ReadObjectAsync(request) is not { } body) return Error(400, "Parse Error", "parseError", "INVALID_ARGUMENT");
            var updated = Change(store, calendar, eventId, body, replace: request.Method == "PUT", time.GetUtcNow());
            if (updated is null) return NotFound();
            if (Validate(updated.Resource, calendar.TimeZone) is { } invalid) return invalid;
            channels.Changed(account!, calendar.Id);
            Propagate(store, channels, account!, updated.Resource, time.GetUtcNow());
            return Results.Json(WithETag(updated.Resource, updated.Seq));
        });

        api.MapDelete("/calendars/{calendarId}/events/{eventId}", (HttpRequest request, string calendarId, string eventId, GoogleCalendarStore store, CalendarQuota quota,
            SandboxTokens tokens, GoogleCalendarChannels channels, TimeProvider time) =>
        {
            if (Authorized(request, tokens, time, quota, out var account) is { } refused) return refused;
            if (store.Find(account!, calendarId) is not { } calendar) return NotFound();
            if (calendar.AccessRole is not ("owner" or "writer")) return Error(403, "You need to have writer access to this calendar.", "requiredAccessLevel", "PERMISSION_DENIED");
            var deleted = Delete(store, calendar, eventId, time.GetUtcNow());
            if (deleted is null) return NotFound();
            if (deleted.Value.AlreadyGone) return Error(410, "Resource has been deleted", "deleted", "GONE");
            channels.Changed(account!, calendar.Id);
            Propagate(store, channels, account!, deleted.Value.Event.Resource, time.GetUtcNow());
            return Results.NoContent();
        });

        api.MapPost("/calendars/{calendarId}/events/watch", async (HttpRequest request, string calendarId, GoogleCalendarStore store, CalendarQuota quota,
            SandboxTokens tokens, GoogleCalendarChannels channels, TimeProvider time) =>
        {
            if (Authorized(request, tokens, time, quota, out var account) is { } refused) return refused;
            if (store.Find(account!, calendarId) is not { } calendar) return NotFound();
            if (await ReadObjectAsync(request) is not { } body) return Error(400, "Parse Error", "parseError", "INVALID_ARGUMENT");
            var id = body["id"]?.GetValue<string>();
            var address = body["address"]?.GetValue<string>();
            if (id is not { Length: > 0 and <= 64 } || !ChannelId().IsMatch(id)) return Error(400, "Invalid channel id.", "invalid", "INVALID_ARGUMENT");
            if (body["type"]?.GetValue<string>() is not ("web_hook" or "webhook")) return Error(400, "Invalid channel type.", "invalid", "INVALID_ARGUMENT");
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")) return Error(400, "Invalid notification address.", "push.webhookUrlNotHttps", "INVALID_ARGUMENT");
            if (channels.Exists(id)) return Error(400, $"Channel id {id} not unique", "channelIdNotUnique", "INVALID_ARGUMENT");
            DateTimeOffset? expiration = body["expiration"] is JsonValue e && long.TryParse(e.ToString(), out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
            var channel = channels.Open(id, account!, calendar.Id, address!, body["token"]?.GetValue<string>(), expiration);
            return Results.Json(new JsonObject
            {
                ["kind"] = "api#channel", ["id"] = channel.Id, ["resourceId"] = channel.ResourceId,
                ["resourceUri"] = $"https://www.googleapis.com/calendar/v3/calendars/{Uri.EscapeDataString(calendar.Id)}/events?alt=json",
                ["token"] = channel.Token, ["expiration"] = channel.Expiration.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            });
        });

        api.MapPost("/channels/stop", async (HttpRequest request, CalendarQuota quota, SandboxTokens tokens, GoogleCalendarChannels channels, TimeProvider time) =>
        {
            if (Authorized(request, tokens, time, quota, out _) is { } refused) return refused;
            if (await ReadObjectAsync(request) is not { } body) return Error(400, "Parse Error", "parseError", "INVALID_ARGUMENT");
            return channels.Close(body["id"]?.GetValue<string>() ?? "", body["resourceId"]?.GetValue<string>() ?? "")
                ? Results.NoContent() : Error(404, "Channel '" + body["id"] + "' not found for project", "notFound", "NOT_FOUND");
        });

        MapControl(app);
    }

    private static void MapControl(IEndpointRouteBuilder app)
    {
        var control = app.MapGroup("/_sandbox/google/calendar/{account}");
        control.MapPost("/calendars", async (HttpRequest request, string account, GoogleCalendarStore store) =>
        {
            var body = await ReadObjectAsync(request) ?? new JsonObject();
            var id = body["id"]?.GetValue<string>() ?? GoogleCalendarStore.NewId() + "@group.calendar.google.com";
            var calendar = new SandboxCalendar(id, body["summary"]?.GetValue<string>() ?? id, body["timeZone"]?.GetValue<string>() ?? "UTC",
                body["accessRole"]?.GetValue<string>() ?? "owner", primary: false);
            store.CalendarsOf(account)[id] = calendar;
            return Results.Json(new { id, summary = calendar.Summary, timeZone = calendar.TimeZone, accessRole = calendar.AccessRole });
        });
        control.MapPatch("/calendars/{calendarId}", async (HttpRequest request, string account, string calendarId, GoogleCalendarStore store) =>
        {
            if (store.Find(account, calendarId) is not { } calendar) return Results.NotFound();
            var body = await ReadObjectAsync(request) ?? new JsonObject();
            if (body["timeZone"]?.GetValue<string>() is { } zone) calendar.TimeZone = zone;
            if (body["summary"]?.GetValue<string>() is { } summary) calendar.Summary = summary;
            return Results.Json(new { id = calendar.Id, summary = calendar.Summary, timeZone = calendar.TimeZone });
        });
        control.MapPost("/calendars/{calendarId}/events", async (HttpRequest request, string account, string calendarId, GoogleCalendarStore store,
            GoogleCalendarChannels channels, TimeProvider time) =>
        {
            if (store.Find(account, calendarId) is not { } calendar) return Results.NotFound();
            var node = await JsonNode.ParseAsync(request.Body);
            var items = node is JsonArray array ? array.OfType<JsonObject>().ToList() : node is JsonObject one ? [one] : [];
            var created = new JsonArray();
            foreach (var item in items)
            {
                var stored = Insert(store, account, calendar, (JsonObject)item.DeepClone(), time.GetUtcNow(), organizerSelf: item["organizer"] is null);
                if (stored is not null) created.Add(new JsonObject { ["id"] = stored.Id, ["iCalUID"] = stored.Resource["iCalUID"]?.DeepClone() });
            }
            channels.Changed(account, calendar.Id);
            return Results.Json(node is JsonArray ? created : created.FirstOrDefault());
        });
        control.MapGet("/calendars/{calendarId}/events", (string account, string calendarId, GoogleCalendarStore store) =>
        {
            if (store.Find(account, calendarId) is not { } calendar) return Results.NotFound();
            lock (calendar.Gate) return Results.Json(new JsonArray(calendar.Events.Values.Select(e => (JsonNode)e.Resource.DeepClone()).ToArray()));
        });
        control.MapPatch("/calendars/{calendarId}/events/{eventId}", async (HttpRequest request, string account, string calendarId, string eventId,
            GoogleCalendarStore store, GoogleCalendarChannels channels, TimeProvider time) =>
        {
            if (store.Find(account, calendarId) is not { } calendar) return Results.NotFound();
            var body = await ReadObjectAsync(request) ?? new JsonObject();
            var updated = Change(store, calendar, eventId, body, replace: false, time.GetUtcNow());
            if (updated is null) return Results.NotFound();
            channels.Changed(account, calendar.Id);
            return Results.Json(updated.Resource);
        });
        control.MapDelete("/calendars/{calendarId}/events/{eventId}", (string account, string calendarId, string eventId, GoogleCalendarStore store,
            GoogleCalendarChannels channels, TimeProvider time) =>
        {
            if (store.Find(account, calendarId) is not { } calendar) return Results.NotFound();
            if (Delete(store, calendar, eventId, time.GetUtcNow()) is null) return Results.NotFound();
            channels.Changed(account, calendar.Id);
            return Results.NoContent();
        });
        control.MapPost("/latency", (string account, double? baseMs, double? perItemMs, CalendarQuota quota) =>
        {
            quota.SetLatency(account, baseMs ?? 0, perItemMs ?? 0);
            return Results.NoContent();
        });
        control.MapPost("/expire-sync-tokens", (string account, GoogleCalendarStore store) =>
        {
            foreach (var calendar in store.CalendarsOf(account).Values) calendar.Epoch++;
            return Results.NoContent();
        });
        control.MapGet("/stats", (string account, CalendarQuota quota, GoogleCalendarChannels channels) =>
        {
            var (served, refused, first, last) = quota.StatsOf(account);
            var push = channels.Stats;
            return Results.Json(new { requests = served, refused, firstAt = first, lastAt = last, requestsPerMinute = RequestsPerMinute,
                pushDelivered = push.Delivered, pushFailed = push.Failed, channelsOpen = push.Open });
        });
    }

    /// <summary>events.list: a window (optionally bounded) or the changes after a sync token, in keyset pages.</summary>
    private static (IResult Result, int Items) List(HttpRequest request, SandboxCalendar calendar, GoogleCalendarStore store, DateTimeOffset now)
    {
        var query = request.Query;
        var max = query["maxResults"].FirstOrDefault() is { } m ? int.TryParse(m, out var n) ? n : -1 : 250;
        if (max is < 1 or > 2500) return (Error(400, "Invalid value for maxResults", "invalid", "INVALID_ARGUMENT"), 0);
        var singleEvents = query["singleEvents"] == "true";
        Page page;
        if (query["pageToken"].FirstOrDefault() is { Length: > 0 } pageToken)
        {
            if (Page.Decode(pageToken) is not { } decoded) return (Error(400, "Invalid page token", "invalid", "INVALID_ARGUMENT"), 0);
            if (decoded.Epoch != calendar.Epoch && decoded.After is not null) return (Gone(), 0);
            page = decoded;
        }
        else if (query["syncToken"].FirstOrDefault() is { Length: > 0 } syncToken)
        {
            if (query.ContainsKey("timeMin") || query.ContainsKey("timeMax") || query.ContainsKey("updatedMin") || query.ContainsKey("q") || query.ContainsKey("orderBy") || query.ContainsKey("iCalUID"))
                return (Error(400, "Sync token cannot be used with timeMin, timeMax, updatedMin, q, orderBy or iCalUID.", "invalid", "INVALID_ARGUMENT"), 0);
            if (Page.DecodeSync(syncToken) is not { } sync) return (Error(400, "Invalid sync token value.", "invalid", "INVALID_ARGUMENT"), 0);
            if (sync.Epoch != calendar.Epoch) return (Gone(), 0);
            page = new Page(calendar.Epoch, store.CurrentSeq, sync.Seq, null, null, null, null);
        }
        else
        {
            DateTimeOffset? min = null, maxTime = null;
            if (query["timeMin"].FirstOrDefault() is { } tmin && !TryTime(tmin, out min)) return (Error(400, "Bad Request", "badRequest", "INVALID_ARGUMENT"), 0);
            if (query["timeMax"].FirstOrDefault() is { } tmax && !TryTime(tmax, out maxTime)) return (Error(400, "Bad Request", "badRequest", "INVALID_ARGUMENT"), 0);
            if (min is not null && maxTime is not null && maxTime <= min) return (Error(400, "The specified time range is empty.", "timeRangeEmpty", "INVALID_ARGUMENT"), 0);
            page = new Page(calendar.Epoch, store.CurrentSeq, null, min?.UtcTicks, maxTime?.UtcTicks, null, null);
        }
        var showDeleted = page.After is not null || query["showDeleted"] == "true";
        List<(JsonObject Item, long Seq)> rows;
        if (singleEvents) rows = GoogleCalendarStore.Expanded(calendar, now);
        else lock (calendar.Gate) rows = calendar.Events.Values.Select(e => (e.Resource, e.Seq)).ToList();
        var selected = rows
            .Where(r => r.Seq <= page.Snapshot && (page.After is null || r.Seq > page.After))
            .Where(r => showDeleted || r.Item["status"]?.GetValue<string>() != "cancelled")
            .Select(r => (r.Item, r.Seq, Start: (GoogleCalendarStore.StartOf(r.Item, calendar.TimeZone) ?? DateTimeOffset.MinValue).UtcTicks, Id: r.Item["id"]!.GetValue<string>()))
            .Where(r => page.TimeMin is null || (GoogleCalendarStore.EndOf(r.Item, calendar.TimeZone)?.UtcTicks ?? long.MaxValue) > page.TimeMin)
            .Where(r => page.TimeMax is null || r.Start < page.TimeMax)
            .Where(r => page.LastStart is null || r.Start > page.LastStart || (r.Start == page.LastStart && string.CompareOrdinal(r.Id, page.LastId) > 0))
            .OrderBy(r => r.Start).ThenBy(r => r.Id, StringComparer.Ordinal)
            .Take(max + 1)
            .ToList();
        var more = selected.Count > max;
        if (more) selected.RemoveAt(selected.Count - 1);
        var body = new JsonObject
        {
            ["kind"] = "calendar#events", ["etag"] = GoogleCalendarStore.ETag(page.Snapshot), ["summary"] = calendar.Summary,
            ["updated"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), ["timeZone"] = calendar.TimeZone,
            ["accessRole"] = calendar.AccessRole, ["defaultReminders"] = new JsonArray(),
            ["items"] = new JsonArray(selected.Select(r => (JsonNode)Shown(r.Item, r.Seq)).ToArray()),
        };
        if (more) body["nextPageToken"] = (page with { LastStart = selected[^1].Start, LastId = selected[^1].Id }).Encode();
        else body["nextSyncToken"] = Page.EncodeSync(calendar.Epoch, page.Snapshot);
        return (Results.Json(body), selected.Count);
    }

    /// <summary>An event as events.get, insert and patch return it: whole, with the etag of its last change.</summary>
    private static JsonObject WithETag(JsonObject item, long seq)
    {
        var shown = (JsonObject)item.DeepClone();
        shown["etag"] = GoogleCalendarStore.ETag(seq);
        return shown;
    }

    /// <summary>An item as listed: its etag from its last change; a deleted one reduced to what Google still says about it.</summary>
    private static JsonObject Shown(JsonObject item, long seq)
    {
        if (item["status"]?.GetValue<string>() == "cancelled")
        {
            var gone = new JsonObject { ["kind"] = "calendar#event", ["etag"] = GoogleCalendarStore.ETag(seq), ["id"] = item["id"]?.DeepClone(), ["status"] = "cancelled" };
            if (item["recurringEventId"] is { } series) gone["recurringEventId"] = series.DeepClone();
            if (item["originalStartTime"] is { } original) gone["originalStartTime"] = original.DeepClone();
            return gone;
        }
        return WithETag(item, seq);
    }

    private static StoredCalendarEvent? Insert(GoogleCalendarStore store, string account, SandboxCalendar calendar, JsonObject body, DateTimeOffset now, bool organizerSelf)
    {
        var id = body["id"]?.GetValue<string>() ?? GoogleCalendarStore.NewId();
        var stamp = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        body["kind"] = "calendar#event";
        body["id"] = id;
        body["status"] ??= "confirmed";
        body["iCalUID"] ??= id + "@google.com";
        body["htmlLink"] = "https://www.google.com/calendar/event?eid=" + Convert.ToBase64String(Encoding.UTF8.GetBytes(id + " " + calendar.Id)).TrimEnd('=');
        body["created"] ??= stamp;
        body["updated"] = stamp;
        body["sequence"] ??= 0;
        body["creator"] ??= new JsonObject { ["email"] = account.ToLowerInvariant(), ["self"] = true };
        if (organizerSelf) body["organizer"] = new JsonObject { ["email"] = calendar.Primary ? account.ToLowerInvariant() : calendar.Id, ["self"] = true };
        if (body["attendees"] is JsonArray attendees)
            foreach (var attendee in attendees.OfType<JsonObject>())
            {
                var email = attendee["email"]?.GetValue<string>();
                if (string.Equals(email, body["organizer"]?["email"]?.GetValue<string>(), StringComparison.OrdinalIgnoreCase)) attendee["organizer"] = true;
                if (string.Equals(email, account, StringComparison.OrdinalIgnoreCase)) attendee["self"] = true;
                attendee["responseStatus"] ??= attendee["organizer"]?.GetValue<bool>() == true ? "accepted" : "needsAction";
            }
        lock (calendar.Gate)
        {
            if (calendar.Events.TryGetValue(id, out var existing) && !existing.Cancelled) return null;
            var stored = new StoredCalendarEvent(body, store.NextSeq());
            calendar.Events[id] = stored;
            return stored;
        }
    }

    private static StoredCalendarEvent? Change(GoogleCalendarStore store, SandboxCalendar calendar, string eventId, JsonObject body, bool replace, DateTimeOffset now)
    {
        lock (calendar.Gate)
        {
            if (!calendar.Events.TryGetValue(eventId, out var stored))
            {
                // An occurrence of a series changed on its own becomes an exception stored under the occurrence's id.
                var split = eventId.LastIndexOf('_');
                if (split <= 0 || !calendar.Events.ContainsKey(eventId[..split])) return null;
                var occurrence = GoogleCalendarStore.Expanded(calendar, now).FirstOrDefault(r => r.Item["id"]?.GetValue<string>() == eventId).Item;
                if (occurrence is null) return null;
                stored = new StoredCalendarEvent((JsonObject)occurrence.DeepClone(), 0);
                calendar.Events[eventId] = stored;
            }
            var before = stored.Resource;
            var next = replace ? body : (JsonObject)before.DeepClone();
            if (!replace) foreach (var (name, value) in body) next[name] = value?.DeepClone();
            foreach (var fixedField in new[] { "id", "iCalUID", "kind", "created", "creator", "organizer", "htmlLink", "recurringEventId", "originalStartTime" })
                if (before[fixedField] is { } kept) next[fixedField] = kept.DeepClone();
            var moved = next["start"]?.ToJsonString() != before["start"]?.ToJsonString() || next["end"]?.ToJsonString() != before["end"]?.ToJsonString();
            next["sequence"] = (before["sequence"]?.GetValue<int>() ?? 0) + (moved ? 1 : 0);
            next["updated"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            next["status"] ??= "confirmed";
            stored.Resource = next;
            stored.Seq = store.NextSeq();
            return stored;
        }
    }

    private static (StoredCalendarEvent Event, bool AlreadyGone)? Delete(GoogleCalendarStore store, SandboxCalendar calendar, string eventId, DateTimeOffset now)
    {
        lock (calendar.Gate)
        {
            if (!calendar.Events.TryGetValue(eventId, out var stored))
            {
                // One occurrence of a series deleted: a cancelled exception in its place.
                var changed = Change(store, calendar, eventId, new JsonObject { ["status"] = "cancelled" }, replace: false, now);
                return changed is null ? null : (changed, false);
            }
            if (stored.Cancelled) return (stored, true);
            stored.Resource["status"] = "cancelled";
            stored.Resource["updated"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            stored.Seq = store.NextSeq();
            return (stored, false);
        }
    }

    /// <summary>An invitation reaches the attendees' own calendars (sandbox accounts that exist) as their copy of the event.</summary>
    private static void Invite(GoogleCalendarStore store, GoogleCalendarChannels channels, string organizer, JsonObject resource, DateTimeOffset now)
    {
        foreach (var email in Attendees(resource).Where(e => !string.Equals(e, organizer, StringComparison.OrdinalIgnoreCase) && store.Exists(e)))
        {
            var calendar = store.Find(email, "primary")!;
            var copy = (JsonObject)resource.DeepClone();
            copy.Remove("id");
            copy["organizer"] = new JsonObject { ["email"] = organizer.ToLowerInvariant() };
            if (Insert(store, email, calendar, copy, now, organizerSelf: false) is not null) channels.Changed(email, calendar.Id);
        }
    }

    /// <summary>A change or cancellation by the organizer reaches every copy of the invitation.</summary>
    private static void Propagate(GoogleCalendarStore store, GoogleCalendarChannels channels, string organizer, JsonObject resource, DateTimeOffset now)
    {
        if (resource["iCalUID"]?.GetValue<string>() is not { } uid || resource["recurringEventId"] is not null) return;
        foreach (var (account, calendar, copy) in store.CopiesOf(uid).Where(c => !string.Equals(c.Account, organizer, StringComparison.OrdinalIgnoreCase)).ToList())
        {
            var body = new JsonObject();
            foreach (var field in new[] { "summary", "description", "location", "start", "end", "status", "attendees", "recurrence", "conferenceData" })
                if (resource[field] is { } value) body[field] = value.DeepClone();
            Change(store, calendar, copy.Id, body, replace: false, now);
            channels.Changed(account, calendar.Id);
        }
        // Attendees added since: their copies.
        Invite(store, channels, organizer, resource, now);
    }

    private static IEnumerable<string> Attendees(JsonObject resource) =>
        (resource["attendees"] as JsonArray ?? []).OfType<JsonObject>().Select(a => a["email"]?.GetValue<string>()).OfType<string>();

    private static IResult? Validate(JsonObject body, string calendarZone)
    {
        if (body["start"] is not JsonObject || body["end"] is not JsonObject) return Error(400, "Missing end time.", "required", "INVALID_ARGUMENT");
        DateTimeOffset? start, end;
        try
        {
            start = GoogleCalendarStore.StartOf(body, calendarZone);
            end = GoogleCalendarStore.EndOf(body, calendarZone);
        }
        catch (FormatException)
        {
            return Error(400, "Invalid start or end time.", "invalid", "INVALID_ARGUMENT");
        }
        if (start is null || end is null) return Error(400, "Missing end time.", "required", "INVALID_ARGUMENT");
        if (end < start) return Error(400, "The specified time range is empty.", "timeRangeEmpty", "INVALID_ARGUMENT");
        return null;
    }

    private static async Task<JsonObject?> ReadObjectAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool TryTime(string value, out DateTimeOffset? at)
    {
        // RFC 3339 with a mandatory offset, as Google requires for timeMin/timeMax.
        var ok = (value.EndsWith('Z') || value.LastIndexOfAny(['+', '-']) > 10) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed);
        at = ok ? DateTimeOffset.Parse(value, CultureInfo.InvariantCulture) : null;
        return ok;
    }

    private static IResult? Authorized(HttpRequest request, SandboxTokens tokens, TimeProvider time, CalendarQuota quota, out string? account)
    {
        account = null;
        if (tokens["google"].Validate(StandardOAuthServer.BearerOf(request), time.GetUtcNow()) is not { } grant)
            return Error(401, "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
                "authError", "UNAUTHENTICATED");
        account = grant.Account;
        if (!quota.TrySpend(grant.Account, time.GetUtcNow(), out var useForbidden))
            return useForbidden
                ? Error(403, "Rate Limit Exceeded", "rateLimitExceeded", "PERMISSION_DENIED")
                : Error(429, "Rate Limit Exceeded", "rateLimitExceeded", "RESOURCE_EXHAUSTED", retryAfter: 1);
        return null;
    }

    private static IResult NotFound() => GmailSandbox.Error(404, "Not Found", "notFound", "NOT_FOUND");

    private static IResult Gone() => GmailSandbox.Error(410, "Sync token is no longer valid, a full sync is required.", "fullSyncRequired", "GONE");

    private static IResult Error(int code, string message, string reason, string status, int? retryAfter = null) => GmailSandbox.Error(code, message, reason, status, retryAfter);

    /// <summary>Where a listing stands: the snapshot it reads, the sync point (changes after it), the window, and the last row returned.</summary>
    private sealed record Page(int Epoch, long Snapshot, long? After, long? TimeMin, long? TimeMax, long? LastStart, string? LastId)
    {
        public string Encode() => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(this)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static Page? Decode(string token)
        {
            try
            {
                return JsonSerializer.Deserialize<Page>(GmailSandbox.FromBase64Url(token));
            }
            catch (Exception e) when (e is FormatException or JsonException)
            {
                return null;
            }
        }

        public static string EncodeSync(int epoch, long seq) => GmailSandbox.ToBase64Url(Encoding.UTF8.GetBytes($"s{epoch}:{seq}"));

        public static (int Epoch, long Seq)? DecodeSync(string token)
        {
            try
            {
                var text = Encoding.UTF8.GetString(GmailSandbox.FromBase64Url(token));
                var parts = text.TrimStart('s').Split(':');
                return text.StartsWith('s') && parts.Length == 2 && int.TryParse(parts[0], out var epoch) && long.TryParse(parts[1], out var seq) ? (epoch, seq) : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }

    [GeneratedRegex("^[a-v0-9]{5,1024}$")]
    private static partial Regex EventId();

    [GeneratedRegex("^[A-Za-z0-9\\-_+/=]+$")]
    private static partial Regex ChannelId();
}

/// <summary>Google Calendar's per-user quota: 600 requests in any minute; every refusal counted.</summary>
public sealed class CalendarQuota
{
    private sealed class Window
    {
        public readonly Queue<DateTimeOffset> Recent = new();
        public long Served, Refused;
        public DateTimeOffset? First, Last;
    }

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, (double BaseMs, double PerItemMs)> _latency = new(StringComparer.OrdinalIgnoreCase);

    public void SetLatency(string account, double baseMs, double perItemMs) => _latency[account] = (Math.Clamp(baseMs, 0, 10_000), Math.Clamp(perItemMs, 0, 1_000));

    public (double BaseMs, double PerItemMs)? LatencyOf(string account) => _latency.TryGetValue(account, out var latency) ? latency : null;

    public bool TrySpend(string account, DateTimeOffset now, out bool useForbidden)
    {
        var window = _windows.GetOrAdd(account, _ => new Window());
        lock (window)
        {
            while (window.Recent.Count > 0 && now - window.Recent.Peek() >= TimeSpan.FromMinutes(1)) window.Recent.Dequeue();
            if (window.Recent.Count >= GoogleCalendarSandbox.RequestsPerMinute)
            {
                window.Refused++;
                // Google answers a spent quota with 403 or 429 (usageLimits); both are seen in the wild.
                useForbidden = window.Refused % 2 == 0;
                return false;
            }
            useForbidden = false;
            window.Recent.Enqueue(now);
            window.Served++;
            window.First ??= now;
            window.Last = now;
            return true;
        }
    }

    public (long Served, long Refused, DateTimeOffset? First, DateTimeOffset? Last) StatsOf(string account) =>
        _windows.TryGetValue(account, out var w) ? (w.Served, w.Refused, w.First, w.Last) : (0, 0, null, null);
}
