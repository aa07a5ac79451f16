using System.Text.Json.Nodes;
using Crm.Core.Calendar;
using Crm.Core.Integrations.Tokens;

namespace Crm.Infrastructure.Calendar.Google;

/// <summary>Google Calendar as the CRM writes to it: calendars by access role, events with the attendees invited by Google.</summary>
public sealed class GoogleCalendarProvider(GoogleCalendarApi api) : ICalendarProvider
{
    public async Task<IReadOnlyList<CalendarChoice>> ListCalendarsAsync(ConnectionRef connection, CancellationToken ct) =>
        (await api.CalendarListAsync(connection, ct))
        // Free/busy-only calendars have no events to read.
        .Where(c => c.AccessRole is not "freeBusyReader")
        .OrderByDescending(c => c.Primary == true).ThenBy(c => c.SummaryOverride ?? c.Summary, StringComparer.OrdinalIgnoreCase)
        .Select(c => new CalendarChoice(c.Id, c.SummaryOverride ?? c.Summary ?? c.Id, c.Primary == true, c.AccessRole is "owner" or "writer", false, c.TimeZone))
        .ToList();

    public async Task<PlacedEvent> CreateEventAsync(ConnectionRef connection, string calendarId, OutgoingEvent e, CancellationToken ct) =>
        Placed(await api.InsertAsync(connection, calendarId, GoogleCalendarEvents.ToResource(e), ct));

    public async Task<PlacedEvent> UpdateEventAsync(ConnectionRef connection, string calendarId, string eventId, OutgoingEvent e, CancellationToken ct)
    {
        var body = GoogleCalendarEvents.ToResource(e);
        // The UID of an existing event cannot change.
        body.Remove("iCalUID");
        return Placed(await api.PatchAsync(connection, calendarId, eventId, body, ct));
    }

    public Task CancelEventAsync(ConnectionRef connection, string calendarId, string eventId, CancellationToken ct) => api.DeleteAsync(connection, calendarId, eventId, ct);

    private static PlacedEvent Placed(JsonObject created) =>
        new(created["id"]?.GetValue<string>() ?? throw new Crm.Core.Integrations.Calls.ProviderApiException("Google Calendar", 200, null, "Google Calendar did not return the event's id."),
            created["iCalUID"]?.GetValue<string>(), created["etag"]?.GetValue<string>() ?? created["updated"]?.GetValue<string>());
}
