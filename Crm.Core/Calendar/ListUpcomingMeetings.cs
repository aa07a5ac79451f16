using Crm.Core.Common;
using Crm.Core.Timeline;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Calendar;

/// <summary>A meeting still to come, as a contact's page lists it.</summary>
public sealed record UpcomingMeeting(long Id, string Title, DateTimeOffset StartTime, DateTimeOffset EndTime, bool IsAllDay, string? TimeZone, string? Location,
    string? MeetingUrl, int Attendees, long? OwnerId, MeetingSource Source);

/// <summary>
/// A contact's (or account's, or deal's) meetings that have not ended yet, soonest first, cancelled ones left out; a
/// private meeting shows to others as "Private meeting" without its place or link.
/// </summary>
public sealed class ListUpcomingMeetingsHandler(ICrmDbFactory dbFactory, TimeProvider time)
{
    public const int MaxItems = 20;

    public async Task<IReadOnlyList<UpcomingMeeting>> HandleAsync(RecordType recordType, long recordId, int take = 5, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        await db.EnsureExistsAsync(recordType, recordId, ct);
        var now = time.GetUtcNow();
        var linked = recordType switch
        {
            RecordType.Contact => db.ActivityLinks.Where(l => l.ContactId == recordId).Select(l => l.ActivityId),
            RecordType.Account => db.ActivityLinks.Where(l => l.AccountId == recordId).Select(l => l.ActivityId),
            _ => db.ActivityLinks.Where(l => l.DealId == recordId).Select(l => l.ActivityId),
        };
        var meetings = db.Activities.AsNoTracking().OfType<MeetingActivity>()
            .Where(m => m.CancelledAt == null && m.EndTime > now)
            .Where(m => linked.Contains(m.Id)
                        || (recordType == RecordType.Contact && m.ContactId == recordId)
                        || (recordType == RecordType.Account && m.AccountId == recordId)
                        || (recordType == RecordType.Deal && m.DealId == recordId));
        var rows = await meetings.OrderBy(m => m.StartTime).ThenBy(m => m.Id).Take(Math.Clamp(take, 1, MaxItems)).ToListAsync(ct);
        return rows.Select(m => MeetingAccess.CanSee(db.Actor, m)
            ? new UpcomingMeeting(m.Id, m.Title, m.StartTime, m.EndTime, m.IsAllDay, m.TimeZone, m.Location, m.MeetingUrl, m.Attendees.Count, m.OwnerId, m.Source)
            : new UpcomingMeeting(m.Id, "Private meeting", m.StartTime, m.EndTime, m.IsAllDay, m.TimeZone, null, null, m.Attendees.Count, m.OwnerId, m.Source)).ToList();
    }
}
