using System.Globalization;
using Crm.Core.Calendar;
using Crm.Core.Timeline;
using IcalEvent = Ical.Net.CalendarComponents.CalendarEvent;
using Ical.Net.DataTypes;
using IcalCalendar = Ical.Net.Calendar;

namespace Crm.Infrastructure.Calendar.CalDav;

/// <summary>
/// An iCalendar resource (Ical.Net) as the occurrences it has in the window: a single event as itself (id = its href), a
/// series as each occurrence (id = href#original start in UTC), with its overrides (RECURRENCE-ID) in their place and
/// EXDATEs left out; the original start is the occurrence's key, so the same invitation read from Google or Outlook is the
/// same meeting. All-day and floating times are read in the calendar's zone; STATUS:CANCELLED is a cancellation,
/// CLASS:PRIVATE or CONFIDENTIAL private, rooms and resources are not attendees.
/// </summary>
public static class CalDavEvents
{
    public const int MaxOccurrencesPerResource = 500;

    /// <exception cref="FormatException">The data is not iCalendar.</exception>
    public static List<CalendarEvent> ToEvents(string calendarId, CalDavResource resource, string? calendarZone, DateTimeOffset from, DateTimeOffset to)
    {
        IcalCalendar calendar;
        try
        {
            calendar = IcalCalendar.Load(resource.Data ?? "") ?? throw new FormatException("Not iCalendar.");
        }
        catch (Exception e) when (e is not FormatException)
        {
            throw new FormatException("Not iCalendar: " + e.Message, e);
        }
        var zone = CalendarTimes.ZoneOf(calendarZone);
        var events = new List<CalendarEvent>();
        var recurring = calendar.Events.Any(e => e.RecurrenceRule is not null || e.RecurrenceDates.GetAllDates().Any() || e.RecurrenceIdentifier is not null);
        var start = new CalDateTime(from.UtcDateTime.AddDays(-1), "UTC");
        foreach (var occurrence in calendar.GetOccurrences<IcalEvent>(start))
        {
            var at = Instant(occurrence.Period.StartTime, zone);
            if (at > to || events.Count >= MaxOccurrencesPerResource) break;
            var source = (IcalEvent)occurrence.Source;
            var end = occurrence.Period.EffectiveEndTime is { } effective ? Instant(effective, zone) : at;
            if (end <= from && at < from) continue;
            var original = recurring ? source.RecurrenceIdentifier?.StartTime is { } rid ? Instant(rid, zone) : at : (DateTimeOffset?)null;
            var id = original is { } o ? $"{resource.Href}#{o.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}" : resource.Href;
            var allDay = !occurrence.Period.StartTime.HasTime;
            events.Add(new CalendarEvent(calendarId, id, source.Uid, original,
                string.Equals(source.Status, "CANCELLED", StringComparison.OrdinalIgnoreCase) ? EventState.Cancelled
                : string.Equals(source.Status, "TENTATIVE", StringComparison.OrdinalIgnoreCase) ? EventState.Tentative : EventState.Confirmed,
                source.Summary, source.Description, source.Location, at, end < at ? at : end, allDay,
                occurrence.Period.StartTime.TzId is { } tz ? CalendarTimes.IanaOf(tz) ?? tz : CalendarTimes.IanaOf(calendarZone),
                ConferenceOf(source), Attendees(source), source.Class is "PRIVATE" or "CONFIDENTIAL", resource.ETag));
        }
        return events;
    }

    /// <summary>A meeting made in the CRM as an iCalendar resource (UID kept; organizer the rep, attendees invited).</summary>
    public static string ToIcs(OutgoingEvent e, string organizer, int sequence = 0)
    {
        var zone = CalendarTimes.IanaOf(e.TimeZone) ?? "UTC";
        var tz = CalendarTimes.ZoneOf(zone);
        var item = new IcalEvent
        {
            Uid = e.ICalUid, Summary = e.Title, Description = e.Description, Location = e.Location, Sequence = sequence,
            DtStart = new CalDateTime(TimeZoneInfo.ConvertTime(e.Start, tz).DateTime, zone),
            DtEnd = new CalDateTime(TimeZoneInfo.ConvertTime(e.End, tz).DateTime, zone),
            Organizer = new Organizer("mailto:" + organizer),
        };
        foreach (var attendee in e.Attendees)
            item.Attendees.Add(new Attendee("mailto:" + attendee.Email) { CommonName = attendee.Name, ParticipationStatus = "NEEDS-ACTION", Rsvp = true, Role = "REQ-PARTICIPANT" });
        var calendar = new IcalCalendar();
        calendar.Events.Add(item);
        return new Ical.Net.Serialization.CalendarSerializer().SerializeToString(calendar)!;
    }

    private static DateTimeOffset Instant(CalDateTime time, TimeZoneInfo calendarZone)
    {
        if (!time.HasTime) return CalendarTimes.AtMidnight(DateOnly.FromDateTime(time.Value), calendarZone);
        if (time.IsUtc || time.TzId is not null) return new DateTimeOffset(time.AsUtc, TimeSpan.Zero);
        // Floating time: the calendar's own zone.
        return CalendarTimes.At(time.Value, calendarZone);
    }

    private static List<EventAttendee> Attendees(IcalEvent source)
    {
        var organizer = Address(source.Organizer?.Value);
        var list = new List<EventAttendee>();
        foreach (var attendee in source.Attendees.Take(CalendarLimits.Attendees))
        {
            if (attendee.Type is "ROOM" or "RESOURCE" || Address(attendee.Value) is not { } email) continue;
            list.Add(new EventAttendee(email, attendee.CommonName, attendee.ParticipationStatus?.ToUpperInvariant() switch
            {
                "ACCEPTED" => AttendeeResponse.Accepted,
                "DECLINED" => AttendeeResponse.Declined,
                "TENTATIVE" => AttendeeResponse.Tentative,
                _ => AttendeeResponse.Pending,
            }, string.Equals(email, organizer, StringComparison.OrdinalIgnoreCase)));
        }
        if (organizer is not null && list.Count > 0 && list.All(a => !a.IsOrganizer))
            list.Insert(0, new EventAttendee(organizer, source.Organizer!.CommonName, AttendeeResponse.Accepted, true));
        return list;
    }

    private static string? ConferenceOf(IcalEvent source)
    {
        foreach (var name in new[] { "X-GOOGLE-CONFERENCE", "X-MICROSOFT-SKYPETEAMSMEETINGURL", "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK", "CONFERENCE" })
            if (source.Properties.FirstOrDefault(p => p.Name == name)?.Value?.ToString() is { Length: > 0 } url) return url;
        return source.Url?.ToString();
    }

    private static string? Address(Uri? uri) => Address(uri?.ToString());

    private static string? Address(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var text = value.Trim();
        if (text.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)) text = text[7..];
        return text.Contains('@') ? Uri.UnescapeDataString(text) : null;
    }
}
