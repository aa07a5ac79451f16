using Crm.Core.Calendar;
using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Timeline;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Calendar;

/// <summary>
/// What one run of a calendar connection works with, whatever the provider: whose calendar it is, the calendars chosen,
/// the window (past days to the horizon), and the meeting log its pages go to. After a calendar is read in full, the
/// entries it no longer holds are found by comparing with what was logged from it (<see cref="GoneAsync"/>).
/// </summary>
public sealed class CalendarSyncScope
{
    private CalendarSyncScope(ConnectionRef connection, long userId, string? ownerAddress, CalendarSettings settings, SyncDirection direction, MeetingSource source,
        DateTimeOffset windowStart, DateTimeOffset horizon)
    {
        (Connection, UserId, OwnerAddress, Settings, Direction, Source, WindowStart, Horizon) =
            (connection, userId, ownerAddress, settings, direction, source, windowStart, horizon);
    }

    public ConnectionRef Connection { get; }
    public long UserId { get; }
    public string? OwnerAddress { get; }
    public CalendarSettings Settings { get; private set; }
    public SyncDirection Direction { get; }
    public MeetingSource Source { get; }
    public DateTimeOffset WindowStart { get; }
    public DateTimeOffset Horizon { get; }

    public bool ReadsIn => Direction != SyncDirection.OutOnly;

    public static async Task<CalendarSyncScope> LoadAsync(CrmDatabase database, ConnectionRef connection, MeetingSource source, int pastDays, int futureDays,
        DateTimeOffset now, CancellationToken ct)
    {
        await using var db = database.Create(Actor.System(connection.WorkspaceId));
        var row = await db.Integrations.AsNoTracking().SingleAsync(i => i.Id == connection.IntegrationId, ct);
        var owner = row.OwnerUserId ?? throw new InvalidOperationException("A calendar connection belongs to a user.");
        var address = row.AccountName is { } name && name.Contains('@') ? name : await db.Users.Where(u => u.Id == owner).Select(u => u.Email).SingleOrDefaultAsync(ct);
        return new CalendarSyncScope(connection, owner, address, CalendarSettings.Parse(row.CalendarSettings), row.Direction, source,
            now.AddDays(-Math.Clamp(pastDays, 1, 3650)), now.AddDays(Math.Clamp(futureDays, 1, 3650)));
    }

    /// <summary>A connection that has never listed its calendars gets the provider's list, its primary calendar selected.</summary>
    public async Task EnsureCalendarsAsync(CrmDatabase database, Func<Task<IReadOnlyList<CalendarChoice>>> list, CancellationToken ct)
    {
        if (Settings.Calendars.Count > 0) return;
        var refreshed = Settings.Refreshed(await list());
        await using var db = database.Create(Actor.System(Connection.WorkspaceId));
        var row = await db.Integrations.SingleAsync(i => i.Id == Connection.IntegrationId, ct);
        row.CalendarSettings = refreshed.ToJson();
        await db.SaveChangesAsync(ct);
        Settings = refreshed;
    }

    /// <summary>One page of a calendar into the meeting log; the totals it adds (read, and meetings logged or changed).</summary>
    public async Task<SyncTotals> LogAsync(LogMeetingsHandler log, IReadOnlyList<CalendarEvent> events, bool recheck, CancellationToken ct)
    {
        if (events.Count == 0) return new SyncTotals();
        var results = await log.HandleAsync(events.Select(e => new MeetingToLog(Connection.IntegrationId, UserId, OwnerAddress, Source, e)).ToList(),
            new MeetingLogOptions(Settings.MeetingsOnly, Horizon, recheck), ct);
        return new SyncTotals(ReadIn: events.Count, WrittenIn: results.Count(r => r.Outcome == CalendarEntryOutcome.Logged && !r.Unchanged));
    }

    /// <summary>
    /// Entries logged from <paramref name="calendarId"/> that a full read from <paramref name="since"/> did not return:
    /// gone from the calendar (deleted while no sync token covered it). A read of a bounded window says nothing of what starts after it.
    /// </summary>
    public async Task<List<CalendarEvent>> GoneAsync(CrmDatabase database, string calendarId, DateTimeOffset since, IReadOnlySet<string> seen, CancellationToken ct,
        DateTimeOffset? until = null)
    {
        var end = until ?? DateTimeOffset.MaxValue;
        await using var db = database.Create(Actor.System(Connection.WorkspaceId));
        var id = MeetingKeys.Fit(calendarId, CalendarLimits.CalendarIdChars);
        var known = await db.CalendarEventLinks.AsNoTracking()
            .Where(l => l.IntegrationId == Connection.IntegrationId && l.CalendarId == id && l.Outcome != CalendarEntryOutcome.Removed && l.Start >= since && l.Start < end)
            .Select(l => l.EventId).ToListAsync(ct);
        return known.Where(e => !seen.Contains(e)).Select(e => CalendarEvent.Gone(calendarId, e)).ToList();
    }

    /// <summary>
    /// What was logged from these resources of a calendar (CalDAV: an href and its occurrences "href#start") from
    /// <paramref name="since"/> on: a resource that changed or went may have lost some of them.
    /// </summary>
    public async Task<List<string>> KnownUnderAsync(CrmDatabase database, string calendarId, IReadOnlyCollection<string> hrefs, DateTimeOffset since, CancellationToken ct)
    {
        if (hrefs.Count == 0) return [];
        await using var db = database.Create(Actor.System(Connection.WorkspaceId));
        var id = MeetingKeys.Fit(calendarId, CalendarLimits.CalendarIdChars);
        // Compared here rather than in SQL: an occurrence's id is its resource's href and a start.
        var wanted = hrefs.ToHashSet(StringComparer.Ordinal);
        var rows = await db.CalendarEventLinks.AsNoTracking()
            .Where(l => l.IntegrationId == Connection.IntegrationId && l.CalendarId == id && l.Outcome != CalendarEntryOutcome.Removed && (l.Start == null || l.Start >= since))
            .Select(l => l.EventId).ToListAsync(ct);
        return rows.Where(e => wanted.Contains(e) || (e.IndexOf('#') is var hash and > 0 && wanted.Contains(e[..hash]))).ToList();
    }
}
