using Crm.Core.Common;
using Crm.Core.Email;
using Crm.Core.Timeline;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Calendar;

/// <summary>One calendar entry of one connected calendar, read as the user it belongs to.</summary>
/// <param name="OwnerAddress">The calendar account's address: its owner organizes what it organizes (or what names no organizer).</param>
public sealed record MeetingToLog(long IntegrationId, long UserId, string? OwnerAddress, MeetingSource Source, CalendarEvent Event);

/// <param name="MeetingsOnly">Only events with a contact among the attendees are logged (the seed's syncMeetingsOnly).</param>
/// <param name="Horizon">Entries starting later are left for a later run (upcoming meetings, not a year of a weekly series).</param>
/// <param name="Recheck">Look at entries again even when their version is unchanged (the nightly run: contacts added since).</param>
public sealed record MeetingLogOptions(bool MeetingsOnly, DateTimeOffset Horizon, bool Recheck = false);

public sealed record MeetingLogResult(string EventId, CalendarEntryOutcome Outcome, string? Reason, long? ActivityId, bool Unchanged = false);

/// <summary>
/// Logs calendar entries as meetings (the seed's MeetingActivity and MeetingAttendee): attendees matched to contacts,
/// the meeting linked to them, their accounts and their one open deal; one meeting per invitation in a workspace
/// however many reps' calendars hold it (<see cref="MeetingKeys"/>). A moved entry moves the meeting; a cancelled one
/// marks it cancelled; one deleted by its organizer before it took place cancels it, while an attendee's deleting
/// their copy only takes it off their calendar. Each entry's outcome and version are kept
/// (<see cref="CalendarEventLink"/>), so an unchanged entry costs nothing the next time.
/// </summary>
public sealed class LogMeetingsHandler(ICrmDbFactory dbFactory, IEmailBodySanitizer sanitizer, TimeProvider clock)
{
    /// <summary>
    /// One batch written at a time in this process: calendars are read side by side, and writers queueing in the
    /// database (SQLite's busy wait backs off in long sleeps) cost far more than waiting here.
    /// </summary>
    private static readonly SemaphoreSlim SaveGate = new(1, 1);

    public async Task<IReadOnlyList<MeetingLogResult>> HandleAsync(IReadOnlyList<MeetingToLog> batch, MeetingLogOptions options, CancellationToken ct = default)
    {
        if (batch.Count == 0) return [];
        try
        {
            return await HandleTogetherAsync(batch, options, ct);
        }
        catch (DbUpdateException) when (batch.Count > 1)
        {
            // Another calendar logged one of these meetings at the same moment: one by one, each from what is stored.
        }
        var results = new List<MeetingLogResult>(batch.Count);
        foreach (var item in batch)
        {
            try
            {
                results.AddRange(await HandleTogetherAsync([item], options, ct));
            }
            catch (DbUpdateException)
            {
                results.AddRange(await HandleTogetherAsync([item], options, ct));
            }
        }
        return results;
    }

    private sealed class Batch
    {
        public required Dictionary<(long, string, string), CalendarEventLink> Links { get; init; }
        public required Dictionary<string, MeetingActivity> ByKey { get; init; }
        public required Dictionary<long, MeetingActivity> ById { get; init; }
        public Dictionary<MeetingActivity, List<ActivityLink>> ActivityLinks { get; } = new(ReferenceEqualityComparer.Instance);
        /// <summary>The open deals of every contact the batch's attendees matched, read in one query.</summary>
        public Dictionary<long, List<long>> OpenDeals { get; set; } = [];
    }

    private async Task<IReadOnlyList<MeetingLogResult>> HandleTogetherAsync(IReadOnlyList<MeetingToLog> batch, MeetingLogOptions options, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var rules = await LoggingRules.LoadAsync(db, ct);
        var integrations = batch.Select(b => b.IntegrationId).Distinct().ToList();
        var eventIds = batch.Select(b => MeetingKeys.Fit(b.Event.EventId, CalendarLimits.EventIdChars)).Distinct().ToList();
        var links = await db.CalendarEventLinks.Where(l => integrations.Contains(l.IntegrationId) && eventIds.Contains(l.EventId)).ToListAsync(ct);
        var keys = batch.Where(b => b.Event.State != EventState.Removed).Select(b => MeetingKeys.For(b.Event, b.IntegrationId)).Distinct().ToList();
        var linked = links.Where(l => l.ActivityId is not null).Select(l => l.ActivityId!.Value).Distinct().ToList();
        var meetings = await db.Activities.IgnoreQueryFilters(["SoftDelete"]).OfType<MeetingActivity>()
            .Where(m => (m.MeetingKey != null && keys.Contains(m.MeetingKey)) || linked.Contains(m.Id)).ToListAsync(ct);
        var state = new Batch
        {
            Links = links.ToDictionary(l => (l.IntegrationId, l.CalendarId, l.EventId)),
            ByKey = meetings.Where(m => m.MeetingKey is not null).GroupBy(m => m.MeetingKey!).ToDictionary(g => g.Key, g => g.OrderBy(m => m.Id).First(), StringComparer.Ordinal),
            ById = meetings.ToDictionary(m => m.Id),
        };
        var contacts = new ContactLookup();
        var addresses = batch.SelectMany(b => b.Event.Attendees.Take(CalendarLimits.Attendees).Select(a => a.Email)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        await contacts.PrefetchAsync(db, addresses, ct);
        var matchedIds = (await contacts.MatchAsync(db, addresses, ct)).Select(c => c.Id).Distinct().ToList();
        if (matchedIds.Count > 0)
            state.OpenDeals = (await db.DealContacts.Where(dc => matchedIds.Contains(dc.ContactId))
                    .Join(db.Deals, dc => dc.DealId, d => d.Id, (dc, d) => new { dc.ContactId, d.Id, d.Stage!.IsWon, d.Stage.IsLost })
                    .Where(x => !x.IsWon && !x.IsLost).ToListAsync(ct))
                .GroupBy(x => x.ContactId).ToDictionary(g => g.Key, g => g.Select(x => x.Id).Distinct().ToList());

        var decided = new List<(CalendarEventLink Link, MeetingLogResult Result)>(batch.Count);
        foreach (var item in batch)
        {
            ct.ThrowIfCancellationRequested();
            decided.Add(await DecideAsync(db, rules, contacts, state, item, options, ct));
        }
        await SaveGate.WaitAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            SaveGate.Release();
        }
        return decided.Select(d => d.Result with { ActivityId = d.Link.ActivityId }).ToList();
    }

    private async Task<(CalendarEventLink, MeetingLogResult)> DecideAsync(ICrmDb db, LoggingRules rules, ContactLookup lookup, Batch state, MeetingToLog item,
        MeetingLogOptions options, CancellationToken ct)
    {
        var e = item.Event;
        var now = clock.GetUtcNow();
        var calendarId = MeetingKeys.Fit(e.CalendarId, CalendarLimits.CalendarIdChars);
        var eventId = MeetingKeys.Fit(e.EventId, CalendarLimits.EventIdChars);
        if (!state.Links.TryGetValue((item.IntegrationId, calendarId, eventId), out var link))
        {
            link = new CalendarEventLink { IntegrationId = item.IntegrationId, CalendarId = calendarId, EventId = eventId, UserId = item.UserId };
            db.CalendarEventLinks.Add(link);
            state.Links[(item.IntegrationId, calendarId, eventId)] = link;
        }
        else if (!options.Recheck && e.State != EventState.Removed && e.Version is not null && link.Version == e.Version && link.Outcome != CalendarEntryOutcome.Removed)
        {
            return (link, new MeetingLogResult(e.EventId, link.Outcome, link.Reason, link.ActivityId, Unchanged: true));
        }
        link.SeenAt = now;
        link.UserId = item.UserId;
        var meeting = link.ActivityId is { } known && state.ById.TryGetValue(known, out var found) ? found : null;

        if (e.State == EventState.Removed)
        {
            if (meeting is not null && link.Outcome == CalendarEntryOutcome.Logged)
            {
                // The organizer took a meeting that has not happened off their calendar: it will not take place.
                if (link.OwnerOrganizes && meeting.StartTime > now) Cancel(meeting, now);
                else if (meeting.CalendarUserIds.Contains(item.UserId)) meeting.CalendarUserIds = meeting.CalendarUserIds.Where(u => u != item.UserId).ToList();
                // A meeting still to come that no connected calendar holds any more will not take place (its organizer,
                // not a user here, cancelled it: every copy went).
                if (meeting.CalendarUserIds.Count == 0 && meeting.StartTime > now && meeting.Source != MeetingSource.Manual) Cancel(meeting, now);
            }
            (link.Outcome, link.Reason, link.Version) = (CalendarEntryOutcome.Removed, null, null);
            return (link, new MeetingLogResult(e.EventId, CalendarEntryOutcome.Removed, null, link.ActivityId));
        }

        var key = MeetingKeys.For(e, item.IntegrationId);
        meeting ??= state.ByKey.GetValueOrDefault(key);
        link.Version = e.Version;
        if (e.State == EventState.Cancelled)
        {
            // A meeting that already took place stays as it happened (Google reports a deleted event as cancelled too).
            if (meeting is null || meeting.DeletedAt is not null) return (link, Set(link, CalendarEntryOutcome.Removed, null, null, e.EventId, keepActivity: false));
            if (meeting.StartTime > now) Cancel(meeting, now);
            return (link, Set(link, CalendarEntryOutcome.Logged, null, meeting, e.EventId, keepActivity: true));
        }

        link.Start = e.Start;
        link.OwnerOrganizes = e.Organizer is not { } organizer
                              || MailboxAddresses.Canonical(organizer.Email) == MailboxAddresses.Canonical(item.OwnerAddress);
        var attendees = e.Attendees
            .Select(a => a with { Email = MailboxAddresses.Normalize(a.Email)! })
            .Where(a => a.Email is not null)
            .DistinctBy(a => MailboxAddresses.Canonical(a.Email))
            .Take(CalendarLimits.Attendees)
            .ToList();
        if (attendees.Any(a => rules.IsNeverLogged(a.Email))) return (link, Skip(link, meeting, CalendarSkipReasons.NeverLog, e));
        var external = attendees.Where(a => !rules.IsInternal(a.Email) && MailboxAddresses.Canonical(a.Email) != MailboxAddresses.Canonical(item.OwnerAddress)).ToList();
        var matched = external.Count == 0 ? [] : await lookup.MatchAsync(db, external.Select(a => a.Email).ToList(), ct);
        if (matched.Count == 0 && options.MeetingsOnly)
            return (link, Skip(link, meeting, attendees.Count == 0 ? CalendarSkipReasons.Free : external.Count == 0 ? CalendarSkipReasons.Internal : CalendarSkipReasons.NoContact, e));
        if (meeting is null && e.Start > options.Horizon) return (link, Skip(link, null, CalendarSkipReasons.OutOfWindow, e));
        if (meeting?.DeletedAt is not null) return (link, Skip(link, null, CalendarSkipReasons.Deleted, e));

        if (meeting is null)
        {
            meeting = new MeetingActivity { MeetingKey = key, Source = item.Source, ExternalEventId = Cut(e.EventId, Common.FieldLimits.ExternalId), OwnerId = item.UserId };
            db.Activities.Add(meeting);
            state.ByKey[key] = meeting;
        }
        Apply(meeting, e, attendees, matched, now);
        if (!meeting.CalendarUserIds.Contains(item.UserId)) meeting.CalendarUserIds = [.. meeting.CalendarUserIds, item.UserId];
        // The organizer's own calendar makes them the meeting's owner (a teammate's copy may have come first).
        if (link.OwnerOrganizes && e.Organizer is not null) meeting.OwnerId = item.UserId;
        await LinkAsync(db, meeting, matched, state, ct);
        return (link, Set(link, CalendarEntryOutcome.Logged, null, meeting, e.EventId, keepActivity: true));
    }

    private void Apply(MeetingActivity meeting, CalendarEvent e, List<EventAttendee> attendees, List<MatchedContact> matched, DateTimeOffset now)
    {
        var contactOf = matched.ToDictionary(m => MailboxAddresses.Canonical(m.MatchedAddress)!, m => m.Id);
        meeting.Title = Cut(string.IsNullOrWhiteSpace(e.Title) ? "(no title)" : e.Title.Trim(), Common.FieldLimits.LongName);
        meeting.Description = e.Description is { Length: > 0 } d ? Cut(LooksLikeHtml(d) ? sanitizer.TextOf(d) : d, Common.FieldLimits.Body) : null;
        meeting.Location = e.Location is { Length: > 0 } l ? Cut(l.Trim(), Common.FieldLimits.LongName) : null;
        meeting.MeetingUrl = MeetingLinks.Find(e.ConferenceUrl, e.Location, e.Description);
        meeting.StartTime = e.Start;
        meeting.EndTime = e.End < e.Start ? e.Start : e.End;
        meeting.OccurredAt = e.Start;
        meeting.IsAllDay = e.AllDay;
        meeting.TimeZone = e.TimeZone is { Length: <= 64 } zone ? zone : null;
        meeting.IsPrivate = e.IsPrivate;
        meeting.Attendees = attendees.Select(a => new MeetingAttendee(Cut(a.Email, Common.FieldLimits.Email), a.Name is null ? null : Cut(a.Name, Common.FieldLimits.LongName),
            a.Response, a.IsOrganizer, contactOf.TryGetValue(MailboxAddresses.Canonical(a.Email)!, out var id) ? id : null)).ToList();
        if (meeting.ContactId is null && matched.Count > 0) (meeting.ContactId, meeting.AccountId) = (matched[0].Id, matched[0].AccountId);
        // Back on after a cancellation (the organizer restored it): no longer cancelled.
        if (meeting.CancelledAt is not null)
        {
            meeting.CancelledAt = null;
            if (meeting.Outcome == MeetingOutcome.Cancelled) meeting.Outcome = null;
        }
    }

    private static void Cancel(MeetingActivity meeting, DateTimeOffset now)
    {
        meeting.CancelledAt ??= now;
        meeting.Outcome ??= MeetingOutcome.Cancelled;
    }

    private static MeetingLogResult Skip(CalendarEventLink link, MeetingActivity? meeting, string reason, CalendarEvent e)
    {
        // An entry that no longer qualifies (the contact left the invitation) leaves the meeting as it was logged.
        if (meeting is not null && reason != CalendarSkipReasons.Deleted) return Set(link, CalendarEntryOutcome.Logged, null, meeting, e.EventId, keepActivity: true);
        return Set(link, CalendarEntryOutcome.Skipped, reason, null, e.EventId, keepActivity: false);
    }

    private static MeetingLogResult Set(CalendarEventLink link, CalendarEntryOutcome outcome, string? reason, MeetingActivity? meeting, string eventId, bool keepActivity)
    {
        (link.Outcome, link.Reason) = (outcome, reason);
        if (keepActivity && meeting is not null) link.Activity = meeting;
        else if (!keepActivity) (link.Activity, link.ActivityId) = (null, null);
        return new MeetingLogResult(eventId, outcome, reason, null);
    }

    private async Task LinkAsync(ICrmDb db, MeetingActivity meeting, List<MatchedContact> contacts, Batch state, CancellationToken ct)
    {
        if (!state.ActivityLinks.TryGetValue(meeting, out var existing))
            state.ActivityLinks[meeting] = existing = meeting.Id == 0 ? [] : await db.ActivityLinks.Where(l => l.ActivityId == meeting.Id).ToListAsync(ct);
        var contactIds = contacts.Select(c => c.Id).Distinct().ToList();
        var accountIds = contacts.Where(c => c.AccountId is not null).Select(c => c.AccountId!.Value).Distinct().ToList();
        void Add(long? contactId, long? accountId, long? dealId)
        {
            if (existing.Any(l => l.ContactId == contactId && l.AccountId == accountId && l.DealId == dealId)) return;
            var link = new ActivityLink { Activity = meeting, ContactId = contactId, AccountId = accountId, DealId = dealId };
            existing.Add(link);
            db.ActivityLinks.Add(link);
        }
        foreach (var id in contactIds) Add(id, null, null);
        foreach (var id in accountIds) Add(null, id, null);
        if (meeting.DealId is null && contactIds.Count > 0)
        {
            // Suggested: the one open deal these contacts are on; with several the rep picks.
            var open = contactIds.SelectMany(id => state.OpenDeals.GetValueOrDefault(id) ?? []).Distinct().Take(2).ToList();
            if (open.Count == 1)
            {
                meeting.DealId = open[0];
                Add(null, null, open[0]);
            }
        }
    }

    private static bool LooksLikeHtml(string text) => text.Contains('<') && (text.Contains("</", StringComparison.Ordinal) || text.Contains("<br", StringComparison.OrdinalIgnoreCase));

    private static string Cut(string value, int length) => value.Length <= length ? value : value[..length];
}
