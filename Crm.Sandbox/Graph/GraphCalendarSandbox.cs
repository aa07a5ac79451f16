using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Crm.Sandbox.Faults;
using Crm.Sandbox.OAuth;

namespace Crm.Sandbox.Graph;

/// <summary>
/// Microsoft Graph calendars under /microsoft/graph/v1.0/me: <c>calendars</c>; <c>calendars/{id}/calendarView/delta</c>
/// (a window of <c>startDateTime</c>/<c>endDateTime</c> kept in the tokens, occurrences expanded, pages of
/// <c>Prefer: odata.maxpagesize</c> (default 10) with <c>@odata.nextLink</c> then <c>@odata.deltaLink</c>, removed and
/// moved-out events as <c>@removed</c>; a token from before an expiry answers 410 <c>SyncStateNotFound</c>); events
/// get, create (in a calendar or the default one), update, delete and <c>cancel</c>. Times are written in the zone of
/// <c>Prefer: outlook.timezone</c> (UTC by default; Windows and IANA names). Exchange's 4 requests at once per mailbox
/// apply (<see cref="GraphMailSandbox.MailboxLimit"/>). Control under <c>/_sandbox/microsoft/calendar/{account}</c>:
/// <c>POST calendars</c>, <c>POST calendars/{id}/events</c> (one or an array, as another client wrote them),
/// <c>GET calendars/{id}/events</c>, <c>PATCH</c> / <c>DELETE events/{id}</c>, <c>POST expire-delta</c>.
/// </summary>
public static class GraphCalendarSandbox
{
    private const string Base = "/microsoft/graph/v1.0/me";

    public static void MapGraphCalendarSandbox(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup(Base).WithMetadata(new SandboxSurface("microsoft", SandboxSurface.Api));
        me.AddEndpointFilter(GraphMailSandbox.MailboxLimit);

        me.MapGet("/calendars", (HttpRequest request, GraphCalendarStore store, SandboxTokens tokens, TimeProvider time) =>
        {
            if (Authorized(request, tokens, time, out var account) is { } refused) return refused;
            return Results.Json(new JsonObject
            {
                ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#users('me')/calendars",
                ["value"] = new JsonArray(store.CalendarsOf(account!).Values.OrderByDescending(c => c.IsDefault).ThenBy(c => c.Name).Select(c => (JsonNode)new JsonObject
                {
                    ["id"] = c.Id, ["name"] = c.Name, ["color"] = "auto", ["hexColor"] = "", ["isDefaultCalendar"] = c.IsDefault, ["changeKey"] = "c" + c.Epoch,
                    ["canShare"] = c.CanEdit, ["canViewPrivateItems"] = true, ["canEdit"] = c.CanEdit, ["isRemovable"] = !c.IsDefault,
                    ["owner"] = new JsonObject { ["name"] = account, ["address"] = account },
                }).ToArray()),
            });
        });

        foreach (var delta in new[] { "/calendars/{calendarId}/calendarView/delta", "/calendars/{calendarId}/calendarView/delta()" })
            me.MapGet(delta, (HttpContext http, string calendarId, GraphCalendarStore store, SandboxTokens tokens, TimeProvider time) =>
            {
                if (Authorized(http.Request, tokens, time, out var account) is { } refused) return refused;
                if (store.Find(account!, calendarId) is not { } calendar) return GraphMailSandbox.Error(404, "ErrorItemNotFound", "The specified object was not found in the store.", time);
                return Delta(http, calendar, store, time);
            });

        me.MapPost("/calendars/{calendarId}/events", async (HttpRequest request, string calendarId, GraphCalendarStore store, SandboxTokens tokens, TimeProvider time,
            GraphSubscriptions subscriptions) => await CreateAsync(request, calendarId, store, tokens, time, subscriptions));
        me.MapPost("/events", async (HttpRequest request, GraphCalendarStore store, SandboxTokens tokens, TimeProvider time, GraphSubscriptions subscriptions) =>
            await CreateAsync(request, null, store, tokens, time, subscriptions));

        me.MapGet("/events/{eventId}", (HttpRequest request, string eventId, GraphCalendarStore store, SandboxTokens tokens, TimeProvider time) =>
        {
            if (Authorized(request, tokens, time, out var account) is { } refused) return refused;
            var row = Find(store, account!, eventId, time.GetUtcNow());
            return row is { Gone: false } found ? Results.Json(Shown(found.Item, found.Seq, Zone(request))) : NotFound(time);
        });

        me.MapPatch("/events/{eventId}", async (HttpRequest request, string eventId, GraphCalendarStore store, SandboxTokens tokens, TimeProvider time,
            GraphSubscriptions subscriptions) =>
        {
            if (Authorized(request, tokens, time, out var account) is { } refused) return refused;
            if (await JsonNode.ParseAsync(request.Body) is not JsonObject body) return GraphMailSandbox.Error(400, "BadRequest", "Empty Payload. JSON content expected.", time);
            var updated = Change(store, account!, eventId, body, time.GetUtcNow());
            if (updated is null) return NotFound(time);
            Notify(store, subscriptions, account!, eventId, "updated");
            return Results.Json(Shown(updated.Resource, updated.Seq, Zone(request)));
        });

        me.MapDelete("/events/{eventId}", (HttpRequest request, string eventId, GraphCalendarStore store, SandboxTokens tokens, TimeProvider time,
            GraphSubscriptions subscriptions) =>
        {
            if (Authorized(request, tokens, time, out var account) is { } refused) return refused;
            if (!Delete(store, account!, eventId, time.GetUtcNow())) return NotFound(time);
            Notify(store, subscriptions, account!, eventId, "deleted");
            return Results.NoContent();
        });

        // Only the organizer cancels: the attendees get the cancellation and the event leaves the organizer's calendar.
        me.MapPost("/events/{eventId}/cancel", (HttpRequest request, string eventId, GraphCalendarStore store, SandboxTokens tokens, TimeProvider time,
            GraphSubscriptions subscriptions) =>
        {
            if (Authorized(request, tokens, time, out var account) is { } refused) return refused;
            if (Find(store, account!, eventId, time.GetUtcNow()) is not { Gone: false } row) return NotFound(time);
            if (row.Item["isOrganizer"]?.GetValue<bool>() == false)
                return GraphMailSandbox.Error(400, "ErrorAccessDenied", "Your request can't be completed. You need to be an organizer to cancel a meeting.", time);
            Delete(store, account!, eventId, time.GetUtcNow());
            Notify(store, subscriptions, account!, eventId, "deleted");
            return Results.Accepted();
        });

        MapControl(app);
    }

    private static void MapControl(IEndpointRouteBuilder app)
    {
        var control = app.MapGroup("/_sandbox/microsoft/calendar/{account}");
        control.MapPost("/calendars", async (HttpRequest request, string account, GraphCalendarStore store) =>
        {
            var body = await JsonNode.ParseAsync(request.Body) as JsonObject ?? new JsonObject();
            var id = body["id"]?.GetValue<string>() ?? GraphCalendarStore.NewId();
            store.CalendarsOf(account)[id] = new GraphCalendar(id, body["name"]?.GetValue<string>() ?? "Calendar", false, body["canEdit"]?.GetValue<bool>() ?? true);
            return Results.Json(new { id });
        });
        control.MapGet("/calendars/{calendarId}/events", (string account, string calendarId, GraphCalendarStore store) =>
        {
            if (store.Find(account, calendarId == "default" ? null : calendarId) is not { } calendar) return Results.NotFound();
            lock (calendar.Gate) return Results.Json(new JsonArray(calendar.Events.Values.Where(e => !e.Deleted).Select(e => (JsonNode)e.Resource.DeepClone()).ToArray()));
        });
        control.MapPost("/calendars/{calendarId}/events", async (HttpRequest request, string account, string calendarId, GraphCalendarStore store, TimeProvider time,
            GraphSubscriptions subscriptions) =>
        {
            if (store.Find(account, calendarId == "default" ? null : calendarId) is not { } calendar) return Results.NotFound();
            var node = await JsonNode.ParseAsync(request.Body);
            var items = node is JsonArray array ? array.OfType<JsonObject>().ToList() : node is JsonObject one ? [one] : [];
            var created = items.Select(i => (JsonNode)new JsonObject { ["id"] = Insert(store, account, calendar, (JsonObject)i.DeepClone(), time.GetUtcNow()).Id }).ToArray();
            foreach (var id in created.Select(c => c!["id"]!.GetValue<string>()).Take(100)) subscriptions.EventChanged(account, calendar.Id, id, "created");
            return Results.Json(node is JsonArray ? new JsonArray(created) : created.FirstOrDefault());
        });
        control.MapPatch("/events/{eventId}", async (HttpRequest request, string account, string eventId, GraphCalendarStore store, TimeProvider time,
            GraphSubscriptions subscriptions) =>
        {
            var body = await JsonNode.ParseAsync(request.Body) as JsonObject ?? new JsonObject();
            if (Change(store, account, eventId, body, time.GetUtcNow()) is not { } updated) return Results.NotFound();
            Notify(store, subscriptions, account, eventId, "updated");
            return Results.Json(updated.Resource);
        });
        control.MapDelete("/events/{eventId}", (string account, string eventId, GraphCalendarStore store, TimeProvider time, GraphSubscriptions subscriptions) =>
        {
            if (!Delete(store, account, eventId, time.GetUtcNow())) return Results.NotFound();
            Notify(store, subscriptions, account, eventId, "deleted");
            return Results.NoContent();
        });
        control.MapPost("/expire-delta", (string account, GraphCalendarStore store) =>
        {
            foreach (var calendar in store.CalendarsOf(account).Values) calendar.Epoch++;
            return Results.NoContent();
        });
    }

    /// <summary>The change notifications of the event's calendar.</summary>
    private static void Notify(GraphCalendarStore store, GraphSubscriptions subscriptions, string account, string eventId, string changeType)
    {
        if (store.FindEvent(account, eventId) is var (calendar, _)) subscriptions.EventChanged(account, calendar.Id, eventId, changeType);
    }

    private static IResult Delta(HttpContext http, GraphCalendar calendar, GraphCalendarStore store, TimeProvider time)
    {
        var request = http.Request;
        var now = time.GetUtcNow();
        DeltaState state;
        if (request.Query["$skiptoken"].FirstOrDefault() is { Length: > 0 } skip)
        {
            if (DeltaState.Parse(skip) is not { } parsed || parsed.Calendar != calendar.Id) return GraphMailSandbox.Error(400, "BadRequest", "The skip token is not valid.", time);
            state = parsed;
        }
        else if (request.Query["$deltatoken"].FirstOrDefault() is { Length: > 0 } token)
        {
            if (DeltaState.Parse(token) is not { } parsed || parsed.Calendar != calendar.Id) return GraphMailSandbox.Error(400, "BadRequest", "The delta token is not valid.", time);
            if (parsed.Epoch != calendar.Epoch) return GraphMailSandbox.Error(410, "SyncStateNotFound", "The sync state generation is not found. Full sync is required.", time);
            state = parsed with { After = parsed.Snapshot, Snapshot = store.CurrentSeq, LastStart = null, LastId = null };
        }
        else
        {
            if (!TryInstant(request.Query["startDateTime"].FirstOrDefault() ?? request.Query["startdatetime"].FirstOrDefault(), out var from)
                || !TryInstant(request.Query["endDateTime"].FirstOrDefault() ?? request.Query["enddatetime"].FirstOrDefault(), out var to))
                return GraphMailSandbox.Error(400, "ErrorInvalidParameter", "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.", time);
            if (to <= from) return GraphMailSandbox.Error(400, "ErrorInvalidParameter", "The EndDateTime must be after the StartDateTime.", time);
            state = new DeltaState(calendar.Id, calendar.Epoch, from.UtcTicks, to.UtcTicks, store.CurrentSeq, null, null, null);
        }
        var (windowFrom, windowTo) = (new DateTimeOffset(state.From, TimeSpan.Zero), new DateTimeOffset(state.To, TimeSpan.Zero));
        var size = MaxPageSize(request) ?? 10;
        var zone = Zone(request);
        var rows = GraphCalendarStore.Rows(calendar, windowFrom, windowTo)
            .Where(r => r.Seq <= state.Snapshot && (state.After is null || r.Seq > state.After))
            .Select(r =>
            {
                var start = GraphCalendarStore.InstantOf(r.Item["start"]) ?? DateTimeOffset.MinValue;
                var end = GraphCalendarStore.InstantOf(r.Item["end"]) ?? start;
                return (r.Item, r.Seq, r.Gone, Start: start.UtcTicks, InWindow: end > windowFrom && start < windowTo, Id: r.Item["id"]!.GetValue<string>());
            })
            // A first round shows what is in the window; later rounds also what left it (removed).
            .Where(r => state.After is not null || (r.InWindow && !r.Gone))
            .Where(r => state.LastId is null || r.Start > state.LastStart || (r.Start == state.LastStart && string.CompareOrdinal(r.Id, state.LastId) > 0))
            .OrderBy(r => r.Start).ThenBy(r => r.Id, StringComparer.Ordinal)
            .Take(size + 1).ToList();
        var more = rows.Count > size;
        if (more) rows.RemoveAt(rows.Count - 1);
        http.Items[GraphMailSandbox.ItemsReturned] = rows.Count;
        var link = $"{request.Scheme}://{request.Host}{Base}/calendars/{Uri.EscapeDataString(calendar.Id)}/calendarView/delta()";
        var body = new JsonObject
        {
            ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#Collection(event)",
            ["value"] = new JsonArray(rows.Select(r => (JsonNode)(r.Gone || !r.InWindow
                ? new JsonObject { ["@odata.type"] = "#microsoft.graph.event", ["id"] = r.Id, ["@removed"] = new JsonObject { ["reason"] = "deleted" } }
                : Shown(r.Item, r.Seq, zone))).ToArray()),
        };
        if (more) body["@odata.nextLink"] = link + "?$skiptoken=" + (state with { LastStart = rows[^1].Start, LastId = rows[^1].Id }).Encode();
        else body["@odata.deltaLink"] = link + "?$deltatoken=" + (state with { LastStart = null, LastId = null, After = null }).Encode();
        return Results.Json(body);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, string? calendarId, GraphCalendarStore store, SandboxTokens tokens, TimeProvider time,
        GraphSubscriptions subscriptions)
    {
        if (Authorized(request, tokens, time, out var account) is { } refused) return refused;
        if (store.Find(account!, calendarId) is not { } calendar) return NotFound(time);
        if (!calendar.CanEdit) return GraphMailSandbox.Error(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.", time);
        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }
        if (body is null) return GraphMailSandbox.Error(400, "BadRequest", "Empty Payload. JSON content expected.", time);
        var start = GraphCalendarStore.InstantOf(body["start"]);
        var end = GraphCalendarStore.InstantOf(body["end"]);
        if (start is null || end is null) return GraphMailSandbox.Error(400, "ErrorInvalidRequest", "Your request can't be completed. The start and end of the event are required.", time);
        if (end < start) return GraphMailSandbox.Error(400, "ErrorInvalidRequest", "Your request can't be completed. The start time must be before the end time.", time);
        body["organizer"] = new JsonObject { ["emailAddress"] = new JsonObject { ["name"] = account, ["address"] = account } };
        body["isOrganizer"] = true;
        var stored = Insert(store, account!, calendar, body, time.GetUtcNow());
        subscriptions.EventChanged(account!, calendar.Id, stored.Id, "created");
        return Results.Json(Shown(stored.Resource, stored.Seq, Zone(request)), statusCode: 201);
    }

    private static GraphStoredEvent Insert(GraphCalendarStore store, string account, GraphCalendar calendar, JsonObject body, DateTimeOffset now)
    {
        var id = body["id"]?.GetValue<string>() ?? GraphCalendarStore.NewId();
        var stamp = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        body["id"] = id;
        body["iCalUId"] ??= "040000008200E00074C5B7101A82E00800000000" + GraphCalendarStore.Hash(id, 48);
        body["createdDateTime"] = stamp;
        body["lastModifiedDateTime"] = stamp;
        body["type"] = body["recurrence"] is JsonObject ? "seriesMaster" : "singleInstance";
        body["isCancelled"] ??= false;
        body["isAllDay"] ??= false;
        body["sensitivity"] ??= "normal";
        body["organizer"] ??= new JsonObject { ["emailAddress"] = new JsonObject { ["name"] = account, ["address"] = account } };
        body["isOrganizer"] ??= string.Equals(body["organizer"]?["emailAddress"]?["address"]?.GetValue<string>(), account, StringComparison.OrdinalIgnoreCase);
        body["originalStartTimeZone"] ??= body["start"]?["timeZone"]?.DeepClone();
        body["originalEndTimeZone"] ??= body["end"]?["timeZone"]?.DeepClone();
        foreach (var attendee in (body["attendees"] as JsonArray ?? []).OfType<JsonObject>())
        {
            attendee["type"] ??= "required";
            attendee["status"] ??= new JsonObject { ["response"] = "none", ["time"] = "0001-01-01T00:00:00Z" };
        }
        var stored = new GraphStoredEvent(body, store.NextSeq());
        lock (calendar.Gate) calendar.Events[id] = stored;
        return stored;
    }

    private static GraphStoredEvent? Change(GraphCalendarStore store, string account, string eventId, JsonObject body, DateTimeOffset now)
    {
        if (store.FindEvent(account, eventId) is not var (calendar, stored)) return null;
        lock (calendar.Gate)
        {
            if (stored is null)
            {
                // One occurrence changed on its own: an exception in its place.
                var occurrence = GraphCalendarStore.Rows(calendar, now.AddYears(-2), now.AddYears(2)).FirstOrDefault(r => r.Item["id"]?.GetValue<string>() == eventId).Item;
                if (occurrence is null) return null;
                occurrence = (JsonObject)occurrence.DeepClone();
                occurrence["type"] = "exception";
                stored = new GraphStoredEvent(occurrence, 0);
                calendar.Events[eventId] = stored;
            }
            if (stored.Deleted) return null;
            stored.Before = GraphCalendarStore.OccurrenceIds(stored.Resource, now);
            foreach (var (name, value) in body)
                if (name is not ("id" or "iCalUId" or "organizer" or "seriesMasterId" or "type" or "originalStart" or "createdDateTime")) stored.Resource[name] = value?.DeepClone();
            stored.Resource["lastModifiedDateTime"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
            stored.Seq = store.NextSeq();
            return stored;
        }
    }

    private static bool Delete(GraphCalendarStore store, string account, string eventId, DateTimeOffset now)
    {
        var changed = Change(store, account, eventId, new JsonObject(), now);
        if (changed is null) return false;
        changed.Deleted = true;
        changed.Seq = store.NextSeq();
        return true;
    }

    private static (JsonObject Item, long Seq, bool Gone)? Find(GraphCalendarStore store, string account, string eventId, DateTimeOffset now)
    {
        if (store.FindEvent(account, eventId) is not var (calendar, stored)) return null;
        if (stored is not null) return (stored.Resource, stored.Seq, stored.Deleted);
        var row = GraphCalendarStore.Rows(calendar, now.AddYears(-2), now.AddYears(2)).FirstOrDefault(r => r.Item["id"]?.GetValue<string>() == eventId);
        return row.Item is null ? null : row;
    }

    /// <summary>An event as Graph returns it: its etag and change key from its last change, times in the preferred zone.</summary>
    private static JsonObject Shown(JsonObject item, long seq, string zone)
    {
        var shown = (JsonObject)item.DeepClone();
        shown["@odata.etag"] = $"W/\"{GraphCalendarStore.Hash("etag" + seq, 22)}==\"";
        shown["changeKey"] = GraphCalendarStore.Hash("etag" + seq, 22) + "==";
        if (GraphCalendarStore.InstantOf(item["start"]) is { } start && GraphCalendarStore.InstantOf(item["end"]) is { } end && item["isAllDay"]?.GetValue<bool>() != true)
        {
            shown["start"] = GraphCalendarStore.TimeIn(start, zone);
            shown["end"] = GraphCalendarStore.TimeIn(end, zone);
        }
        return shown;
    }

    /// <summary>The zone of <c>Prefer: outlook.timezone="…"</c>; UTC without one.</summary>
    private static string Zone(HttpRequest request)
    {
        foreach (var part in request.Headers["Prefer"].SelectMany(v => (v ?? "").Split(',')))
        {
            var p = part.Trim();
            if (p.StartsWith("outlook.timezone=", StringComparison.OrdinalIgnoreCase)) return p["outlook.timezone=".Length..].Trim('"');
        }
        return "UTC";
    }

    private static int? MaxPageSize(HttpRequest request)
    {
        foreach (var part in request.Headers["Prefer"].SelectMany(v => (v ?? "").Split(',')))
        {
            var p = part.Trim();
            if (p.StartsWith("odata.maxpagesize=", StringComparison.OrdinalIgnoreCase) && int.TryParse(p["odata.maxpagesize=".Length..], out var n)) return Math.Clamp(n, 1, 1000);
        }
        return null;
    }

    private static bool TryInstant(string? value, out DateTimeOffset at) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at);

    private static IResult? Authorized(HttpRequest request, SandboxTokens tokens, TimeProvider time, out string? account)
    {
        account = null;
        if (tokens["microsoft"].Validate(StandardOAuthServer.BearerOf(request), time.GetUtcNow()) is not { } grant)
            return GraphMailSandbox.Error(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.", time);
        account = grant.Account;
        return null;
    }

    private static IResult NotFound(TimeProvider time) => GraphMailSandbox.Error(404, "ErrorItemNotFound", "The specified object was not found in the store.", time);

    /// <summary>Where a delta round stands; base64url JSON in <c>$skiptoken</c> and <c>$deltatoken</c>.</summary>
    private sealed record DeltaState(string Calendar, int Epoch, long From, long To, long Snapshot, long? After, long? LastStart, string? LastId)
    {
        public string Encode() => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(this)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static DeltaState? Parse(string token)
        {
            try
            {
                var s = token.Replace('-', '+').Replace('_', '/');
                return JsonSerializer.Deserialize<DeltaState>(Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '=')));
            }
            catch (Exception e) when (e is FormatException or JsonException)
            {
                return null;
            }
        }
    }
}
