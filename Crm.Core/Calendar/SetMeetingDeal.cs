using Crm.Core.Common;
using Crm.Core.Timeline;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Calendar;

/// <summary>
/// The deal a meeting is about, as the rep picks it (the log suggests the contacts' one open deal): the meeting moves to
/// that deal's timeline; null takes it off any deal.
/// </summary>
public sealed class SetMeetingDealHandler(ICrmDbFactory dbFactory)
{
    public async Task<ActivityDto> HandleAsync(long meetingId, long? dealId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var meeting = await db.Activities.OfType<MeetingActivity>().GetAsync(meetingId, "Meeting", ct);
        MeetingAccess.EnsureCanChange(db.Actor, meeting);
        if (dealId is { } id && !await db.Deals.AnyAsync(d => d.Id == id, ct)) throw new ValidationFailedException("DealId", "No such deal in this workspace.");
        var dealLinks = await db.ActivityLinks.Where(l => l.ActivityId == meeting.Id && l.DealId != null).ToListAsync(ct);
        db.ActivityLinks.RemoveRange(dealLinks.Where(l => l.DealId != dealId));
        if (dealId is { } chosen && dealLinks.All(l => l.DealId != chosen))
            db.ActivityLinks.Add(new ActivityLink { ActivityId = meeting.Id, DealId = chosen });
        meeting.DealId = dealId;
        await Concurrency.SaveAsync(db, "Meeting", meeting, ct);
        return ActivityDto.Of(meeting);
    }
}
