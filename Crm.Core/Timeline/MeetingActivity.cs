namespace Crm.Core.Timeline;

public enum MeetingSource
{
    Manual = 0,
    Google = 1,
    Outlook = 2,
    /// <summary>An Apple (iCloud) or other CalDAV calendar.</summary>
    CalDav = 3,
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
    /// <summary>
    /// The meeting across calendars: its iCalendar UID, and for one occurrence of a series the original start
    /// (<see cref="Crm.Core.Calendar.MeetingKeys"/>). The same invitation in two reps' calendars is one meeting.
    /// </summary>
    public string? MeetingKey { get; set; }
    public bool IsAllDay { get; set; }
    /// <summary>The IANA zone the meeting was scheduled in (times are stored as instants).</summary>
    public string? TimeZone { get; set; }
    /// <summary>Set when the organizer cancelled it (the timeline shows it struck through).</summary>
    public DateTimeOffset? CancelledAt { get; set; }
    /// <summary>Private in the calendar it came from: teammates see that it took place, not its title, description or link.</summary>
    public bool IsPrivate { get; set; }
    /// <summary>The users whose connected calendars hold this meeting.</summary>
    public List<long> CalendarUserIds { get; set; } = [];
}

public sealed record MeetingAttendee(string Email, string? Name, AttendeeResponse Response, bool IsOrganizer, long? ContactId = null);
