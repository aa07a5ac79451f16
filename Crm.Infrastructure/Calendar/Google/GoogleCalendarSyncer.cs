using System.Text.Json;
using System.Threading.Channels;
using Crm.Core.Calendar;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Google;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Timeline;
using Crm.Infrastructure.Persistence;

namespace Crm.Infrastructure.Calendar.Google;

/// <summary>
/// A rep's Google calendars into the timelines. Each chosen calendar is read on its own: first from the window's start
/// (occurrences of series expanded, a page at a time, the page token saved after each page), then by the sync token
/// Google gave with the last page — changed, moved, cancelled and deleted events only. A sync token Google no longer
/// accepts (410) reads the calendar in full again: what was logged is recognised by its version, and what the calendar
/// no longer holds is found by comparison. The nightly run does the same with every entry looked at again (contacts
/// added since, meetings come into the window). Where push is configured each calendar is watched
/// (<see cref="GoogleCalendarWatches"/>); polling stays underneath.
/// </summary>
public sealed class GoogleCalendarSyncer(GoogleCalendarApi api, LogMeetingsHandler log, IConnectionStatus status, CrmDatabase database, GoogleAppSettings settings,
    GoogleCalendarWatches watches, TimeProvider time) : IConnectionSyncer
{
    public const string Objects = "events";
    /// <summary>
    /// Every chosen calendar at once (up to 8): with fewer lanes than calendars the last one was read alone at the end,
    /// a page at a time, far under the quota; the connection's budget paces them together.
    /// </summary>
    public const int CalendarsAtOnce = 8;

    public string Provider => IntegrationProviders.Google;
    public IntegrationType Type => IntegrationType.Calendar;
    public string ObjectType => Objects;

    /// <summary>Where each calendar stands: its sync token, or the next page of its first read.</summary>
    private sealed record CalendarCursor(string? SyncToken, string? PageToken = null, long? WindowStart = null);

    public async Task<SyncTotals> SyncAsync(ConnectionRef connection, bool full, CancellationToken ct)
    {
        var scope = await CalendarSyncScope.LoadAsync(database, connection, MeetingSource.Google, settings.CalendarPastDays, settings.CalendarFutureDays, time.GetUtcNow(), ct);
        await scope.EnsureCalendarsAsync(database, async () => await new GoogleCalendarProvider(api).ListCalendarsAsync(connection, ct), ct);
        if (!scope.ReadsIn) return new SyncTotals();
        var cursors = new CalendarCursors<CalendarCursor>(status, connection, Objects, await status.CursorAsync(connection, Objects, ct));
        var totals = new SyncTotals();
        // Calendars side by side (the connection's budget paces them together): one calendar's logging overlaps another's reads.
        await Parallel.ForEachAsync(scope.Settings.SelectedCalendars, new ParallelOptions { MaxDegreeOfParallelism = CalendarsAtOnce, CancellationToken = ct }, async (calendar, token) =>
        {
            var cursor = cursors.Get(calendar.Id);
            SyncTotals done;
            if (cursor?.SyncToken is { } syncToken && !full)
            {
                try
                {
                    done = await IncrementalAsync(scope, calendar, syncToken, cursors, token);
                    cursors.Add(done);
                    return;
                }
                catch (GoogleSyncTokenExpiredException)
                {
                    cursor = null;
                }
            }
            done = await FullReadAsync(scope, calendar, full ? null : cursor, recheck: full, cursors, token);
            cursors.Add(done);
        });
        totals += cursors.Totals;
        await watches.EnsureAsync(connection, scope.Settings.SelectedCalendars.Select(c => c.Id).ToList(), ct);
        return totals;
    }

    private async Task<SyncTotals> IncrementalAsync(CalendarSyncScope scope, CalendarChoice calendar, string syncToken, CalendarCursors<CalendarCursor> cursors,
        CancellationToken ct)
    {
        var totals = new SyncTotals();
        string? page = null;
        while (true)
        {
            var result = await api.EventsAsync(scope.Connection, calendar.Id, syncToken, null, page, ct);
            var events = (result.Items ?? []).Select(i => GoogleCalendarEvents.ToEvent(calendar.Id, i, result.TimeZone ?? calendar.TimeZone)).ToList();
            totals += await scope.LogAsync(log, events, recheck: false, ct);
            page = result.NextPageToken;
            if (page is null)
            {
                await cursors.SaveAsync(calendar.Id, new CalendarCursor(result.NextSyncToken ?? syncToken), ct);
                return totals;
            }
        }
    }

    /// <summary>
    /// Pages read ahead of the one being logged: the next request goes out the moment a page arrives, not when the
    /// page before it is logged, so the connection's paced budget always has a request waiting (a page logged slowly
    /// on a busy machine otherwise left the budget idle) — and at most this many pages wait in memory per calendar.
    /// </summary>
    public const int PagesAhead = 2;

    /// <summary>The calendar from the window's start (a stopped first read goes on from its saved page), then what it no longer holds.</summary>
    private async Task<SyncTotals> FullReadAsync(CalendarSyncScope scope, CalendarChoice calendar, CalendarCursor? resume, bool recheck,
        CalendarCursors<CalendarCursor> cursors, CancellationToken ct)
    {
        var windowStart = resume?.WindowStart is { } started ? DateTimeOffset.FromUnixTimeSeconds(started) : scope.WindowStart;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var totals = new SyncTotals();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pages = Channel.CreateBounded<GoogleEventsPage>(new BoundedChannelOptions(PagesAhead - 1) { SingleReader = true, SingleWriter = true });
        var reading = ReadPagesAsync(scope.Connection, calendar.Id, windowStart, resume?.PageToken, pages.Writer, stop.Token);
        try
        {
            await foreach (var result in pages.Reader.ReadAllAsync(ct))
            {
                var events = (result.Items ?? []).Select(i => GoogleCalendarEvents.ToEvent(calendar.Id, i, result.TimeZone ?? calendar.TimeZone)).ToList();
                foreach (var e in events) seen.Add(MeetingKeys.Fit(e.EventId, CalendarLimits.EventIdChars));
                totals += await scope.LogAsync(log, events, recheck, ct);
                if (result.NextPageToken is { } following)
                {
                    await cursors.SaveAsync(calendar.Id, new CalendarCursor(null, following, windowStart.ToUnixTimeSeconds()), ct);
                    continue;
                }
                // A read that resumed mid-way did not see the first pages: nothing is judged gone from it.
                if (resume?.PageToken is null) totals += await scope.LogAsync(log, await scope.GoneAsync(database, calendar.Id, windowStart, seen, ct), false, ct);
                await cursors.SaveAsync(calendar.Id, new CalendarCursor(result.NextSyncToken), ct);
            }
            await reading;
            return totals;
        }
        finally
        {
            // Logging failed or was cancelled: the pages still coming are not wanted.
            await stop.CancelAsync();
            try { await reading; } catch (Exception) when (stop.IsCancellationRequested) { /* the first failure is the one reported */ }
        }
    }

    /// <summary>Reads the calendar's pages one after another into <paramref name="pages"/>; a failure ends the channel with it.</summary>
    private async Task ReadPagesAsync(ConnectionRef connection, string calendarId, DateTimeOffset windowStart, string? pageToken,
        ChannelWriter<GoogleEventsPage> pages, CancellationToken ct)
    {
        try
        {
            do
            {
                var result = await api.EventsAsync(connection, calendarId, null, windowStart, pageToken, ct);
                await pages.WriteAsync(result, ct);
                pageToken = result.NextPageToken;
            }
            while (pageToken is not null);
            pages.Complete();
        }
        catch (Exception e)
        {
            pages.Complete(e);
        }
    }
}
