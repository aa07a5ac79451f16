namespace Crm.Core.Common;

/// <summary>A row that belongs to exactly one workspace. Persistence stamps and filters it; code never sets it by hand.</summary>
public interface IWorkspaceOwned
{
    long WorkspaceId { get; set; }
}

/// <summary>Created/updated times, kept by persistence from <see cref="TimeProvider"/>.</summary>
public interface ITimestamped
{
    DateTimeOffset CreatedAt { get; set; }
    DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Deleted rows stay (sync must propagate deletes) and are hidden by a query filter.</summary>
public interface ISoftDeletable
{
    DateTimeOffset? DeletedAt { get; set; }
}

/// <summary>
/// A CRM record whose changes are recorded field by field and which carries an optimistic-concurrency version.
/// Who created it is kept on the row itself; later changes are in <see cref="History.FieldChange"/>.
/// </summary>
public interface ITrackedRecord : IWorkspaceOwned, ITimestamped, ISoftDeletable, IVersioned, ICreationTracked
{
    new int Version { get; set; }
    RecordType RecordType { get; }
    /// <summary>The import that created the record, if one did: rolling that import back deletes it.</summary>
    long? CreatedByImportId { get; set; }
}

/// <summary>Who created the row and through which channel; stamped by persistence.</summary>
public interface ICreationTracked
{
    long? CreatedByUserId { get; set; }
    ChangeSource CreatedSource { get; set; }
}

public enum RecordType
{
    Contact = 1,
    Account = 2,
    Deal = 3,
    /// <summary>A timeline activity: only the sync's links to another system's engagements use it.</summary>
    Activity = 4,
}
