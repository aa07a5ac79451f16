using System.ComponentModel.DataAnnotations;
using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Core.Timeline;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Calendar;

public sealed class RescheduleMeetingInput
{
    [MaxLength(FieldLimits.LongName)] public string? Title { get; set; }
    [MaxLength(FieldLimits.Body)] public string? Description { get; set; }
    [MaxLength(FieldLimits.LongName)] public string? Location { get; set; }
    public DateTimeOffset? StartTime { get; set; }
    public DateTimeOffset? EndTime { get; set; }
}

/// <summary>
/// A meeting made in the CRM changed here (title, place, time): the change goes to the calendar it was placed in, unless
/// that connection only syncs into the CRM. Meetings logged from someone's calendar change there, not here.
/// </summary>
public sealed class RescheduleMeetingHandler(ICrmDbFactory dbFactory, MeetingCalendarWriter calendars)
{
    public async Task<ScheduledMeeting> HandleAsync(long meetingId, RescheduleMeetingInput input, int? expectedVersion, CancellationToken ct = default)
    {
        InputValidation.ThrowIfInvalid(input);
        await using var db = await dbFactory.CreateAsync(ct);
        var meeting = await db.Activities.OfType<MeetingActivity>().GetAsync(meetingId, "Meeting", ct);
        MeetingAccess.EnsureCanChange(db.Actor, meeting);
        Concurrency.Check("Meeting", meeting, expectedVersion);
        if (meeting.Source != MeetingSource.Manual)
            throw new ValidationFailedException("Source", "This meeting comes from a calendar: change it there and the next sync brings the change here.");
        if (meeting.CancelledAt is not null) throw new ValidationFailedException("CancelledAt", "A cancelled meeting cannot be rescheduled; schedule a new one.");
        var start = input.StartTime ?? meeting.StartTime;
        var end = input.EndTime ?? (input.StartTime is { } moved ? moved + (meeting.EndTime - meeting.StartTime) : meeting.EndTime);
        if (end <= start) throw new ValidationFailedException("EndTime", "The meeting must end after it starts.");
        if (end - start > ScheduleMeetingHandler.LongestMeeting) throw new ValidationFailedException("EndTime", "A meeting lasts at most 14 days.");
        if (Text.Clean(input.Title) is { } title) meeting.Title = title;
        if (input.Description is not null) meeting.Description = Text.Clean(input.Description);
        if (input.Location is not null) meeting.Location = Text.Clean(input.Location);
        (meeting.StartTime, meeting.EndTime, meeting.OccurredAt) = (start, end, start);
        meeting.MeetingUrl = MeetingLinks.Find(null, meeting.Location, meeting.Description);
        await Concurrency.SaveAsync(db, "Meeting", meeting, ct);

        var placement = CalendarPlacement.NotConnected;
        var placedIn = await db.CalendarEventLinks.Where(l => l.ActivityId == meeting.Id && l.OwnerOrganizes && l.Outcome == CalendarEntryOutcome.Logged)
            .Select(l => l.IntegrationId).ToListAsync(ct);
        foreach (var connection in await db.Integrations.Where(i => placedIn.Contains(i.Id) && i.Direction != SyncDirection.InOnly).ToListAsync(ct))
            placement = await calendars.PlaceAsync(db, meeting, connection, ct);
        await db.SaveChangesAsync(ct);
        return new ScheduledMeeting(ActivityDto.Of(meeting), placement);
    }
}
