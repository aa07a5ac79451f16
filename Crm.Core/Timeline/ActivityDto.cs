namespace Crm.Core.Timeline;

/// <summary>An activity as the API returns it: common fields plus those of its type (others are null).</summary>
public sealed record ActivityDto(
    long Id, ActivityType Type, long? ContactId, long? AccountId, long? DealId, DateTimeOffset OccurredAt, long? OwnerId,
    string? Body, string? Title, string? Notes, string? Description,
    DateTimeOffset? DueAt, bool? IsDone, DateTimeOffset? CompletedAt,
    ActivityDirection? Direction, CallOutcome? CallOutcome, int? DurationSeconds, string? PhoneNumber,
    string? Subject, string? From, IReadOnlyList<string>? To, IReadOnlyList<string>? Cc, EmailProvider? Provider,
    string? ExternalId, string? ThreadId, DateTimeOffset? SentAt, DateTimeOffset? OpenedAt, int? OpenCount,
    DateTimeOffset? ClickedAt, DateTimeOffset? RepliedAt, DateTimeOffset? BouncedAt, BounceType? BounceType,
    DateTimeOffset? StartTime, DateTimeOffset? EndTime, string? Location, string? MeetingUrl,
    IReadOnlyList<MeetingAttendee>? Attendees, MeetingOutcome? MeetingOutcome, MeetingSource? MeetingSource,
    int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ActivityDto Of(Activity a)
    {
        var note = a as NoteActivity;
        var task = a as TaskActivity;
        var call = a as CallActivity;
        var email = a as EmailActivity;
        var meeting = a as MeetingActivity;
        return new ActivityDto(
            a.Id, a.Type, a.ContactId, a.AccountId, a.DealId, a.OccurredAt, a.OwnerId,
            note?.Body ?? email?.Body, task?.Title ?? meeting?.Title, task?.Notes ?? call?.Notes ?? meeting?.Notes, meeting?.Description,
            task?.DueAt, task?.IsDone, task?.CompletedAt,
            call?.Direction ?? email?.Direction, call?.Outcome, call?.DurationSeconds, call?.PhoneNumber,
            email?.Subject, email?.From, email?.To, email?.Cc, email?.Provider,
            email?.ExternalId ?? meeting?.ExternalEventId, email?.ThreadId, email?.SentAt, email?.OpenedAt, email?.OpenCount,
            email?.ClickedAt, email?.RepliedAt, email?.BouncedAt, email?.BounceType,
            meeting?.StartTime, meeting?.EndTime, meeting?.Location, meeting?.MeetingUrl,
            meeting?.Attendees, meeting?.Outcome, meeting?.Source,
            a.Version, a.CreatedAt, a.UpdatedAt);
    }
}
