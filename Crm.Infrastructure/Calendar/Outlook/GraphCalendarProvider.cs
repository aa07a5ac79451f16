using Crm.Core.Calendar;
using Crm.Core.Integrations.Calls;
using Crm.Core.Integrations.Tokens;
using Crm.Infrastructure.Email.Outlook;
using Microsoft.Graph.Me.Events.Item.Cancel;

using Crm.Infrastructure.Integrations.Graph;

namespace Crm.Infrastructure.Calendar.Outlook;

/// <summary>Outlook calendars through the Microsoft Graph SDK as the CRM writes to them: created with the contacts invited, changed, cancelled by the organizer.</summary>
public sealed class GraphCalendarProvider(GraphMailClient graph) : ICalendarProvider
{
    public async Task<IReadOnlyList<CalendarChoice>> ListCalendarsAsync(ConnectionRef connection, CancellationToken ct)
    {
        using var _ = GraphMailClient.For(connection);
        var page = await GraphCalls.RunAsync(() => graph.Client.Me.Calendars.GetAsync(r => r.QueryParameters.Top = 100, ct));
        return (page?.Value ?? [])
            .Where(c => c.Id is not null)
            .OrderByDescending(c => c.IsDefaultCalendar == true).ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .Select(c => new CalendarChoice(c.Id!, c.Name ?? c.Id!, c.IsDefaultCalendar == true, c.CanEdit == true, false))
            .ToList();
    }

    public async Task<PlacedEvent> CreateEventAsync(ConnectionRef connection, string calendarId, OutgoingEvent e, CancellationToken ct)
    {
        using var _ = GraphMailClient.For(connection);
        var created = await GraphCalls.RunAsync(() => graph.Client.Me.Calendars[calendarId].Events.PostAsync(GraphCalendarEvents.ToGraph(e), cancellationToken: ct));
        return Placed(created);
    }

    public async Task<PlacedEvent> UpdateEventAsync(ConnectionRef connection, string calendarId, string eventId, OutgoingEvent e, CancellationToken ct)
    {
        using var _ = GraphMailClient.For(connection);
        var changes = GraphCalendarEvents.ToGraph(e);
        changes.TransactionId = null;
        var updated = await GraphCalls.RunAsync(() => graph.Client.Me.Events[eventId].PatchAsync(changes, cancellationToken: ct));
        return Placed(updated);
    }

    public async Task CancelEventAsync(ConnectionRef connection, string calendarId, string eventId, CancellationToken ct)
    {
        using var _ = GraphMailClient.For(connection);
        try
        {
            await GraphCalls.RunAsync<object>(async () =>
            {
                await graph.Client.Me.Events[eventId].Cancel.PostAsync(new CancelPostRequestBody { Comment = "Cancelled in the CRM." }, cancellationToken: ct);
                return null;
            });
        }
        catch (ProviderApiException e) when (e.StatusCode == 404)
        {
            // Already gone there.
        }
    }

    private static PlacedEvent Placed(Microsoft.Graph.Models.Event? e) =>
        new(e?.Id ?? throw new ProviderApiException("Outlook", 200, null, "Outlook did not return the event's id."), e.ICalUId,
            e.AdditionalData is { } extra && extra.TryGetValue("@odata.etag", out var etag) ? etag?.ToString() : e.ChangeKey);
}
