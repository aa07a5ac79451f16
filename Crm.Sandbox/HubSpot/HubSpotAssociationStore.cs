using System.Globalization;

namespace Crm.Sandbox.HubSpot;

/// <summary>
/// HubSpot's default association types between contacts, companies and deals (v4 <c>associationTypeId</c>s, category
/// HUBSPOT_DEFINED): each direction has its own id; the primary company of a contact or a deal is a second, labelled type.
/// </summary>
public static class HubSpotAssociationTypes
{
    public sealed record Pair(string From, string To, int Unlabeled, int? Primary);

    public static readonly Pair[] All =
    [
        new("contacts", "companies", 279, 1), new("companies", "contacts", 280, 2),
        new("deals", "contacts", 3, null), new("contacts", "deals", 4, null),
        new("deals", "companies", 341, 5), new("companies", "deals", 342, 6),
        // Engagements: to contacts, companies and deals, and back.
        new("notes", "contacts", 202, null), new("contacts", "notes", 201, null), new("notes", "companies", 190, null), new("companies", "notes", 189, null),
        new("notes", "deals", 214, null), new("deals", "notes", 213, null),
        new("tasks", "contacts", 204, null), new("contacts", "tasks", 203, null), new("tasks", "companies", 192, null), new("companies", "tasks", 191, null),
        new("tasks", "deals", 216, null), new("deals", "tasks", 215, null),
        new("calls", "contacts", 194, null), new("contacts", "calls", 193, null), new("calls", "companies", 182, null), new("companies", "calls", 181, null),
        new("calls", "deals", 206, null), new("deals", "calls", 205, null),
        new("meetings", "contacts", 200, null), new("contacts", "meetings", 199, null), new("meetings", "companies", 188, null), new("companies", "meetings", 187, null),
        new("meetings", "deals", 212, null), new("deals", "meetings", 211, null),
        new("emails", "contacts", 198, null), new("contacts", "emails", 197, null), new("emails", "companies", 186, null), new("companies", "emails", 185, null),
        new("emails", "deals", 210, null), new("deals", "emails", 209, null),
    ];

    public static Pair? Of(string from, string to) => All.FirstOrDefault(p => p.From == from && p.To == to);

    /// <summary>The same association seen from the other record: 1 ↔ 2, 279 ↔ 280, 3 ↔ 4, 5 ↔ 6, 341 ↔ 342.</summary>
    public static int Inverse(string from, string to, int typeId)
    {
        var pair = Of(from, to)!;
        var back = Of(to, from)!;
        return typeId == pair.Primary ? back.Primary!.Value : back.Unlabeled;
    }

    /// <summary>The v3 name of a type, as object reads with <c>associations=</c> give it ("contact_to_company", "deal_to_company_unlabeled").</summary>
    public static string V3Name(string from, string to, int typeId)
    {
        var pair = Of(from, to)!;
        var name = $"{Singular(from)}_to_{Singular(to)}";
        return pair.Primary is null || typeId == pair.Primary ? name : name + "_unlabeled";
    }

    public static string? Label(string from, string to, int typeId) => Of(from, to)?.Primary == typeId ? "Primary" : null;

    public static string Singular(string objectType) => objectType switch { "contacts" => "contact", "companies" => "company", "deals" => "deal", "meetings" => "meeting_event", _ => objectType.TrimEnd('s') };
}

/// <summary>Associations between records (both directions kept), and merges.</summary>
public sealed partial class HubSpotCrmStore
{
    /// <summary>(from type, from id, to type) → to id → association type ids.</summary>
    private readonly Dictionary<(string, long, string), SortedDictionary<long, SortedSet<int>>> _associations = [];

    /// <summary>A record merged away → the record it lives on in (reads of its id answer with that one, as HubSpot's do).</summary>
    private readonly Dictionary<(string, long), long> _mergedInto = [];

    /// <summary>The associations of a live record to live records of a type, in id order.</summary>
    public IReadOnlyList<(string ToId, IReadOnlyList<int> Types)> Associations(string fromType, string fromId, string toType)
    {
        lock (_lock)
        {
            if (!long.TryParse(fromId, NumberStyles.None, CultureInfo.InvariantCulture, out var from) || !_associations.TryGetValue((fromType, from, toType), out var targets)) return [];
            return targets.Where(t => _records[toType].TryGetValue(t.Key, out var r) && !r.Archived)
                .Select(t => (t.Key.ToString(CultureInfo.InvariantCulture), (IReadOnlyList<int>)t.Value.ToList())).ToList();
        }
    }

    /// <summary>Adds association types between two live records (both directions); a primary label moves off the record's previous primary.</summary>
    /// <returns>null when done, else HubSpot's reason.</returns>
    public string? Associate(string fromType, string fromId, string toType, string toId, IReadOnlyCollection<int> typeIds)
    {
        lock (_lock)
        {
            if (HubSpotAssociationTypes.Of(fromType, toType) is not { } pair) return $"No association types exist between {fromType} and {toType}.";
            if (Get(fromType, fromId) is not { } fromRecord) return $"{HubSpotAssociationTypes.Singular(fromType)} {fromId} does not exist.";
            if (Get(toType, toId) is not { } toRecord) return $"{HubSpotAssociationTypes.Singular(toType)} {toId} does not exist.";
            if (typeIds.FirstOrDefault(t => t != pair.Unlabeled && t != pair.Primary) is var unknown && unknown != 0)
                return $"associationTypeId {unknown} is not a valid type from {fromType} to {toType}.";
            var (from, to) = (long.Parse(fromId, CultureInfo.InvariantCulture), long.Parse(toId, CultureInfo.InvariantCulture));
            // Any labelled association also holds the unlabelled one, as in HubSpot.
            var types = typeIds.Append(pair.Unlabeled).ToHashSet();
            if (pair.Primary is { } primary && types.Contains(primary))
                foreach (var (other, labels) in Targets(fromType, from, toType).Where(t => t.Key != to && t.Value.Contains(primary)))
                {
                    labels.Remove(primary);
                    Targets(toType, other, fromType).GetValueOrDefault(from)?.Remove(HubSpotAssociationTypes.Inverse(fromType, toType, primary));
                }
            var forward = Targets(fromType, from, toType);
            var backward = Targets(toType, to, fromType);
            if (!forward.TryGetValue(to, out var set)) forward[to] = set = [];
            if (!backward.TryGetValue(from, out var back)) backward[from] = back = [];
            var added = types.Where(set.Add).ToList();
            foreach (var t in added) back.Add(HubSpotAssociationTypes.Inverse(fromType, toType, t));
            if (added.Count > 0) { Touched(fromType, fromRecord); Touched(toType, toRecord); }
            return null;
        }
    }

    /// <summary>Removes every association type between two records; false when there was none.</summary>
    public bool Unassociate(string fromType, string fromId, string toType, string toId)
    {
        lock (_lock)
        {
            if (!long.TryParse(fromId, NumberStyles.None, CultureInfo.InvariantCulture, out var from) || !long.TryParse(toId, NumberStyles.None, CultureInfo.InvariantCulture, out var to)) return false;
            if (!_associations.TryGetValue((fromType, from, toType), out var forward) || !forward.Remove(to)) return false;
            Targets(toType, to, fromType).Remove(from);
            if (Get(fromType, fromId) is { } a) Touched(fromType, a);
            if (Get(toType, toId) is { } b) Touched(toType, b);
            return true;
        }
    }

    private SortedDictionary<long, SortedSet<int>> Targets(string fromType, long from, string toType) =>
        _associations.TryGetValue((fromType, from, toType), out var targets) ? targets : _associations[(fromType, from, toType)] = [];

    /// <summary>
    /// What an association change does to a record in HubSpot: a contact's <c>associatedcompanyid</c> follows its primary
    /// company, a deal's contact count its contacts, and the record counts as modified (so a search on the date finds it).
    /// </summary>
    private void Touched(string objectType, HubSpotRecord record)
    {
        var id = long.Parse(record.Id, CultureInfo.InvariantCulture);
        if (objectType == "contacts")
        {
            var primary = Targets("contacts", id, "companies").FirstOrDefault(t => t.Value.Contains(1)).Key;
            if (primary == 0) record.Properties.Remove("associatedcompanyid");
            else record.Properties["associatedcompanyid"] = primary.ToString(CultureInfo.InvariantCulture);
        }
        if (objectType == "deals") record.Properties["num_associated_contacts"] = Targets("deals", id, "contacts").Count.ToString(CultureInfo.InvariantCulture);
        var now = time.GetUtcNow();
        record.UpdatedAt = now;
        record.Properties[ModifiedProperty(objectType)] = Timestamp(now);
    }

    /// <summary>The record a merged-away id now leads to (its own id when it was not merged).</summary>
    public string Surviving(string objectType, string id)
    {
        lock (_lock)
        {
            if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key)) return id;
            while (_mergedInto.TryGetValue((objectType, key), out var into)) key = into;
            return key.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// HubSpot's merge: <paramref name="mergedId"/> folds into <paramref name="primaryId"/>, which keeps its id and its values
    /// (empty ones filled from the other), takes the other's associations, and lists the merged id in
    /// <c>hs_merged_object_ids</c>. The merged record leaves every list and search; reading its id answers with the primary.
    /// </summary>
    public (HubSpotRecord? Primary, string? Error) Merge(string objectType, string primaryId, string mergedId)
    {
        lock (_lock)
        {
            if (primaryId == mergedId) return (null, "A record cannot be merged with itself.");
            if (Get(objectType, primaryId) is not { } primary) return (null, $"{HubSpotAssociationTypes.Singular(objectType)} {primaryId} does not exist.");
            if (Get(objectType, mergedId) is not { } merged) return (null, $"{HubSpotAssociationTypes.Singular(objectType)} {mergedId} does not exist.");
            var readOnly = _properties[objectType].Where(p => p.ReadOnly).Select(p => p.Name).ToHashSet();
            var filled = merged.Properties.Where(p => !readOnly.Contains(p.Key) && p.Value is { Length: > 0 } && string.IsNullOrEmpty(primary.Properties.GetValueOrDefault(p.Key))).ToList();
            var emailBefore = primary.Properties.GetValueOrDefault("email");
            foreach (var (name, value) in filled) primary.Properties[name] = value;
            var ids = (primary.Properties.GetValueOrDefault("hs_merged_object_ids") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Concat((merged.Properties.GetValueOrDefault("hs_merged_object_ids") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)).Append(merged.Id).Distinct();
            primary.Properties["hs_merged_object_ids"] = string.Join(';', ids);
            var (from, into) = (long.Parse(mergedId, CultureInfo.InvariantCulture), long.Parse(primaryId, CultureInfo.InvariantCulture));
            foreach (var toType in ObjectTypes.Where(t => HubSpotAssociationTypes.Of(objectType, t) is not null))
                foreach (var (target, types) in Targets(objectType, from, toType).ToList())
                {
                    Unassociate(objectType, mergedId, toType, target.ToString(CultureInfo.InvariantCulture));
                    // The primary keeps its own primary company; the merged one's joins unlabelled.
                    var keep = Targets(objectType, into, toType).Any(t => t.Value.Count > 1) ? types.Where(t => t == HubSpotAssociationTypes.Of(objectType, toType)!.Unlabeled).ToList() : types.ToList();
                    Associate(objectType, primaryId, toType, target.ToString(CultureInfo.InvariantCulture), keep);
                }
            // The merged record is gone from lists and searches; its email no longer finds anyone but the primary.
            merged.Archived = true;
            merged.ArchivedAt = time.GetUtcNow();
            _mergedInto[(objectType, from)] = into;
            Index(objectType, merged, merged.Properties.GetValueOrDefault("email"));
            Index(objectType, primary, emailBefore);
            Touched(objectType, primary);
            Calculate(objectType, primary);
            webhooks?.RecordMerge(objectType, primaryId, [mergedId], filled.Count, ChangeSource.Value ?? "INTEGRATION");
            return (primary, null);
        }
    }

    /// <summary>A merged-away record (archived by the merge, not by a person): reads of its id answer with the primary.</summary>
    public bool WasMerged(string objectType, string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key) && _mergedInto.ContainsKey((objectType, key));
}
