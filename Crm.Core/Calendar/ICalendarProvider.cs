using Crm.Core.Integrations.Tokens;

namespace Crm.Core.Calendar;

/// <summary>A meeting as the CRM sends it to a calendar: the contacts invited, times in the rep's zone.</summary>
public sealed record OutgoingEvent(string Title, string? Description, string? Location, DateTimeOffset Start, DateTimeOffset End, string TimeZone,
    IReadOnlyList<EventAttendee> Attendees, string ICalUid);

/// <summary>Where the calendar put it: its id there, and the version the next sync will see.</summary>
public sealed record PlacedEvent(string EventId, string? ICalUid, string? Version);

/// <summary>
/// A calendar provider as the CRM writes to it (one implementation per provider, registered under its short name):
/// its calendars, and events created, changed and cancelled with their attendees invited. Reading is each provider's
/// <see cref="Crm.Core.Integrations.Sync.IConnectionSyncer"/>.
/// </summary>
public interface ICalendarProvider
{
    Task<IReadOnlyList<CalendarChoice>> ListCalendarsAsync(ConnectionRef connection, CancellationToken ct);
    Task<PlacedEvent> CreateEventAsync(ConnectionRef connection, string calendarId, OutgoingEvent e, CancellationToken ct);
    Task<PlacedEvent> UpdateEventAsync(ConnectionRef connection, string calendarId, string eventId, OutgoingEvent e, CancellationToken ct);
    /// <summary>Cancels it for everyone invited (gone already: nothing to do).</summary>
    Task CancelEventAsync(ConnectionRef connection, string calendarId, string eventId, CancellationToken ct);
}
