using Crm.Core.Common;
using Crm.Core.Integrations.Calls;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Timeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Core.Calendar;

/// <summary>What became of a meeting in the rep's calendar: placed (its calendar named), not wanted, or refused (why).</summary>
public sealed record CalendarPlacement(bool Placed, string? Calendar, string? Problem)
{
    public static readonly CalendarPlacement NotConnected = new(false, null, null);
}

/// <summary>
/// Takes a meeting of the CRM to its owner's calendar and keeps it there (the seed's one_way_out and bidirectional):
/// created in the connection's chosen calendar with the contacts invited, changed and cancelled there when it changes
/// here. The entry it makes is recorded like a synced one (<see cref="CalendarEventLink"/>, with the version the
/// provider answered), so the next sync recognises it instead of logging it again. A provider that refuses leaves the
/// meeting in the CRM, and says why.
/// </summary>
public sealed class MeetingCalendarWriter(IServiceProvider services, TimeProvider time)
{
    /// <summary>The owner's calendar connection that takes meetings out, or null.</summary>
    public static async Task<Integration?> OutConnectionAsync(ICrmDb db, long userId, long? connectionId, CancellationToken ct)
    {
        var candidates = await db.Integrations.Where(i => i.Type == IntegrationType.Calendar && i.OwnerUserId == userId && i.IsActive
                                                           && i.Status != ConnectionStatus.Disconnected && i.Direction != SyncDirection.InOnly)
            .OrderBy(i => i.Id).ToListAsync(ct);
        if (connectionId is { } id) return candidates.FirstOrDefault(i => i.Id == id);
        return candidates.FirstOrDefault(i => CalendarSettings.Parse(i.CalendarSettings).OutCalendar is not null);
    }

    public async Task<CalendarPlacement> PlaceAsync(ICrmDb db, MeetingActivity meeting, Integration connection, CancellationToken ct)
    {
        var settings = CalendarSettings.Parse(connection.CalendarSettings);
        if (settings.OutCalendar is not { } calendar) return new CalendarPlacement(false, null, "No calendar is chosen for meetings scheduled in the CRM.");
        if (services.GetKeyedService<ICalendarProvider>(connection.Provider) is not { } provider) return CalendarPlacement.NotConnected;
        var reference = new ConnectionRef(connection.WorkspaceId, connection.Id, connection.Provider);
        var link = await db.CalendarEventLinks.FirstOrDefaultAsync(l => l.IntegrationId == connection.Id && l.ActivityId == meeting.Id && l.Outcome == CalendarEntryOutcome.Logged, ct);
        try
        {
            var outgoing = Outgoing(meeting);
            var placed = link is null
                ? await provider.CreateEventAsync(reference, calendar.Id, outgoing, ct)
                : await provider.UpdateEventAsync(reference, link.CalendarId, link.EventId, outgoing, ct);
            if (link is null)
            {
                link = new CalendarEventLink
                {
                    IntegrationId = connection.Id, UserId = connection.OwnerUserId!.Value, CalendarId = MeetingKeys.Fit(calendar.Id, CalendarLimits.CalendarIdChars),
                    EventId = MeetingKeys.Fit(placed.EventId, CalendarLimits.EventIdChars), Outcome = CalendarEntryOutcome.Logged, OwnerOrganizes = true,
                };
                db.CalendarEventLinks.Add(link);
                meeting.ExternalEventId = placed.EventId.Length <= FieldLimits.ExternalId ? placed.EventId : null;
            }
            (link.Activity, link.Version, link.Start, link.SeenAt) = (meeting, placed.Version, meeting.StartTime, time.GetUtcNow());
            if (placed.ICalUid is { Length: > 0 and <= MeetingKeys.MaxLength } uid && meeting.MeetingKey != uid) meeting.MeetingKey = uid;
            if (!meeting.CalendarUserIds.Contains(connection.OwnerUserId!.Value)) meeting.CalendarUserIds = [.. meeting.CalendarUserIds, connection.OwnerUserId!.Value];
            return new CalendarPlacement(true, calendar.Name, null);
        }
        catch (Exception e) when (e is ProviderApiException or ReconnectRequiredException or BudgetExhaustedException)
        {
            return new CalendarPlacement(false, calendar.Name, $"The meeting is saved here, but {connection.Name} did not take it: {e.Message}");
        }
    }

    /// <summary>Cancels the meeting in the calendars it was placed in from here (the attendees are told by the provider).</summary>
    public async Task<CalendarPlacement> CancelAsync(ICrmDb db, MeetingActivity meeting, CancellationToken ct)
    {
        var links = await db.CalendarEventLinks.Where(l => l.ActivityId == meeting.Id && l.OwnerOrganizes && l.Outcome == CalendarEntryOutcome.Logged).ToListAsync(ct);
        foreach (var link in links)
        {
            var connection = await db.Integrations.SingleOrDefaultAsync(i => i.Id == link.IntegrationId, ct);
            if (connection is null || connection.Direction == SyncDirection.InOnly || services.GetKeyedService<ICalendarProvider>(connection.Provider) is not { } provider) continue;
            try
            {
                await provider.CancelEventAsync(new ConnectionRef(connection.WorkspaceId, connection.Id, connection.Provider), link.CalendarId, link.EventId, ct);
                (link.Outcome, link.Version) = (CalendarEntryOutcome.Removed, null);
            }
            catch (Exception e) when (e is ProviderApiException or ReconnectRequiredException or BudgetExhaustedException)
            {
                return new CalendarPlacement(false, connection.Name, $"The meeting is cancelled here, but {connection.Name} did not take the cancellation: {e.Message}");
            }
        }
        return new CalendarPlacement(links.Count > 0, null, null);
    }

    private static OutgoingEvent Outgoing(MeetingActivity meeting) => new(meeting.Title, meeting.Description, meeting.Location, meeting.StartTime, meeting.EndTime,
        meeting.TimeZone ?? "UTC", meeting.Attendees.Where(a => !a.IsOrganizer).Select(a => new EventAttendee(a.Email, a.Name, a.Response)).ToList(),
        meeting.MeetingKey ?? throw new InvalidOperationException("A meeting made in the CRM has a key."));
}
