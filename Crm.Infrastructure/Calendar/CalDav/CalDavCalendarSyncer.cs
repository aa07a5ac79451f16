using System.Text.Json;
using Crm.Core.Calendar;
using Crm.Core.Integrations.CalDav;
using Crm.Core.Integrations.Calls;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Timeline;
using Crm.Infrastructure.Persistence;
using Microsoft.Extensions.Logging;

namespace Crm.Infrastructure.Calendar.CalDav;

/// <summary>
/// A rep's Apple (iCloud) or other CalDAV calendars into the timelines, by polling as the seed says (CalDAV has no push):
/// per chosen calendar, what changed since the last sync token (<c>sync-collection</c>, RFC 6578) — or, on a server
/// without it, the ETags compared with the last poll's — then the changed resources fetched with
/// <c>calendar-multiget</c>, parsed by Ical.Net and expanded into their occurrences in the window. Occurrences a changed
/// resource no longer has, and every occurrence of a removed one, are gone. A refused token reads the calendar in full;
/// the nightly run does too (the window moves on). A resource that is not valid iCalendar is skipped and counted.
/// </summary>
public sealed class CalDavCalendarSyncer(CalDavClient client, CalDavAccounts accounts, LogMeetingsHandler log, IConnectionStatus status, CrmDatabase database,
    CalDavAppSettings settings, TimeProvider time, ILogger<CalDavCalendarSyncer> logger) : IConnectionSyncer
{
    public const string Objects = "events";

    public string Provider => IntegrationProviders.CalDav;
    public IntegrationType Type => IntegrationType.Calendar;
    public string ObjectType => Objects;

    /// <summary>A calendar's sync token, or (servers without sync-collection) each resource's ETag at the last poll.</summary>
    private sealed record CalendarCursor(string? SyncToken, Dictionary<string, string?>? ETags = null);

    public async Task<SyncTotals> SyncAsync(ConnectionRef connection, bool full, CancellationToken ct)
    {
        var scope = await CalendarSyncScope.LoadAsync(database, connection, MeetingSource.CalDav, settings.CalendarPastDays, settings.CalendarFutureDays, time.GetUtcNow(), ct);
        var account = await accounts.ForAsync(connection, ct);
        await scope.EnsureCalendarsAsync(database, async () => await new CalDavProvider(client, accounts).ListCalendarsAsync(connection, ct), ct);
        if (!scope.ReadsIn) return new SyncTotals();
        var cursors = await status.CursorAsync(connection, Objects, ct) is { } text
            ? JsonSerializer.Deserialize<Dictionary<string, CalendarCursor>>(text) ?? []
            : new Dictionary<string, CalendarCursor>();
        var totals = new SyncTotals();
        foreach (var calendar in scope.Settings.SelectedCalendars)
        {
            var url = new Uri(calendar.Id);
            var cursor = full ? null : cursors.GetValueOrDefault(calendar.Id);
            var (changed, removed, next, whole) = await ChangesAsync(account, url, cursor, ct);
            var fetched = await client.MultigetAsync(account, url, changed.Select(c => c.Href).ToList(), ct);
            var events = new List<CalendarEvent>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var resource in fetched)
            {
                try
                {
                    foreach (var e in CalDavEvents.ToEvents(calendar.Id, resource, calendar.TimeZone, scope.WindowStart, scope.Horizon))
                    {
                        events.Add(e);
                        seen.Add(MeetingKeys.Fit(e.EventId, CalendarLimits.EventIdChars));
                    }
                }
                catch (FormatException e)
                {
                    totals += new SyncTotals(Errors: 1);
                    logger.LogWarning("A resource of calendar connection {Connection} is not valid iCalendar and was skipped: {Message}", connection.IntegrationId, e.Message);
                }
            }
            // Occurrences a changed resource no longer has, every occurrence of a removed one, and (after a whole read) resources no longer listed.
            var gone = (await scope.KnownUnderAsync(database, calendar.Id, [.. changed.Select(c => c.Href), .. removed], scope.WindowStart, ct))
                .Where(id => !seen.Contains(id)).Select(id => CalendarEvent.Gone(calendar.Id, id)).ToList();
            if (whole) gone.AddRange((await scope.GoneAsync(database, calendar.Id, scope.WindowStart, seen, ct, scope.Horizon)).Where(g => gone.All(x => x.EventId != g.EventId)));
            foreach (var page in events.Concat(gone).Chunk(200)) totals += await scope.LogAsync(log, page, recheck: full, ct);
            cursors[calendar.Id] = next;
            await status.SaveProgressAsync(connection, Objects, JsonSerializer.Serialize(cursors), totals.ReadIn, totals.WrittenIn, ct);
        }
        return totals;
    }

    /// <summary>The resources to fetch, the hrefs removed, the cursor to keep, and whether this was a whole read.</summary>
    private async Task<(List<CalDavResource> Changed, List<string> Removed, CalendarCursor Next, bool Whole)> ChangesAsync(CalDavAccount account, Uri calendar,
        CalendarCursor? cursor, CancellationToken ct)
    {
        if (cursor?.ETags is null)
        {
            try
            {
                var changes = await client.SyncCollectionAsync(account, calendar, cursor?.SyncToken, ct);
                return (changes.Changed, changes.Removed, new CalendarCursor(changes.Token), cursor?.SyncToken is null);
            }
            catch (CalDavSyncTokenInvalidException)
            {
                var all = await client.SyncCollectionAsync(account, calendar, null, ct);
                return (all.Changed, all.Removed, new CalendarCursor(all.Token), true);
            }
            catch (ProviderApiException e) when (e.StatusCode is 400 or 403 or 405 or 415 or 501)
            {
                // No sync-collection here: ETags from now on.
            }
        }
        var listed = await client.ListAsync(account, calendar, ct);
        var before = cursor?.ETags ?? [];
        var changed = listed.Where(r => !before.TryGetValue(r.Href, out var etag) || etag != r.ETag).ToList();
        var removed = before.Keys.Where(h => listed.All(r => r.Href != h)).ToList();
        return (changed, removed, new CalendarCursor(null, listed.ToDictionary(r => r.Href, r => r.ETag)), cursor?.ETags is null);
    }
}
