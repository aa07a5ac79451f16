using Crm.Core.Common;

namespace Crm.Core.History;

public enum ChangeKind
{
    Updated = 0,
    Deleted = 1,
    Restored = 2,
}

/// <summary>
/// One field of one record changed from one value to another, by someone or something, at a time.
/// Written by persistence for every update of a tracked record; sync's per-field last-write-wins and
/// import rollback read it.
/// </summary>
public sealed class FieldChange : Entity, IWorkspaceOwned
{
    public long WorkspaceId { get; set; }
    public RecordType RecordType { get; set; }
    public long RecordId { get; set; }
    public ChangeKind Kind { get; set; }
    /// <summary>Property name (e.g. "Email"), "custom.&lt;key&gt;" for a custom field, or "Contacts" for a deal's contacts.</summary>
    public string Field { get; set; } = "";
    public string? OldValue { get; set; }
    public string? NewValue { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    public ChangeSource Source { get; set; }
    public long? ActorUserId { get; set; }
    /// <summary>What made the change beyond the channel: an import job, an integration.</summary>
    public string? SourceRef { get; set; }
}
