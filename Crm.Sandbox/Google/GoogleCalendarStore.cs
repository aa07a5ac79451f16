using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ical.Net.DataTypes;

namespace Crm.Sandbox.Google;

/// <summary>One stored event resource (a single event, a series, or one changed occurrence of a series) and when it last changed.</summary>
public sealed class StoredCalendarEvent(JsonObject resource, long seq)
{
    public JsonObject Resource { get; set; } = resource;
    public long Seq { get; set; } = seq;
    public string Id => Resource["id"]!.GetValue<string>();
    public string? RecurringEventId => Resource["recurringEventId"]?.GetValue<string>();
    public bool Cancelled => Resource["status"]?.GetValue<string>() == "cancelled";
}

/// <summary>One calendar of a sandbox account: its events and the epoch its sync tokens belong to.</summary>
public sealed class SandboxCalendar(string id, string summary, string timeZone, string accessRole, bool primary)
{
    public string Id { get; } = id;
    public string Summary { get; set; } = summary;
    public string TimeZone { get; set; } = timeZone;
    public string AccessRole { get; set; } = accessRole;
    public bool Primary { get; } = primary;
    /// <summary>Bumped to make every sync token issued so far answer 410.</summary>
    public int Epoch { get; set; } = 1;
    public Dictionary<string, StoredCalendarEvent> Events { get; } = new(StringComparer.Ordinal);
    public object Gate { get; } = new();
}

/// <summary>
/// The sandbox's Google calendars: per account a primary calendar (id = the address) and any added; events kept as
/// Google's resources with a change sequence, so a sync token is "changes after sequence N" and a deleted event stays
/// as a cancelled tombstone. Series are expanded into occurrences the way <c>singleEvents=true</c> returns them
/// (Ical.Net evaluates RRULE, EXDATE and RDATE in the event's zone), with changed occurrences in their place.
/// </summary>
public sealed class GoogleCalendarStore
{
    /// <summary>How far ahead an endless series is expanded.</summary>
    public static readonly TimeSpan ExpansionHorizon = TimeSpan.FromDays(730);
    public const int MaxOccurrences = 1000;

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, SandboxCalendar>> _accounts = new(StringComparer.OrdinalIgnoreCase);
    private long _seq;

    public long NextSeq() => Interlocked.Increment(ref _seq);
    public long CurrentSeq => Interlocked.Read(ref _seq);

    public bool Exists(string account) => _accounts.ContainsKey(account);

    public ConcurrentDictionary<string, SandboxCalendar> CalendarsOf(string account) =>
        _accounts.GetOrAdd(account, a => new ConcurrentDictionary<string, SandboxCalendar>(StringComparer.Ordinal)
        {
            [a.ToLowerInvariant()] = new SandboxCalendar(a.ToLowerInvariant(), a.ToLowerInvariant(), "UTC", "owner", primary: true),
        });

    /// <summary>A calendar by id ("primary" is the account's own).</summary>
    public SandboxCalendar? Find(string account, string calendarId)
    {
        var calendars = CalendarsOf(account);
        if (calendarId == "primary") return calendars.Values.First(c => c.Primary);
        return calendars.TryGetValue(calendarId, out var calendar) ? calendar : null;
    }

    /// <summary>Every calendar (of every account) holding an event with this iCalUID: where an invitation's copies live.</summary>
    public IEnumerable<(string Account, SandboxCalendar Calendar, StoredCalendarEvent Event)> CopiesOf(string iCalUid)
    {
        foreach (var (account, calendars) in _accounts)
            foreach (var calendar in calendars.Values)
                lock (calendar.Gate)
                    foreach (var stored in calendar.Events.Values.Where(e => e.RecurringEventId is null && e.Resource["iCalUID"]?.GetValue<string>() == iCalUid).ToList())
                        yield return (account, calendar, stored);
    }

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(13));

    public static string ETag(long seq) => "\"" + (3_000_000_000_000_000L + seq).ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>
    /// The calendar's rows as <c>singleEvents=true</c> lists them: single events, and each series' occurrences (a
    /// changed or cancelled occurrence in its place), each with the sequence of its last change.
    /// </summary>
    public static List<(JsonObject Item, long Seq)> Expanded(SandboxCalendar calendar, DateTimeOffset now)
    {
        List<StoredCalendarEvent> events;
        lock (calendar.Gate) events = calendar.Events.Values.ToList();
        var exceptions = events.Where(e => e.RecurringEventId is not null).GroupBy(e => e.RecurringEventId!)
            .ToDictionary(g => g.Key, g => g.ToDictionary(e => OriginalKey(e.Resource["originalStartTime"] as JsonObject), e => e));
        var rows = new List<(JsonObject, long)>();
        foreach (var stored in events.Where(e => e.RecurringEventId is null))
        {
            if (stored.Resource["recurrence"] is not JsonArray rules || rules.Count == 0)
            {
                rows.Add((stored.Resource, stored.Seq));
                continue;
            }
            var changed = exceptions.GetValueOrDefault(stored.Id) ?? [];
            foreach (var (instance, key) in Occurrences(stored.Resource, calendar.TimeZone, now))
            {
                if (changed.TryGetValue(key, out var exception))
                {
                    var item = (JsonObject)exception.Resource.DeepClone();
                    if (stored.Cancelled) item["status"] = "cancelled";
                    rows.Add((item, Math.Max(stored.Seq, exception.Seq)));
                }
                else rows.Add((instance, stored.Seq));
            }
        }
        return rows;
    }

    /// <summary>A series' occurrences as Google names them: id "{series}_{start}", recurringEventId, originalStartTime.</summary>
    private static IEnumerable<(JsonObject Instance, string Key)> Occurrences(JsonObject master, string calendarZone, DateTimeOffset now)
    {
        var start = master["start"] as JsonObject ?? new JsonObject();
        var end = master["end"] as JsonObject ?? new JsonObject();
        var allDay = start["date"] is not null;
        var zone = start["timeZone"]?.GetValue<string>() ?? calendarZone;
        var lines = new StringBuilder("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//sandbox//EN\r\nBEGIN:VEVENT\r\nUID:x\r\n");
        var (dtStart, duration) = allDay
            ? ($"DTSTART;VALUE=DATE:{start["date"]!.GetValue<string>().Replace("-", "")}",
                DateOnly.Parse(end["date"]?.GetValue<string>() ?? start["date"]!.GetValue<string>(), CultureInfo.InvariantCulture).DayNumber
                - DateOnly.Parse(start["date"]!.GetValue<string>(), CultureInfo.InvariantCulture).DayNumber)
            : ($"DTSTART;TZID={zone}:{Wall(start, zone):yyyyMMdd'T'HHmmss}", 0);
        lines.Append(dtStart).Append("\r\n");
        foreach (var rule in ((JsonArray)master["recurrence"]!).Select(r => r?.GetValue<string>()).OfType<string>()) lines.Append(rule).Append("\r\n");
        lines.Append("END:VEVENT\r\nEND:VCALENDAR\r\n");
        var calendar = Ical.Net.Calendar.Load(lines.ToString())!;
        var length = allDay ? TimeSpan.FromDays(Math.Max(1, duration))
            : DateTimeOffset.Parse(end["dateTime"]!.GetValue<string>(), CultureInfo.InvariantCulture) - DateTimeOffset.Parse(start["dateTime"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var until = now + ExpansionHorizon;
        var count = 0;
        foreach (var occurrence in calendar.GetOccurrences())
        {
            var at = occurrence.Period.StartTime;
            if (at.AsUtc > until.UtcDateTime || ++count > MaxOccurrences) yield break;
            var instance = (JsonObject)master.DeepClone();
            instance.Remove("recurrence");
            var masterId = master["id"]!.GetValue<string>();
            if (allDay)
            {
                var day = DateOnly.FromDateTime(at.Value);
                var key = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
                instance["id"] = $"{masterId}_{key}";
                instance["start"] = new JsonObject { ["date"] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
                instance["end"] = new JsonObject { ["date"] = day.AddDays((int)length.TotalDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
                instance["originalStartTime"] = new JsonObject { ["date"] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
                instance["recurringEventId"] = masterId;
                yield return (instance, key);
            }
            else
            {
                var utc = new DateTimeOffset(at.AsUtc, TimeSpan.Zero);
                var key = utc.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
                var local = TimeZoneInfo.ConvertTime(utc, ZoneOf(zone));
                instance["id"] = $"{masterId}_{key}";
                instance["start"] = new JsonObject { ["dateTime"] = Rfc3339(local), ["timeZone"] = zone };
                instance["end"] = new JsonObject { ["dateTime"] = Rfc3339(TimeZoneInfo.ConvertTime(utc + length, ZoneOf(zone))), ["timeZone"] = zone };
                instance["originalStartTime"] = new JsonObject { ["dateTime"] = Rfc3339(local), ["timeZone"] = zone };
                instance["recurringEventId"] = masterId;
                yield return (instance, key);
            }
        }
    }

    /// <summary>The key of an occurrence's original start, as in its id.</summary>
    public static string OriginalKey(JsonObject? original)
    {
        if (original?["date"]?.GetValue<string>() is { } date) return date.Replace("-", "", StringComparison.Ordinal);
        if (original?["dateTime"]?.GetValue<string>() is { } dateTime)
            return DateTimeOffset.Parse(dateTime, CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        return "";
    }

    public static DateTimeOffset? StartOf(JsonObject item, string calendarZone) => TimeOf(item["start"] as JsonObject, calendarZone);

    public static DateTimeOffset? EndOf(JsonObject item, string calendarZone) => TimeOf(item["end"] as JsonObject, calendarZone) ?? StartOf(item, calendarZone);

    private static DateTimeOffset? TimeOf(JsonObject? time, string calendarZone)
    {
        if (time?["dateTime"]?.GetValue<string>() is { } dateTime) return DateTimeOffset.Parse(dateTime, CultureInfo.InvariantCulture);
        if (time?["date"]?.GetValue<string>() is { } date)
        {
            var zone = ZoneOf(time["timeZone"]?.GetValue<string>() ?? calendarZone);
            var day = DateTime.Parse(date, CultureInfo.InvariantCulture);
            return new DateTimeOffset(day, zone.GetUtcOffset(day));
        }
        return null;
    }

    private static DateTime Wall(JsonObject time, string zone) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.Parse(time["dateTime"]!.GetValue<string>(), CultureInfo.InvariantCulture), ZoneOf(zone)).DateTime;

    public static TimeZoneInfo ZoneOf(string? id) => id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    public static string Rfc3339(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
}
