using Crm.Core.Common;

namespace Crm.Core.History;

public enum ChangeKind
{
    Updated = 0,
    Deleted = 1,
    Restored = 2,
    /// <summary>
    /// An import updated the record: one row for the whole update, whose fields are the import's before- and after-image
    /// of the record (<see cref="Imports.ImportChange"/>, found by the import in <see cref="FieldChange.SourceRef"/> and the record).
    /// </summary>
    Imported = 3,
}

/// <summary>
/// One field of one record changed from one value to another, by someone or something, at a time.
/// Written by persistence for every update of a tracked record; the record's history page reads it, and sync's
/// per-field last-write-wins will. An import's update is one <see cref="ChangeKind.Imported"/> row whose fields live in
/// the import's before-image, which the import keeps anyway for rollback: a million-row import writes one history row
/// per record it updates, not one per field.
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
