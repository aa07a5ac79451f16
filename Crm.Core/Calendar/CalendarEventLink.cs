using Crm.Core.Common;
using Crm.Core.Timeline;

namespace Crm.Core.Calendar;

public enum CalendarEntryOutcome
{
    Logged = 1,
    /// <summary>Not a meeting to log (<see cref="CalendarEventLink.Reason"/> says why); looked at again when it changes.</summary>
    Skipped = 2,
    /// <summary>No longer in the calendar.</summary>
    Removed = 3,
}

/// <summary>Why a calendar entry was not logged.</summary>
public static class CalendarSkipReasons
{
    public const string NoContact = "no_contact";
    public const string NeverLog = "never_log";
    public const string Internal = "internal";
    public const string Deleted = "deleted";
    public const string OutOfWindow = "out_of_window";
    public const string Free = "not_a_meeting";

    public static string Describe(string? reason) => reason switch
    {
        NoContact => "no contact among the attendees",
        NeverLog => "an attendee is on the never-log list",
        Internal => "only colleagues attend",
        Deleted => "deleted from the timeline",
        OutOfWindow => "too far ahead (logged when it comes nearer)",
        Free => "not a meeting (no attendees)",
        null => "",
        _ => reason,
    };
}

/// <summary>
/// One entry of one synced calendar and what became of it: the meeting it is part of, or why it was skipped; the
/// version it had (an unchanged entry is not looked at again) and whether the calendar's owner organizes it (their
/// deleting it cancels the meeting; an attendee's deleting it only takes it off their calendar).
/// </summary>
public sealed class CalendarEventLink : Entity, IWorkspaceOwned
{
    public long WorkspaceId { get; set; }
    public long IntegrationId { get; set; }
    public long UserId { get; set; }
    public string CalendarId { get; set; } = "";
    public string EventId { get; set; } = "";
    public string? Version { get; set; }
    public CalendarEntryOutcome Outcome { get; set; }
    public string? Reason { get; set; }
    public long? ActivityId { get; set; }
    public MeetingActivity? Activity { get; set; }
    public bool OwnerOrganizes { get; set; }
    public DateTimeOffset? Start { get; set; }
    public DateTimeOffset SeenAt { get; set; }
}
