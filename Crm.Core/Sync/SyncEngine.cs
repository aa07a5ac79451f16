namespace Crm.Core.Sync;

/// <summary>
/// Decides what one linked record needs, provider-free: which side changed since the last sync (each side's hash of the
/// mapped fields against the link row's), then field by field against the values both sides last agreed on — a field
/// only one side changed travels the way its mapping allows; a field both changed to different values is settled by
/// its conflict rule (or queued for a person). Deletes are the other two cases: deleted/changed and changed/deleted,
/// settled by the connection's default rule at the record level. What we wrote ourselves comes back unchanged by hash,
/// so it is recognised as an echo and never synced again.
/// </summary>
public static class SyncEngine
{
    public const string EchoReason = "echo of our own write";

    public static SyncDecision Decide(SyncBase @base, SyncSide local, SyncSide remote, IReadOnlyList<MappedField> mapping, SyncRules rules)
    {
        var synced = mapping.Where(m => m.Direction != FieldDirection.None).ToList();
        var keys = synced.Select(m => m.Field).ToList();
        var localChanged = local.Deleted || local.Hash(keys) != @base.LocalHash;
        var remoteChanged = remote.Deleted || remote.Hash(keys) != @base.RemoteHash;

        if (local.Deleted || remote.Deleted) return DecideDeletion(local, remote, localChanged, remoteChanged, synced, rules);
        if (!localChanged && !remoteChanged)
            return SyncDecision.Nothing(remote.ModifiedAt > @base.SyncedAt || local.ModifiedAt > @base.SyncedAt ? EchoReason : "in step");

        var toLocal = new Dictionary<string, string?>();
        var toRemote = new Dictionary<string, string?>();
        var conflicts = new List<FieldConflict>();
        foreach (var field in synced)
        {
            var f = field.Field;
            var ours = local.Value(f);
            var theirs = remote.Value(f);
            if (ours == theirs) continue;
            var oursMoved = localChanged && ours != SyncSide.Normal(@base.LocalValues.GetValueOrDefault(f));
            var theirsMoved = remoteChanged && theirs != SyncSide.Normal(@base.RemoteValues.GetValueOrDefault(f));
            if (oursMoved && !theirsMoved)
            {
                if (field.GoesOut) toRemote[f] = ours;
            }
            else if (theirsMoved && !oursMoved)
            {
                if (field.ComesIn) toLocal[f] = theirs;
            }
            else if (oursMoved && theirsMoved)
            {
                // A one-way field has its owner: the side it comes from wins whatever the rule.
                var rule = field.Direction switch
                {
                    FieldDirection.In => ConflictStrategy.TheirsWins,
                    FieldDirection.Out => ConflictStrategy.OursWins,
                    _ => rules.For(f),
                };
                var oursAt = local.ChangedAt(f);
                var theirsAt = remote.ChangedAt(f);
                var winner = rule switch
                {
                    ConflictStrategy.OursWins => "ours",
                    ConflictStrategy.TheirsWins => "theirs",
                    // A tie keeps ours: this system is where the person looking at it works.
                    ConflictStrategy.LastWriteWins => theirsAt > oursAt ? "theirs" : "ours",
                    ConflictStrategy.KeepCurrent => "kept",
                    _ => null,
                };
                if (winner == "ours") toRemote[f] = ours;
                if (winner == "theirs") toLocal[f] = theirs;
                conflicts.Add(new FieldConflict(f, ours, theirs, oursAt, theirsAt, rule, winner));
            }
        }
        var action = toLocal.Count > 0 || toRemote.Count > 0 ? SyncAction.Update : conflicts.Any(c => c.Winner is null) ? SyncAction.Queue : SyncAction.None;
        var reason = action switch
        {
            SyncAction.Update => $"{(localChanged ? "ours" : "")}{(localChanged && remoteChanged ? " and " : "")}{(remoteChanged ? "theirs" : "")} changed",
            SyncAction.Queue => "both changed a field that a person decides",
            _ => "changes that do not travel (one-way fields, or both sides already agree)",
        };
        return new SyncDecision(action, toLocal, toRemote, conflicts, reason);
    }

    private static SyncDecision DecideDeletion(SyncSide local, SyncSide remote, bool localChanged, bool remoteChanged, List<MappedField> synced, SyncRules rules)
    {
        var none = new Dictionary<string, string?>();
        if (local.Deleted && remote.Deleted) return new SyncDecision(SyncAction.Unlink, none, none, [], "deleted on both sides");
        // Record-level: under field priority, the last writer decides.
        var rule = rules.Default == ConflictStrategy.FieldPriority ? ConflictStrategy.LastWriteWins : rules.Default is ConflictStrategy.KeepCurrent ? ConflictStrategy.Manual : rules.Default;
        if (local.Deleted)
        {
            if (!remoteChanged) return new SyncDecision(SyncAction.ArchiveRemote, none, none, [], "deleted here");
            var deleteWins = rule switch
            {
                ConflictStrategy.OursWins => true,
                ConflictStrategy.TheirsWins => false,
                ConflictStrategy.LastWriteWins => local.DeletedAt >= remote.ModifiedAt,
                _ => (bool?)null,
            };
            return deleteWins switch
            {
                true => new SyncDecision(SyncAction.ArchiveRemote, none, none, [], $"deleted here, changed there: {Name(rule)} keeps the delete"),
                false => new SyncDecision(SyncAction.RestoreLocal, Values(remote, synced.Where(m => m.ComesIn)), none, [], $"deleted here, changed there: {Name(rule)} restores it with their values"),
                null => new SyncDecision(SyncAction.Queue, none, none, [], "deleted here, changed there: a person decides"),
            };
        }
        if (!localChanged) return new SyncDecision(SyncAction.DeleteLocal, none, none, [], "archived there");
        var archiveWins = rule switch
        {
            ConflictStrategy.OursWins => false,
            ConflictStrategy.TheirsWins => true,
            ConflictStrategy.LastWriteWins => remote.DeletedAt >= local.ModifiedAt,
            _ => (bool?)null,
        };
        return archiveWins switch
        {
            true => new SyncDecision(SyncAction.DeleteLocal, none, none, [], $"changed here, archived there: {Name(rule)} keeps the archive"),
            false => new SyncDecision(SyncAction.RestoreRemote, none, Values(local, synced.Where(m => m.GoesOut)), [], $"changed here, archived there: {Name(rule)} restores it with our values"),
            null => new SyncDecision(SyncAction.Queue, none, none, [], "changed here, archived there: a person decides"),
        };
    }

    private static Dictionary<string, string?> Values(SyncSide side, IEnumerable<MappedField> fields) => fields.ToDictionary(m => m.Field, m => side.Value(m.Field));

    public static string Name(ConflictStrategy rule) => rule switch
    {
        ConflictStrategy.OursWins => "ours wins",
        ConflictStrategy.TheirsWins => "theirs wins",
        ConflictStrategy.LastWriteWins => "last write wins",
        ConflictStrategy.FieldPriority => "field priority",
        ConflictStrategy.KeepCurrent => "keep current",
        _ => "manual",
    };
}
