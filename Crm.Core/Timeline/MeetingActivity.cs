namespace Crm.Core.Timeline;

public enum MeetingSource
{
    Manual = 0,
    Google = 1,
    Outlook = 2,
}

public enum MeetingOutcome
{
    Completed = 0,
    NoShow = 1,
    Rescheduled = 2,
    Cancelled = 3,
}

public enum AttendeeResponse
{
    Pending = 0,
    Accepted = 1,
    Declined = 2,
    Tentative = 3,
}

/// <summary>A meeting, shaped after the seed's MeetingActivity model.</summary>
public sealed class MeetingActivity : Activity
{
    public override ActivityType Type => ActivityType.Meeting;
    public string Title { get; set; } = "";
    public string? Description { get; set; }
    public DateTimeOffset StartTime { get; set; }
    public DateTimeOffset EndTime { get; set; }
    public string? Location { get; set; }
    public string? MeetingUrl { get; set; }
    public List<MeetingAttendee> Attendees { get; set; } = [];
    public MeetingSource Source { get; set; }
    public string? ExternalEventId { get; set; }
    public MeetingOutcome? Outcome { get; set; }
    public string? Notes { get; set; }
}

public sealed record MeetingAttendee(string Email, string? Name, AttendeeResponse Response, bool IsOrganizer, long? ContactId = null);
