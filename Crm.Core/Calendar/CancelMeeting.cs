using Crm.Core.Common;
using Crm.Core.Timeline;

namespace Crm.Core.Calendar;

/// <summary>
/// A meeting made in the CRM called off: marked cancelled on every timeline and cancelled in the calendar it was placed
/// in (the provider tells the attendees). A meeting from someone's calendar is cancelled there by its organizer.
/// </summary>
public sealed class CancelMeetingHandler(ICrmDbFactory dbFactory, MeetingCalendarWriter calendars, TimeProvider time)
{
    public async Task<ScheduledMeeting> HandleAsync(long meetingId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var meeting = await db.Activities.OfType<MeetingActivity>().GetAsync(meetingId, "Meeting", ct);
        MeetingAccess.EnsureCanChange(db.Actor, meeting);
        if (meeting.Source != MeetingSource.Manual)
            throw new ValidationFailedException("Source", "This meeting comes from a calendar: its organizer cancels it there (or set its outcome to cancelled).");
        if (meeting.CancelledAt is not null) return new ScheduledMeeting(ActivityDto.Of(meeting), CalendarPlacement.NotConnected);
        meeting.CancelledAt = time.GetUtcNow();
        meeting.Outcome = MeetingOutcome.Cancelled;
        await Concurrency.SaveAsync(db, "Meeting", meeting, ct);
        var placement = await calendars.CancelAsync(db, meeting, ct);
        await db.SaveChangesAsync(ct);
        return new ScheduledMeeting(ActivityDto.Of(meeting), placement);
    }
}
