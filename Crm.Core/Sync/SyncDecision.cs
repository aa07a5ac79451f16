namespace Crm.Core.Sync;

public enum SyncAction
{
    /// <summary>Nothing to do (neither changed, or both already agree).</summary>
    None,
    /// <summary>Write <see cref="SyncDecision.ToLocal"/> here and/or <see cref="SyncDecision.ToRemote"/> there.</summary>
    Update,
    /// <summary>Delete ours (theirs was archived and that wins).</summary>
    DeleteLocal,
    /// <summary>Archive theirs (ours was deleted and that wins).</summary>
    ArchiveRemote,
    /// <summary>Bring ours back with their values (theirs changed after ours was deleted, and that wins).</summary>
    RestoreLocal,
    /// <summary>Bring theirs back with our values.</summary>
    RestoreRemote,
    /// <summary>Both sides deleted it: the link is closed.</summary>
    Unlink,
    /// <summary>A person decides (a manual rule): nothing is written meanwhile.</summary>
    Queue,
}

/// <summary>A field both sides changed, how it was settled, and by which rule (the record's history says it).</summary>
public sealed record FieldConflict(string Field, string? Ours, string? Theirs, DateTimeOffset OursAt, DateTimeOffset TheirsAt, ConflictStrategy Rule, string? Winner);

/// <summary>The engine's verdict for one linked record.</summary>
/// <param name="ToLocal">Field values to write here.</param>
/// <param name="ToRemote">Field values to write to the other system.</param>
/// <param name="Conflicts">Fields both sides changed, with the rule that decided each (or left it for a person).</param>
public sealed record SyncDecision(SyncAction Action, IReadOnlyDictionary<string, string?> ToLocal, IReadOnlyDictionary<string, string?> ToRemote,
    IReadOnlyList<FieldConflict> Conflicts, string Reason)
{
    public static SyncDecision Nothing(string reason) => new(SyncAction.None, Empty, Empty, [], reason);

    private static readonly IReadOnlyDictionary<string, string?> Empty = new Dictionary<string, string?>();

    public bool IsEcho => Action == SyncAction.None && Reason == SyncEngine.EchoReason;
}
