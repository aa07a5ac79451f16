using System.Globalization;
using Crm.Core.Calendar;
using Crm.Core.Timeline;
using Microsoft.Graph.Models;

namespace Crm.Infrastructure.Calendar.Outlook;

/// <summary>
/// Graph's event ↔ <see cref="CalendarEvent"/>: times read in the zone each one names (Windows names such as "Pacific
/// Standard Time" or IANA ones), all-day events as dates in the zone they were made in, the Teams link from
/// <c>onlineMeeting</c>, rooms and resources left out, private and confidential events marked private, a removed entry
/// (<c>@removed</c>) as gone. Each occurrence of a series carries its own iCalUId in Graph, which is its key.
/// </summary>
public static class GraphCalendarEvents
{
    public static CalendarEvent ToEvent(string calendarId, Event item)
    {
        var id = item.Id ?? "";
        var version = item.AdditionalData is { } extra && extra.TryGetValue("@odata.etag", out var etag) ? etag?.ToString() : item.ChangeKey;
        if (item.AdditionalData?.ContainsKey("@removed") == true) return CalendarEvent.Gone(calendarId, id);
        var zone = item.OriginalStartTimeZone is { Length: > 0 } original && original != "tzone://Microsoft/Custom" ? original : item.Start?.TimeZone;
        var allDay = item.IsAllDay == true;
        var start = TimeOf(item.Start, allDay, zone);
        var end = TimeOf(item.End, allDay, zone);
        var organizer = item.Organizer?.EmailAddress?.Address;
        var attendees = new List<EventAttendee>();
        foreach (var attendee in (item.Attendees ?? []).Take(CalendarLimits.Attendees))
        {
            if (attendee.Type == AttendeeType.Resource || attendee.EmailAddress?.Address is not { Length: > 0 } email) continue;
            attendees.Add(new EventAttendee(email, attendee.EmailAddress.Name, ResponseOf(attendee.Status?.Response),
                string.Equals(email, organizer, StringComparison.OrdinalIgnoreCase)));
        }
        if (organizer is { Length: > 0 } && attendees.Count > 0 && attendees.All(a => !a.IsOrganizer))
            attendees.Insert(0, new EventAttendee(organizer, item.Organizer!.EmailAddress!.Name, AttendeeResponse.Accepted, true));
        return new CalendarEvent(calendarId, id, item.ICalUId, null,
            item.IsCancelled == true ? EventState.Cancelled : item.ShowAs == FreeBusyStatus.Tentative ? EventState.Tentative : EventState.Confirmed,
            item.Subject, item.Body?.Content, item.Location?.DisplayName, start, end < start ? start : end, allDay, CalendarTimes.IanaOf(zone) ?? zone,
            item.OnlineMeeting?.JoinUrl, attendees, item.Sensitivity is Sensitivity.Private or Sensitivity.Confidential, version);
    }

    /// <summary>A meeting made in the CRM as Graph creates it (times in its own zone; Graph takes IANA names too).</summary>
    public static Event ToGraph(OutgoingEvent e)
    {
        var zone = CalendarTimes.ZoneOf(e.TimeZone);
        DateTimeTimeZone At(DateTimeOffset at) => new()
        {
            DateTime = TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), TimeZone = e.TimeZone,
        };
        return new Event
        {
            Subject = e.Title,
            Body = new ItemBody { ContentType = BodyType.Text, Content = e.Description ?? "" },
            Start = At(e.Start),
            End = At(e.End),
            Location = e.Location is null ? null : new Location { DisplayName = e.Location },
            Attendees = e.Attendees.Select(a => new Attendee { Type = AttendeeType.Required, EmailAddress = new EmailAddress { Address = a.Email, Name = a.Name } }).ToList(),
            // Graph makes one event per transaction id: a retried create does not make a second.
            TransactionId = e.ICalUid,
        };
    }

    private static DateTimeOffset TimeOf(DateTimeTimeZone? time, bool allDay, string? zone)
    {
        if (time?.DateTime is not { } text || !DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall)) return DateTimeOffset.MinValue;
        // An all-day event is its dates wherever it is read: midnight in the zone it was made in.
        if (allDay) return CalendarTimes.AtMidnight(DateOnly.FromDateTime(wall), CalendarTimes.ZoneOf(zone));
        return CalendarTimes.At(wall, CalendarTimes.ZoneOf(time.TimeZone));
    }

    private static AttendeeResponse ResponseOf(ResponseType? response) => response switch
    {
        ResponseType.Accepted or ResponseType.Organizer => AttendeeResponse.Accepted,
        ResponseType.Declined => AttendeeResponse.Declined,
        ResponseType.TentativelyAccepted => AttendeeResponse.Tentative,
        _ => AttendeeResponse.Pending,
    };
}
