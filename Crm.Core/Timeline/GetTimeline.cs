using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Timeline;

/// <summary>Where the previous page ended; the next page starts strictly after it (keyset paging, stable while new items arrive).</summary>
public sealed record TimelineCursor(DateTimeOffset OccurredAt, long Id);

/// <summary>
/// An activity with the names a timeline shows next to it. <paramref name="BodyHidden"/>: an email whose body the
/// viewer may not read (the workspace keeps bodies to the people whose mailbox had them); subject and participants stay.
/// </summary>
public sealed record TimelineEntry(Activity Activity, string? ContactName, string? DealName, string? OwnerName, bool BodyHidden = false,
    IReadOnlyList<Email.EmailAttachmentInfo>? Attachments = null);

public sealed record TimelinePage(IReadOnlyList<TimelineEntry> Entries, TimelineCursor? Next);

/// <summary>
/// A record's timeline, newest first. An account's includes what happened with its contacts and deals;
/// a contact's and a deal's hold what is linked to them.
/// </summary>
public sealed class GetTimelineHandler(ICrmDbFactory dbFactory)
{
    private const string SoftDelete = "SoftDelete";

    public const int DefaultPageSize = 20;

    public async Task<TimelinePage> HandleAsync(RecordType recordType, long recordId, TimelineCursor? after = null,
        int pageSize = DefaultPageSize, ActivityType? type = null, CancellationToken ct = default)
    {
        pageSize = Math.Clamp(pageSize, 1, 100);
        await using var db = await dbFactory.CreateAsync(ct);
        await db.EnsureExistsAsync(recordType, recordId, ct);
        var activities = db.Activities.AsNoTracking().OfType(type);
        // Emails (and later meetings) reach further records through links; a link to a contact or account merged into
        // this one counts as this one's (undoing the merge gives it back without rewriting links).
        switch (recordType)
        {
            case RecordType.Contact:
                var mergedContacts = db.Contacts.IgnoreQueryFilters([SoftDelete]).Where(c => c.MergedIntoId == recordId).Select(c => (long?)c.Id);
                var linkedToContact = db.ActivityLinks.Where(l => l.ContactId == recordId || mergedContacts.Contains(l.ContactId)).Select(l => l.ActivityId);
                activities = activities.Where(a => a.ContactId == recordId || linkedToContact.Contains(a.Id));
                break;
            case RecordType.Account:
                var contactIds = db.Contacts.Where(c => c.AccountId == recordId).Select(c => (long?)c.Id);
                var dealIds = db.Deals.Where(d => d.AccountId == recordId).Select(d => (long?)d.Id);
                var mergedAccounts = db.Accounts.IgnoreQueryFilters([SoftDelete]).Where(c => c.MergedIntoId == recordId).Select(c => (long?)c.Id);
                var linkedToAccount = db.ActivityLinks.Where(l => l.AccountId == recordId || mergedAccounts.Contains(l.AccountId)).Select(l => l.ActivityId);
                activities = activities.Where(a => a.AccountId == recordId || contactIds.Contains(a.ContactId) || dealIds.Contains(a.DealId) || linkedToAccount.Contains(a.Id));
                break;
            case RecordType.Deal:
                var linkedToDeal = db.ActivityLinks.Where(l => l.DealId == recordId).Select(l => l.ActivityId);
                activities = activities.Where(a => a.DealId == recordId || linkedToDeal.Contains(a.Id));
                break;
        }
        if (after is not null)
            activities = activities.Where(a => a.OccurredAt < after.OccurredAt || (a.OccurredAt == after.OccurredAt && a.Id < after.Id));

        var page = await activities.OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id).Take(pageSize + 1).ToListAsync(ct);
        var hasMore = page.Count > pageSize;
        if (hasMore) page.RemoveAt(page.Count - 1);

        var contactIdsOnPage = page.Where(a => a.ContactId is not null).Select(a => a.ContactId!.Value).Distinct().ToList();
        var dealIdsOnPage = page.Where(a => a.DealId is not null).Select(a => a.DealId!.Value).Distinct().ToList();
        var ownerIdsOnPage = page.Where(a => a.OwnerId is not null).Select(a => a.OwnerId!.Value).Distinct().ToList();
        var contactNames = (await db.Contacts.Where(c => contactIdsOnPage.Contains(c.Id))
                .Select(c => new { c.Id, c.FirstName, c.LastName, c.Email }).ToListAsync(ct))
            .ToDictionary(c => c.Id, c => Contacts.ContactNames.Display(c.FirstName, c.LastName, c.Email));
        var dealNames = await db.Deals.Where(d => dealIdsOnPage.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        var ownerNames = await db.Users.Where(u => ownerIdsOnPage.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);

        var bodies = await Email.EmailBodyAccess.ForAsync(db, ct);
        foreach (var meeting in page.OfType<MeetingActivity>()) bodies.Shown(meeting);
        var attachments = await Email.GetEmailAttachmentHandler.ListAsync(db,
            page.OfType<EmailActivity>().Where(e => e.AttachmentCount > 0 && bodies.CanRead(e)).Select(e => e.Id).ToList(), ct);
        var entries = page.Select(a => new TimelineEntry(a,
                a.ContactId is { } c ? contactNames.GetValueOrDefault(c) : null,
                a.DealId is { } d ? dealNames.GetValueOrDefault(d) : null,
                a.OwnerId is { } o ? ownerNames.GetValueOrDefault(o) : null,
                a is EmailActivity email && !bodies.CanRead(email) && bodies.Hide(email),
                attachments.Contains(a.Id) ? attachments[a.Id].ToList() : null))
            .ToList();
        return new TimelinePage(entries, hasMore ? new TimelineCursor(page[^1].OccurredAt, page[^1].Id) : null);
    }
}
