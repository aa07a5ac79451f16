using Crm.Core.Calendar;
using Crm.Core.Integrations.Tokens;

namespace Crm.Infrastructure.Calendar.CalDav;

/// <summary>
/// A CalDAV calendar as the CRM writes to it: a meeting is an iCalendar resource named by its UID (created only if
/// absent), rewritten when it changes, deleted when it is cancelled. Servers that do scheduling (iCloud) invite the
/// attendees from the ATTENDEE lines.
/// </summary>
public sealed class CalDavProvider(CalDavClient client, CalDavAccounts accounts) : ICalendarProvider
{
    public async Task<IReadOnlyList<CalendarChoice>> ListCalendarsAsync(ConnectionRef connection, CancellationToken ct)
    {
        var account = await accounts.ForAsync(connection, ct);
        var (_, _, calendars) = await client.DiscoverAsync(account, ct);
        return calendars.Select((c, i) => new CalendarChoice(c.Url.ToString(), c.Name, i == 0, c.CanWrite, false, c.TimeZone)).ToList();
    }

    public async Task<PlacedEvent> CreateEventAsync(ConnectionRef connection, string calendarId, OutgoingEvent e, CancellationToken ct)
    {
        var account = await accounts.ForAsync(connection, ct);
        var name = new string(e.ICalUid.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray()) + ".ics";
        var url = new Uri(new Uri(calendarId.EndsWith('/') ? calendarId : calendarId + "/"), name);
        var etag = await client.PutAsync(account, url, CalDavEvents.ToIcs(e, account.Username), create: true, ct);
        return new PlacedEvent(url.AbsolutePath, e.ICalUid, etag);
    }

    public async Task<PlacedEvent> UpdateEventAsync(ConnectionRef connection, string calendarId, string eventId, OutgoingEvent e, CancellationToken ct)
    {
        var account = await accounts.ForAsync(connection, ct);
        var etag = await client.PutAsync(account, new Uri(new Uri(calendarId), eventId), CalDavEvents.ToIcs(e, account.Username, sequence: 1), create: false, ct);
        return new PlacedEvent(eventId, e.ICalUid, etag);
    }

    public async Task CancelEventAsync(ConnectionRef connection, string calendarId, string eventId, CancellationToken ct)
    {
        var account = await accounts.ForAsync(connection, ct);
        await client.DeleteAsync(account, new Uri(new Uri(calendarId), eventId), ct);
    }
}
