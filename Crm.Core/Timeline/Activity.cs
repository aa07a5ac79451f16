using Crm.Core.Common;

namespace Crm.Core.Timeline;

public enum ActivityType
{
    Note = 1,
    Task = 2,
    Call = 3,
    Email = 4,
    Meeting = 5,
}

/// <summary>
/// Something that happened with a contact, account or deal, shown on their timelines newest first.
/// At least one of the three links is set.
/// </summary>
public abstract class Activity : Entity, IWorkspaceOwned, ITimestamped, ISoftDeletable, IVersioned, ICreationTracked
{
    public long WorkspaceId { get; set; }
    public abstract ActivityType Type { get; }
    public long? ContactId { get; set; }
    public Contacts.Contact? Contact { get; set; }
    public long? AccountId { get; set; }
    public Accounts.Account? Account { get; set; }
    public long? DealId { get; set; }
    public Deals.Deal? Deal { get; set; }
    /// <summary>When it happened: its place on the timeline.</summary>
    public DateTimeOffset OccurredAt { get; set; }
    /// <summary>The user the activity belongs to (author of a note, assignee of a task, rep on a call).</summary>
    public long? OwnerId { get; set; }
    public Users.User? Owner { get; set; }
    public long? CreatedByUserId { get; set; }
    public ChangeSource CreatedSource { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public int Version { get; set; }
}

public sealed class NoteActivity : Activity
{
    public override ActivityType Type => ActivityType.Note;
    public string Body { get; set; } = "";
}

public sealed class TaskActivity : Activity
{
    public override ActivityType Type => ActivityType.Task;
    public string Title { get; set; } = "";
    public string? Notes { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public bool IsDone { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}
