using System.Globalization;
using System.Text.Json;
using Crm.Core.Calendar;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Graph;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Timeline;
using Crm.Infrastructure.Email.Outlook;
using Crm.Infrastructure.Integrations.Calls;
using Crm.Infrastructure.Persistence;
using Microsoft.Graph.Me.Calendars.Item.CalendarView.Delta;

using Crm.Infrastructure.Integrations.Graph;

namespace Crm.Infrastructure.Calendar.Outlook;

/// <summary>
/// A rep's Outlook calendars into the timelines through the Microsoft Graph SDK: per chosen calendar, its
/// <c>calendarView/delta</c> over the window (past days to the horizon; occurrences of series expanded by Graph), a page
/// at a time with the next link saved, then the delta link — changed, moved and cancelled events, removed ones as
/// <c>@removed</c>. Graph keeps the window in its tokens, so the nightly run starts a new round over the moved window
/// (meetings come into it) and compares what it returns with what was logged. A delta link Graph no longer knows (410)
/// does the same at once. Times are asked for in UTC and read in the zone each event names (Windows names included).
/// Where <see cref="MicrosoftAppSettings.NotificationUrl"/> is set, each chosen calendar has a change-notification
/// subscription (<see cref="OutlookMailSubscriptions"/>) that starts the sync within seconds; polling stays underneath.
/// </summary>
public sealed class GraphCalendarSyncer(GraphMailClient graph, LogMeetingsHandler log, IConnectionStatus status, CrmDatabase database, MicrosoftAppSettings settings,
    OutlookMailSubscriptions subscriptions, TimeProvider time) : IConnectionSyncer
{
    public const string Objects = "events";
    public const int PageSize = 100;
    /// <summary>Calendars read side by side; their requests share <see cref="MailboxRequestsAtOnce"/> slots.</summary>
    public const int CalendarsAtOnce = 8;
    /// <summary>Exchange's limit of requests at once per mailbox.</summary>
    public const int MailboxRequestsAtOnce = 4;

    public string Provider => IntegrationProviders.Microsoft;
    public IntegrationType Type => IntegrationType.Calendar;
    public string ObjectType => Objects;

    /// <summary>Where each calendar stands: its delta link, or the next page of a round over the window.</summary>
    private sealed record CalendarCursor(string? DeltaLink, string? NextLink = null, long? WindowStart = null, long? WindowEnd = null);

    public async Task<SyncTotals> SyncAsync(ConnectionRef connection, bool full, CancellationToken ct)
    {
        var scope = await CalendarSyncScope.LoadAsync(database, connection, MeetingSource.Outlook, settings.CalendarPastDays, settings.CalendarFutureDays, time.GetUtcNow(), ct);
        await scope.EnsureCalendarsAsync(database, async () => await new GraphCalendarProvider(graph).ListCalendarsAsync(connection, ct), ct);
        if (!scope.ReadsIn) return new SyncTotals();
        var cursors = new CalendarCursors<CalendarCursor>(status, connection, Objects, await status.CursorAsync(connection, Objects, ct));
        var totals = new SyncTotals();
        using var _ = GraphMailClient.For(connection);
        // Calendars side by side, one calendar's logging overlapping another's reads; Exchange allows 4 requests at once
        // per mailbox, so more calendars than that share 4 request slots rather than the last ones waiting for a lane.
        using var slots = new SemaphoreSlim(MailboxRequestsAtOnce);
        await Parallel.ForEachAsync(scope.Settings.SelectedCalendars, new ParallelOptions { MaxDegreeOfParallelism = CalendarsAtOnce, CancellationToken = ct }, async (calendar, token) =>
        {
            var cursor = cursors.Get(calendar.Id);
            if (cursor?.DeltaLink is { } deltaLink && !full)
            {
                try
                {
                    cursors.Add(await RoundAsync(scope, calendar.Id, deltaLink, null, cursors, slots, token));
                    return;
                }
                catch (GraphDeltaGoneException)
                {
                    cursor = null;
                }
            }
            cursors.Add(await RoundAsync(scope, calendar.Id, null, full ? null : cursor, cursors, slots, token, recheck: full));
        });
        totals += cursors.Totals;
        await subscriptions.EnsureCalendarsAsync(connection, scope.Settings.SelectedCalendars.Select(c => c.Id).ToList(), ct);
        return totals;
    }

    /// <summary>
    /// One delta round: from <paramref name="deltaLink"/> (changes), or over the window from its start (a stopped round goes
    /// on from its saved next link); a round over the window ends by finding what the calendar no longer holds.
    /// </summary>
    private async Task<SyncTotals> RoundAsync(CalendarSyncScope scope, string calendarId, string? deltaLink, CalendarCursor? resume,
        CalendarCursors<CalendarCursor> cursors, SemaphoreSlim slots, CancellationToken ct, bool recheck = false)
    {
        var windowStart = resume?.WindowStart is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : scope.WindowStart;
        var windowEnd = resume?.WindowEnd is { } e ? DateTimeOffset.FromUnixTimeSeconds(e) : scope.Horizon;
        var fullRound = deltaLink is null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var totals = new SyncTotals();
        // The next page is asked for while this one is logged; a request holds one of the mailbox's slots only while it
        // is on the wire (RequestSlots), not while its answer is parsed.
        Task<DeltaGetResponse?> Fetch(string? url)
        {
            using var _ = RequestSlots.Use(slots);
            var builder = graph.Client.Me.Calendars[calendarId].CalendarView.Delta;
            return GraphCalls.RunAsync(() => url is null
                ? builder.GetAsDeltaGetResponseAsync(r =>
                {
                    r.QueryParameters.StartDateTime = Iso(windowStart);
                    r.QueryParameters.EndDateTime = Iso(windowEnd);
                    Prefer(r.Headers);
                }, ct)
                : builder.WithUrl(url).GetAsDeltaGetResponseAsync(r => Prefer(r.Headers), ct), allowGone: url is not null);
        }
        var fetching = Fetch(deltaLink ?? resume?.NextLink);
        Task? ahead = null;
        try
        {
            while (true)
            {
                var page = await fetching;
                var next = page?.OdataNextLink;
                ahead = next is not null ? fetching = Fetch(next) : null;
                var events = (page?.Value ?? []).Select(item => GraphCalendarEvents.ToEvent(calendarId, item)).ToList();
                foreach (var item in events) seen.Add(MeetingKeys.Fit(item.EventId, CalendarLimits.EventIdChars));
                totals += await scope.LogAsync(log, events, recheck, ct);
                if (next is not null)
                {
                    if (fullRound) await cursors.SaveAsync(calendarId, new CalendarCursor(null, next, windowStart.ToUnixTimeSeconds(), windowEnd.ToUnixTimeSeconds()), ct);
                    continue;
                }
                if (fullRound && resume?.NextLink is null)
                    totals += await scope.LogAsync(log, await scope.GoneAsync(database, calendarId, windowStart, seen, ct, windowEnd), false, ct);
                await cursors.SaveAsync(calendarId, new CalendarCursor(page?.OdataDeltaLink ?? deltaLink), ct);
                return totals;
            }
        }
        catch when (ahead is not null)
        {
            try { await ahead; } catch (Exception) { /* the first failure is the one reported */ }
            throw;
        }
    }

    private static void Prefer(Microsoft.Kiota.Abstractions.RequestHeaders headers)
    {
        headers.Add("Prefer", $"odata.maxpagesize={PageSize}");
        headers.Add("Prefer", "outlook.timezone=\"UTC\"");
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
