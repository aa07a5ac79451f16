using Crm.Core.Timeline;

namespace Crm.Core.Calendar;

/// <summary>Where an event stands in its calendar.</summary>
public enum EventState
{
    Confirmed = 0,
    Tentative = 1,
    /// <summary>Cancelled by its organizer (Google's cancelled status on the organizer's copy, Graph's isCancelled, iCalendar STATUS:CANCELLED).</summary>
    Cancelled = 2,
    /// <summary>No longer in this calendar (deleted, declined and removed, or out of the synced window): only its id is known.</summary>
    Removed = 3,
}

/// <summary>A person on an event as the calendar lists them.</summary>
public sealed record EventAttendee(string Email, string? Name, AttendeeResponse Response, bool IsOrganizer = false);

/// <summary>
/// One event (or one occurrence of a series) as a calendar provider gave it, in the same shape for Google, Graph and
/// CalDAV: times as instants with the zone they were scheduled in, all-day events as dates (midnight to midnight in
/// that zone), the organizer among the attendees.
/// </summary>
/// <param name="EventId">The provider's id of this event or occurrence in this calendar.</param>
/// <param name="ICalUid">The iCalendar UID the invitation carries to every calendar it reaches (null when the provider gave none).</param>
/// <param name="OriginalStart">For an occurrence of a series: where the series had it (Google's originalStartTime, iCalendar RECURRENCE-ID).</param>
/// <param name="Version">What changes when the event does (an ETag, Google's updated time): an unchanged event is not looked at again.</param>
public sealed record CalendarEvent(
    string CalendarId,
    string EventId,
    string? ICalUid,
    DateTimeOffset? OriginalStart,
    EventState State,
    string? Title,
    string? Description,
    string? Location,
    DateTimeOffset Start,
    DateTimeOffset End,
    bool AllDay,
    string? TimeZone,
    string? ConferenceUrl,
    IReadOnlyList<EventAttendee> Attendees,
    bool IsPrivate = false,
    string? Version = null)
{
    /// <summary>An event the calendar no longer holds: only its id matters.</summary>
    public static CalendarEvent Gone(string calendarId, string eventId) =>
        new(calendarId, eventId, null, null, EventState.Removed, null, null, null, default, default, false, null, null, []);

    public EventAttendee? Organizer => Attendees.FirstOrDefault(a => a.IsOrganizer);
}

/// <summary>Limits of what one event may carry into the CRM.</summary>
public static class CalendarLimits
{
    public const int Attendees = 200;
    public const int EventIdChars = 400;
    public const int CalendarIdChars = 400;
    public const int CalendarsPerConnection = 50;
    /// <summary>Past days the first sync reads; the nightly run moves the window on.</summary>
    public const int DefaultPastDays = 30;
    /// <summary>Days ahead whose meetings are logged as upcoming.</summary>
    public const int DefaultFutureDays = 90;
}
