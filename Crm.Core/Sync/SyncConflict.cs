using Crm.Core.Common;

namespace Crm.Core.Sync;

public enum SyncConflictState
{
    Open = 0,
    Resolved = 1,
}

/// <summary>How a person settled a conflict.</summary>
public enum ConflictResolution
{
    KeptOurs = 0,
    TookTheirs = 1,
    /// <summary>A value typed by the person, pushed to both sides.</summary>
    Typed = 2,
}

/// <summary>
/// A field both sides changed under a "manual" rule, waiting for a person (the conflict queue): both values, when each
/// side changed it and who did here. Nothing is written for that field until it is resolved; the latest values replace
/// these while it waits.
/// </summary>
public sealed class SyncConflict : Entity, IWorkspaceOwned
{
    public long WorkspaceId { get; set; }
    public long IntegrationId { get; set; }
    public long SyncRecordId { get; set; }
    public RecordType RecordType { get; set; }
    public long RecordId { get; set; }
    public string ExternalId { get; set; } = "";
    public string Field { get; set; } = "";
    public string? OursValue { get; set; }
    public string? TheirsValue { get; set; }
    public DateTimeOffset OursChangedAt { get; set; }
    public DateTimeOffset TheirsChangedAt { get; set; }
    /// <summary>Who changed ours last (from the record's history), when known.</summary>
    public string? OursChangedBy { get; set; }
    public SyncConflictState State { get; set; }
    public ConflictResolution? Resolution { get; set; }
    public string? ResolvedValue { get; set; }
    public long? ResolvedByUserId { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
