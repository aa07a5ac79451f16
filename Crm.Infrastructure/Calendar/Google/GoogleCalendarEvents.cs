using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Crm.Core.Calendar;
using Crm.Core.Timeline;

namespace Crm.Infrastructure.Calendar.Google;

/// <summary>
/// Google's event resource ↔ <see cref="CalendarEvent"/>: timed events by their RFC 3339 times, all-day ones by their
/// dates in the calendar's zone, the video link from conference data (or the Meet link), the organizer among the
/// attendees, rooms left out, private and confidential events marked private. Working-location, out-of-office,
/// focus-time and birthday entries are not meetings: they come back without attendees.
/// </summary>
public static class GoogleCalendarEvents
{
    private static readonly HashSet<string> NotMeetings = ["outOfOffice", "focusTime", "workingLocation", "birthday"];

    public static CalendarEvent ToEvent(string calendarId, JsonObject item, string? calendarZone)
    {
        var id = Text(item, "id") ?? "";
        var status = Text(item, "status");
        var version = Text(item, "etag") ?? Text(item, "updated");
        var original = item["originalStartTime"] is JsonObject originalStart ? TimeOf(originalStart, calendarZone).At : (DateTimeOffset?)null;
        if (status == "cancelled")
        {
            // Deleted from this calendar, or cancelled by its organizer — Google says both the same way (for a series, of one
            // occurrence): gone from this calendar; whether the meeting is off is the meeting log's call.
            return CalendarEvent.Gone(calendarId, id) with { ICalUid = Text(item, "iCalUID"), OriginalStart = original, Version = version };
        }
        var start = item["start"] as JsonObject;
        var end = item["end"] as JsonObject;
        var (startAt, allDay, zone) = start is null ? (DateTimeOffset.MinValue, false, calendarZone) : TimeOf(start, calendarZone);
        var endAt = end is null ? startAt : TimeOf(end, calendarZone).At;
        var organizerEmail = (item["organizer"] as JsonObject) is { } org ? Text(org, "email") : null;
        var attendees = new List<EventAttendee>();
        if (!NotMeetings.Contains(Text(item, "eventType") ?? "default") && item["attendees"] is JsonArray list)
        {
            foreach (var node in list.OfType<JsonObject>().Take(CalendarLimits.Attendees))
            {
                if (Text(node, "email") is not { Length: > 0 } email || Bool(node, "resource")) continue;
                attendees.Add(new EventAttendee(email, Text(node, "displayName"), ResponseOf(Text(node, "responseStatus")),
                    Bool(node, "organizer") || string.Equals(email, organizerEmail, StringComparison.OrdinalIgnoreCase)));
            }
        }
        if (attendees.Count > 0 && organizerEmail is { Length: > 0 } && attendees.All(a => !a.IsOrganizer) && !organizerEmail.EndsWith("calendar.google.com", StringComparison.Ordinal))
            attendees.Insert(0, new EventAttendee(organizerEmail, (item["organizer"] as JsonObject) is { } o ? Text(o, "displayName") : null, AttendeeResponse.Accepted, true));
        var visibility = Text(item, "visibility");
        return new CalendarEvent(calendarId, id, Text(item, "iCalUID"), original,
            status == "tentative" ? EventState.Tentative : EventState.Confirmed,
            Text(item, "summary"), Text(item, "description"), Text(item, "location"), startAt, endAt, allDay, CalendarTimes.IanaOf(zone) ?? zone,
            ConferenceUrl(item), attendees, visibility is "private" or "confidential", version);
    }

    /// <summary>The body of events.insert / patch for a meeting made in the CRM.</summary>
    public static JsonObject ToResource(OutgoingEvent e)
    {
        var zone = CalendarTimes.ZoneOf(e.TimeZone);
        string Wall(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["summary"] = e.Title, ["description"] = e.Description, ["location"] = e.Location,
            ["start"] = new JsonObject { ["dateTime"] = Wall(e.Start), ["timeZone"] = e.TimeZone },
            ["end"] = new JsonObject { ["dateTime"] = Wall(e.End), ["timeZone"] = e.TimeZone },
            ["attendees"] = new JsonArray(e.Attendees.Select(a => (JsonNode)new JsonObject { ["email"] = a.Email, ["displayName"] = a.Name }).ToArray()),
            ["iCalUID"] = e.ICalUid,
        };
    }

    private static (DateTimeOffset At, bool AllDay, string? Zone) TimeOf(JsonObject time, string? calendarZone)
    {
        var zone = Text(time, "timeZone") ?? calendarZone;
        if (Text(time, "dateTime") is { } dateTime && DateTimeOffset.TryParse(dateTime, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            // A time written without an offset is wall-clock time in the event's zone.
            var hasOffset = dateTime.EndsWith('Z') || dateTime.LastIndexOfAny(['+', '-']) > 10;
            return (hasOffset ? at : CalendarTimes.At(at.DateTime, CalendarTimes.ZoneOf(zone)), false, zone);
        }
        if (Text(time, "date") is { } date && DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return (CalendarTimes.AtMidnight(day, CalendarTimes.ZoneOf(zone)), true, zone);
        return (DateTimeOffset.MinValue, false, zone);
    }

    private static string? ConferenceUrl(JsonObject item)
    {
        if (item["conferenceData"] is JsonObject conference && conference["entryPoints"] is JsonArray points)
            foreach (var point in points.OfType<JsonObject>())
                if (Text(point, "entryPointType") == "video" && Text(point, "uri") is { } uri) return uri;
        return Text(item, "hangoutLink");
    }

    private static AttendeeResponse ResponseOf(string? status) => status switch
    {
        "accepted" => AttendeeResponse.Accepted,
        "declined" => AttendeeResponse.Declined,
        "tentative" => AttendeeResponse.Tentative,
        _ => AttendeeResponse.Pending,
    };

    private static string? Text(JsonObject item, string name) => item[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static bool Bool(JsonObject item, string name) => item[name] is JsonValue value && value.GetValueKind() == JsonValueKind.True;
}
