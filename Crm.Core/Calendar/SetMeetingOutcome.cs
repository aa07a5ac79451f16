using System.ComponentModel.DataAnnotations;
using Crm.Core.Common;
using Crm.Core.Timeline;

namespace Crm.Core.Calendar;

public sealed class MeetingOutcomeInput
{
    [Required]
    public MeetingOutcome? Outcome { get; set; }
    [MaxLength(FieldLimits.Body)]
    public string? Notes { get; set; }
}

/// <summary>
/// The rep's word on how a meeting went (the seed's outcome and notes): completed or no show once it has started,
/// rescheduled or cancelled at any time. A private meeting is only for the people whose calendars hold it.
/// </summary>
public sealed class SetMeetingOutcomeHandler(ICrmDbFactory dbFactory, TimeProvider time)
{
    public async Task<ActivityDto> HandleAsync(long meetingId, MeetingOutcomeInput input, CancellationToken ct = default)
    {
        InputValidation.ThrowIfInvalid(input);
        var outcome = input.Outcome!.Value;
        if (!Enum.IsDefined(outcome)) throw new ValidationFailedException("Outcome", "Choose completed, no show, rescheduled or cancelled.");
        await using var db = await dbFactory.CreateAsync(ct);
        var meeting = await db.Activities.OfType<MeetingActivity>().GetAsync(meetingId, "Meeting", ct);
        MeetingAccess.EnsureCanChange(db.Actor, meeting);
        if (outcome is MeetingOutcome.Completed or MeetingOutcome.NoShow && meeting.StartTime > time.GetUtcNow())
            throw new ValidationFailedException("Outcome", $"The meeting has not started yet (it starts {meeting.StartTime:yyyy-MM-dd HH:mm} UTC): it can be marked rescheduled or cancelled until then.");
        meeting.Outcome = outcome;
        meeting.Notes = Text.Clean(input.Notes);
        await Concurrency.SaveAsync(db, "Meeting", meeting, ct);
        return ActivityDto.Of(meeting);
    }
}

/// <summary>Who may change a logged meeting: anyone in the workspace, except a private one (its calendars' people and admins).</summary>
public static class MeetingAccess
{
    public static bool CanSee(Actor actor, MeetingActivity meeting) =>
        !meeting.IsPrivate || actor.UserId is null && actor.Source != ChangeSource.Api || actor.UserId is { } user && (meeting.OwnerId == user || meeting.CalendarUserIds.Contains(user));

    public static void EnsureCanChange(Actor actor, MeetingActivity meeting)
    {
        if (!CanSee(actor, meeting) && actor.Role != Users.UserRole.Admin)
            throw new NotFoundException("Meeting", meeting.Id);
    }
}
