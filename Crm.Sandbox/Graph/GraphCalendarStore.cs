using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Crm.Sandbox.Graph;

/// <summary>One stored Graph event (single, series master, or a changed or deleted occurrence) and when it last changed.</summary>
public sealed class GraphStoredEvent(JsonObject resource, long seq)
{
    public JsonObject Resource { get; set; } = resource;
    public long Seq { get; set; } = seq;
    public bool Deleted { get; set; }
    /// <summary>The occurrence ids a series had before its last change (so the ones it lost are reported removed).</summary>
    public HashSet<string> Before { get; set; } = [];
    public string Id => Resource["id"]!.GetValue<string>();
    public string? SeriesMasterId => Resource["seriesMasterId"]?.GetValue<string>();
}

public sealed class GraphCalendar(string id, string name, bool isDefault, bool canEdit)
{
    public string Id { get; } = id;
    public string Name { get; } = name;
    public bool IsDefault { get; } = isDefault;
    public bool CanEdit { get; } = canEdit;
    public int Epoch { get; set; } = 1;
    public Dictionary<string, GraphStoredEvent> Events { get; } = new(StringComparer.Ordinal);
    public object Gate { get; } = new();
}

/// <summary>
/// The sandbox's Outlook calendars: per account a default "Calendar" and any added, events kept as Graph's resources
/// (times as written, in the zone they name — IANA or Windows) with a change sequence for delta, deleted ones as
/// tombstones; series (<c>recurrence</c> daily, weekly, absoluteMonthly; numbered, endDate or noEnd) expanded into
/// occurrences with changed and deleted occurrences in their place.
/// </summary>
public sealed class GraphCalendarStore
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, GraphCalendar>> _accounts = new(StringComparer.OrdinalIgnoreCase);
    private long _seq;

    public long NextSeq() => Interlocked.Increment(ref _seq);
    public long CurrentSeq => Interlocked.Read(ref _seq);

    public ConcurrentDictionary<string, GraphCalendar> CalendarsOf(string account) =>
        _accounts.GetOrAdd(account, a =>
        {
            var id = "AAMkAD" + Hash("calendar:" + a.ToLowerInvariant(), 24) + "AAA=";
            return new ConcurrentDictionary<string, GraphCalendar>(StringComparer.Ordinal) { [id] = new GraphCalendar(id, "Calendar", true, true) };
        });

    public GraphCalendar? Find(string account, string? calendarId) =>
        calendarId is null ? CalendarsOf(account).Values.First(c => c.IsDefault) : CalendarsOf(account).GetValueOrDefault(calendarId);

    /// <summary>The calendar holding an event or occurrence id, and the stored event (its master for an unchanged occurrence).</summary>
    public (GraphCalendar Calendar, GraphStoredEvent? Stored)? FindEvent(string account, string eventId)
    {
        foreach (var calendar in CalendarsOf(account).Values)
            lock (calendar.Gate)
            {
                if (calendar.Events.TryGetValue(eventId, out var stored)) return (calendar, stored);
                var split = eventId.LastIndexOf("_occ_", StringComparison.Ordinal);
                if (split > 0 && calendar.Events.ContainsKey(eventId[..split])) return (calendar, null);
            }
        return null;
    }

    public static string NewId() => "AAMkAD" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('/', '-').Replace('+', '_');

    public static string Hash(string text, int length) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..length];

    public static TimeZoneInfo ZoneOf(string? name) =>
        name is not null && TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) ? zone
        : name is not null && TimeZoneInfo.TryConvertWindowsIdToIanaId(name, out var iana) && TimeZoneInfo.TryFindSystemTimeZoneById(iana, out zone) ? zone
        : TimeZoneInfo.Utc;

    /// <summary>A dateTimeTimeZone as an instant (wall clock in its zone).</summary>
    public static DateTimeOffset? InstantOf(JsonNode? time)
    {
        if (time?["dateTime"]?.GetValue<string>() is not { } text) return null;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall)) return null;
        var zone = ZoneOf(time["timeZone"]?.GetValue<string>());
        var local = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.IsInvalidTime(local) ? zone.BaseUtcOffset : zone.GetUtcOffset(local));
    }

    /// <summary>An instant as Graph writes it in the zone the caller prefers.</summary>
    public static JsonObject TimeIn(DateTimeOffset at, string zoneName) =>
        new() { ["dateTime"] = TimeZoneInfo.ConvertTime(at, ZoneOf(zoneName)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture), ["timeZone"] = zoneName };

    /// <summary>Every row the calendar shows as instances (single events and occurrences), each with its last change.</summary>
    public static List<(JsonObject Item, long Seq, bool Gone)> Rows(GraphCalendar calendar, DateTimeOffset horizonFrom, DateTimeOffset horizonTo)
    {
        List<GraphStoredEvent> events;
        lock (calendar.Gate) events = calendar.Events.Values.ToList();
        var exceptions = events.Where(e => e.SeriesMasterId is not null).GroupBy(e => e.SeriesMasterId!).ToDictionary(g => g.Key, g => g.ToDictionary(e => e.Id));
        var rows = new List<(JsonObject, long, bool)>();
        foreach (var stored in events.Where(e => e.SeriesMasterId is null))
        {
            if (stored.Resource["recurrence"] is not JsonObject)
            {
                rows.Add((stored.Resource, stored.Seq, stored.Deleted));
                continue;
            }
            var changed = exceptions.GetValueOrDefault(stored.Id) ?? [];
            var current = new HashSet<string>(StringComparer.Ordinal);
            foreach (var occurrence in Occurrences(stored.Resource, horizonFrom, horizonTo))
            {
                var id = occurrence["id"]!.GetValue<string>();
                current.Add(id);
                if (changed.TryGetValue(id, out var exception)) rows.Add((exception.Resource, Math.Max(stored.Seq, exception.Seq), stored.Deleted || exception.Deleted));
                else rows.Add((occurrence, stored.Seq, stored.Deleted));
            }
            // Occurrences the series had before its last change and has no more: gone.
            foreach (var lost in stored.Before.Where(id => !current.Contains(id)))
                rows.Add((new JsonObject { ["id"] = lost, ["seriesMasterId"] = stored.Id }, stored.Seq, true));
        }
        return rows;
    }

    /// <summary>The occurrence ids of a series (over two years either side), for <see cref="GraphStoredEvent.Before"/>.</summary>
    public static HashSet<string> OccurrenceIds(JsonObject master, DateTimeOffset now) =>
        master["recurrence"] is JsonObject ? Occurrences(master, now.AddYears(-2), now.AddYears(2)).Select(o => o["id"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) : [];

    private static IEnumerable<JsonObject> Occurrences(JsonObject master, DateTimeOffset from, DateTimeOffset to)
    {
        var start = InstantOf(master["start"]);
        var end = InstantOf(master["end"]);
        if (start is null || end is null || master["recurrence"] is not JsonObject recurrence) yield break;
        var zoneName = master["start"]!["timeZone"]?.GetValue<string>() ?? "UTC";
        var zone = ZoneOf(zoneName);
        var ianaZone = zone.HasIanaId ? zone.Id : TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana) ? iana : "UTC";
        var pattern = recurrence["pattern"] as JsonObject ?? new JsonObject();
        var range = recurrence["range"] as JsonObject ?? new JsonObject();
        var rule = new StringBuilder("RRULE:FREQ=");
        rule.Append((pattern["type"]?.GetValue<string>() ?? "daily") switch { "weekly" => "WEEKLY", "absoluteMonthly" => "MONTHLY", "absoluteYearly" => "YEARLY", _ => "DAILY" });
        rule.Append(";INTERVAL=").Append(pattern["interval"]?.GetValue<int>() ?? 1);
        if (pattern["daysOfWeek"] is JsonArray days && days.Count > 0)
            rule.Append(";BYDAY=").Append(string.Join(",", days.Select(d => d!.GetValue<string>()[..2].ToUpperInvariant())));
        if (pattern["dayOfMonth"] is JsonValue dom) rule.Append(";BYMONTHDAY=").Append(dom.GetValue<int>());
        if (range["type"]?.GetValue<string>() == "numbered") rule.Append(";COUNT=").Append(range["numberOfOccurrences"]?.GetValue<int>() ?? 1);
        else if (range["type"]?.GetValue<string>() == "endDate" && range["endDate"]?.GetValue<string>() is { } endDate)
            rule.Append(";UNTIL=").Append(endDate.Replace("-", "")).Append("T235959Z");
        var local = TimeZoneInfo.ConvertTime(start.Value, zone);
        var ics = $"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//sandbox//EN\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART;TZID={ianaZone}:{local:yyyyMMdd'T'HHmmss}\r\n{rule}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        var length = end.Value - start.Value;
        var count = 0;
        foreach (var occurrence in Ical.Net.Calendar.Load(ics)!.GetOccurrences())
        {
            var at = new DateTimeOffset(occurrence.Period.StartTime.AsUtc, TimeSpan.Zero);
            if (at > to || ++count > 1000) yield break;
            if (at + length <= from) continue;
            var stamp = at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            var instance = (JsonObject)master.DeepClone();
            instance.Remove("recurrence");
            var masterId = master["id"]!.GetValue<string>();
            instance["id"] = $"{masterId}_occ_{stamp}";
            instance["type"] = "occurrence";
            instance["seriesMasterId"] = masterId;
            instance["originalStart"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            // Graph gives each occurrence its own iCalUId.
            instance["iCalUId"] = "040000008200E00074C5B7101A82E008" + Hash(master["iCalUId"]?.GetValue<string>() + stamp, 40);
            var wall = TimeZoneInfo.ConvertTime(at, zone);
            instance["start"] = new JsonObject { ["dateTime"] = wall.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture), ["timeZone"] = zoneName };
            instance["end"] = new JsonObject { ["dateTime"] = TimeZoneInfo.ConvertTime(at + length, zone).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture), ["timeZone"] = zoneName };
            yield return instance;
        }
    }
}
