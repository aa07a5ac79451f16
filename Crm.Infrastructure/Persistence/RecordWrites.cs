using Crm.Core.Common;
using Crm.Core.History;

namespace Crm.Infrastructure.Persistence;

/// <summary>
/// What every write of a row does, whoever writes it: the record-keeping interceptor for ordinary saves, the EF import
/// writer through it, and the SQLite import writer, which writes without a change tracker. A new rule of writing — a
/// stamp, a guard, a column every update sets — is added here once and all three follow.
/// </summary>
internal static class RecordWrites
{
    /// <summary>The columns every update of a versioned row sets besides the fields it changes.</summary>
    public static readonly IReadOnlyList<string> StampedOnUpdate = [nameof(ITimestamped.UpdatedAt), nameof(IVersioned.Version)];

    /// <summary>Columns that are bookkeeping, not a record's fields: history never lists them.</summary>
    public static readonly IReadOnlySet<string> Bookkeeping = new HashSet<string>(StringComparer.Ordinal)
    {
        "Id", nameof(IWorkspaceOwned.WorkspaceId), nameof(ITimestamped.CreatedAt), nameof(ITimestamped.UpdatedAt),
        nameof(IVersioned.Version), nameof(ICreationTracked.CreatedByUserId), nameof(ICreationTracked.CreatedSource),
    };

    /// <summary>
    /// A row about to be inserted: it takes the actor's workspace (an insert without one is refused), its creation
    /// time, creator and channel, and its first version.
    /// </summary>
    public static void Inserting(object row, Actor actor, DateTimeOffset now)
    {
        if (row is IWorkspaceOwned owned)
        {
            if (actor.WorkspaceId == 0) throw new InvalidOperationException($"Cannot insert a {row.GetType().Name} without a workspace.");
            if (owned.WorkspaceId == 0) owned.WorkspaceId = actor.WorkspaceId;
            GuardWorkspace(row, actor, workspaceChanged: false);
        }
        if (row is ITimestamped stamped)
        {
            stamped.CreatedAt = now;
            stamped.UpdatedAt = now;
        }
        if (row is ICreationTracked created)
        {
            created.CreatedByUserId = actor.UserId;
            created.CreatedSource = actor.Source;
        }
        if (row is ITrackedRecord record) record.Version = 0;
    }

    /// <summary>A row about to be updated: only the actor's own workspace, and only without moving it to another.</summary>
    public static void GuardWorkspace(object row, Actor actor, bool workspaceChanged)
    {
        if (row is IWorkspaceOwned owned && (owned.WorkspaceId != actor.WorkspaceId || workspaceChanged))
            throw new InvalidOperationException($"A {row.GetType().Name} of another workspace cannot be written.");
    }

    /// <summary>The version a row has after an update of the version it had.</summary>
    public static int NextVersion(int versionBefore) => versionBefore + 1;

    /// <summary>A record updated without a change tracker: the stamps of <see cref="StampedOnUpdate"/>.</summary>
    public static void Updating(ITrackedRecord record, Actor actor, int versionBefore, DateTimeOffset now)
    {
        GuardWorkspace(record, actor, workspaceChanged: false);
        record.UpdatedAt = now;
        record.Version = NextVersion(versionBefore);
    }

    /// <summary>A history row: when, in which workspace, by whom and through which channel.</summary>
    public static FieldChange Recorded(FieldChange change, Actor actor, DateTimeOffset now)
    {
        change.WorkspaceId = actor.WorkspaceId;
        change.ChangedAt = now;
        change.Source = actor.Source;
        change.ActorUserId = actor.UserId;
        change.SourceRef = actor.SourceRef;
        return change;
    }
}
