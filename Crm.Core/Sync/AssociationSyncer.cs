using System.Globalization;
using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Deals;
using Crm.Core.Integrations;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Tokens;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Sync;

/// <summary>A linked record whose associations a run looks at: ours, theirs, and their record when the run read it.</summary>
public sealed record AssociationCandidate(long RecordId, string ExternalId, RemoteRecord? Remote);

/// <summary>
/// Keeps associations in step for linked records (a contact's company, a deal's company and contacts), provider-free,
/// three ways like fields: each side's associations now (in their ids, through the link table) against those both
/// sides agreed on at the last sync (kept on the from-record's link). One that only one side added or removed travels;
/// on a first meeting both sides' are kept (nothing is removed). Where a kind has one here and a primary one there and
/// both changed it to different records, the connection's rule for <c>associations.{type}</c> decides (last write wins by
/// default, by each record's modification time); a manual rule leaves both as they are. Records not linked on the
/// other side are left out until they are (they sync first: companies, then contacts, then deals). Their reads come
/// inline with a full list where the connector gives them, else in batches of 1,000.
/// </summary>
public sealed class AssociationSyncer(ICrmDbFactory dbFactory)
{
    public const int ReadBatch = 1_000;

    private static readonly JsonSerializerOptions Json = new();

    public async Task<SyncTotals> SyncAsync(ConnectionRef connection, IRemoteAssociations remote, string objectType, IReadOnlyList<AssociationCandidate> candidates,
        SyncRules rules, SyncDirection direction, CancellationToken ct)
    {
        var totals = new SyncTotals();
        var kinds = AssociationKind.Of(objectType);
        if (kinds.Count == 0 || candidates.Count == 0) return totals;
        var fromType = RecordTypeOf(objectType);
        // One entry per record: the one whose read carried its associations, else one with their record (its time decides a conflict), else any.
        var unique = candidates.GroupBy(c => c.RecordId)
            .Select(g => g.LastOrDefault(c => c.Remote?.Associations is not null) ?? g.LastOrDefault(c => c.Remote is not null) ?? g.Last()).ToList();
        foreach (var chunk in unique.Chunk(ReadBatch))
        {
            await using var db = await dbFactory.CreateAsync(ct);
            var ids = chunk.Select(c => c.RecordId).ToList();
            var links = (await db.SyncRecords.Where(l => l.IntegrationId == connection.IntegrationId && l.RecordType == fromType && ids.Contains(l.RecordId)
                    && l.Status != SyncRecordStatus.Excluded && !l.ExternalId.StartsWith("pending:")).ToListAsync(ct))
                .GroupBy(l => l.RecordId).ToDictionary(g => g.Key, g => g.OrderBy(l => l.MergedFromRecordId is null ? 0 : 1).First());
            var live = chunk.Where(c => links.ContainsKey(c.RecordId)).Select(c => c with { ExternalId = links[c.RecordId].ExternalId }).ToList();
            if (live.Count == 0) continue;
            var agreed = live.ToDictionary(c => c.RecordId, c => Stored(links[c.RecordId].Associations));
            var writtenHere = new HashSet<long>();
            foreach (var kind in kinds)
                totals += await SyncKindAsync(db, connection, remote, kind, live, links, agreed, rules, direction, writtenHere, ct);
            foreach (var c in live) links[c.RecordId].Associations = JsonSerializer.Serialize(agreed[c.RecordId], Json);
            await db.SaveChangesAsync(ct);
            if (writtenHere.Count > 0)
            {
                // What this wrote here is in step: not a change of ours for the next run to compare again.
                foreach (var id in writtenHere) links[id].LastSyncedAt = DateTimeOffset.UtcNow;
                await db.SaveChangesAsync(ct);
            }
        }
        return totals;
    }

    private async Task<SyncTotals> SyncKindAsync(ICrmDb db, ConnectionRef connection, IRemoteAssociations remote, AssociationKind kind, List<AssociationCandidate> live,
        Dictionary<long, SyncRecord> links, Dictionary<long, Dictionary<string, List<string>>> agreed, SyncRules rules, SyncDirection direction, HashSet<long> writtenHere,
        CancellationToken ct)
    {
        var totals = new SyncTotals();
        // Theirs: carried by the read, else read now.
        var theirs = new Dictionary<long, IReadOnlyList<string>>();
        var unread = new List<AssociationCandidate>();
        foreach (var c in live)
            if (c.Remote?.Associations is { } carried) theirs[c.RecordId] = carried.GetValueOrDefault(kind.To) ?? [];
            else unread.Add(c);
        if (unread.Count > 0)
        {
            var read = await remote.ReadAsync(connection, kind, unread.Select(c => c.ExternalId).ToList(), ct);
            foreach (var c in unread) theirs[c.RecordId] = read.GetValueOrDefault(c.ExternalId) ?? [];
        }
        var ours = await OursAsync(db, kind, live.Select(c => c.RecordId).ToList(), ct);

        // Both sides in their ids: only records linked on both sides take part.
        var toType = RecordTypeOf(kind.To);
        var ourTo = ours.Values.SelectMany(v => v.To).Distinct().ToList();
        var theirTo = theirs.Values.SelectMany(v => v).Distinct().ToList();
        // Two lookups, each along an index (by our ids, by theirs): one with an OR would read every link of the type.
        var linksOfType = db.SyncRecords.AsNoTracking().Where(l => l.IntegrationId == connection.IntegrationId && l.Provider == connection.Provider && l.RecordType == toType
            && !l.ExternalId.StartsWith("pending:"));
        var toLinks = (await linksOfType.Where(l => ourTo.Contains(l.RecordId)).Select(l => new { l.Id, l.RecordId, l.ExternalId, l.MergedFromRecordId }).ToListAsync(ct))
            .Concat(await linksOfType.Where(l => theirTo.Contains(l.ExternalId)).Select(l => new { l.Id, l.RecordId, l.ExternalId, l.MergedFromRecordId }).ToListAsync(ct))
            .DistinctBy(l => l.Id).ToList();
        var external = toLinks.Where(l => l.MergedFromRecordId is null).GroupBy(l => l.RecordId).ToDictionary(g => g.Key, g => g.First().ExternalId);
        var internalIds = toLinks.GroupBy(l => l.ExternalId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().RecordId, StringComparer.Ordinal);

        var adds = new List<(long RecordId, RemoteAssociation Pair)>();
        var removes = new List<(long RecordId, RemoteAssociation Pair)>();
        var writes = new Dictionary<long, List<long>>();
        foreach (var c in live)
        {
            var (ourIds, ourTime) = ours.GetValueOrDefault(c.RecordId, ([], DateTimeOffset.MinValue));
            var o = ourIds.Select(id => external.GetValueOrDefault(id)).OfType<string>().ToList();
            var t = theirs[c.RecordId].Where(internalIds.ContainsKey).ToList();
            // An activity there may be about several contacts; the one it is about here is enough when it is among them.
            if (kind.FromActivity && o.Count > 0 && t.Contains(o[0])) t = [o[0]];
            var baseSet = agreed[c.RecordId].TryGetValue(kind.To, out var b) ? b : null;
            var result = kind.Single
                ? DecideSingle(c, ourTime, o.FirstOrDefault(), t.FirstOrDefault(), baseSet, kind, rules, ref totals)
                : DecideMany(o, t, baseSet);
            if (direction == SyncDirection.InOnly) result = result with { Add = [], Remove = [] };
            if (direction == SyncDirection.OutOnly) result = result with { Ours = null };
            adds.AddRange(result.Add.Select(x => (c.RecordId, new RemoteAssociation(c.ExternalId, x))));
            removes.AddRange(result.Remove.Select(x => (c.RecordId, new RemoteAssociation(c.ExternalId, x))));
            if (result.Ours is { } wanted) writes[c.RecordId] = wanted.Select(x => internalIds[x]).ToList();
            agreed[c.RecordId][kind.To] = result.Agreed;
        }

        // Theirs first: a pair they refuse keeps the last agreed state for that record, so it is tried again.
        var refused = new List<(RemoteAssociation Pair, string Reason)>();
        if (adds.Count > 0) refused.AddRange(await remote.AddAsync(connection, kind, adds.Select(a => a.Pair).ToList(), ct));
        if (removes.Count > 0) refused.AddRange(await remote.RemoveAsync(connection, kind, removes.Select(a => a.Pair).ToList(), ct));
        foreach (var (pair, reason) in refused)
        {
            var recordId = adds.Concat(removes).First(a => a.Pair == pair).RecordId;
            agreed[recordId].Remove(kind.To);
            var error = $"{kind.To} association {pair.To}: {reason}";
            links[recordId].LastError = error.Length > FieldLimits.HistoryValue ? error[..FieldLimits.HistoryValue] : error;
            totals = totals with { Errors = totals.Errors + 1 };
        }
        totals = totals with { WrittenOut = totals.WrittenOut + adds.Count + removes.Count - refused.Count };
        if (writes.Count > 0)
        {
            totals = totals with { WrittenIn = totals.WrittenIn + await WriteOursAsync(db, kind, writes, ct) };
            writtenHere.UnionWith(writes.Keys);
        }
        return totals;
    }

    /// <param name="Ours">What ours becomes (their ids); null: ours stays.</param>
    private sealed record Outcome(List<string> Add, List<string> Remove, List<string>? Ours, List<string> Agreed);

    private static Outcome DecideSingle(AssociationCandidate c, DateTimeOffset ourTime, string? ours, string? theirs, List<string>? agreedList, AssociationKind kind, SyncRules rules, ref SyncTotals totals)
    {
        var agreed = agreedList?.FirstOrDefault();
        List<string> One(string? x) => x is null ? [] : [x];
        if (ours == theirs) return new([], [], null, One(ours));
        var oursMoved = agreedList is null ? ours is not null : ours != agreed;
        var theirsMoved = agreedList is null ? theirs is not null : theirs != agreed;
        var winner = (oursMoved, theirsMoved) switch
        {
            (true, false) => "ours",
            (false, true) => "theirs",
            _ => rules.For($"associations.{kind.To}") switch
            {
                ConflictStrategy.OursWins => "ours",
                ConflictStrategy.TheirsWins => "theirs",
                // Their time is known when the run read their record; otherwise ours is the change this run saw.
                ConflictStrategy.LastWriteWins => c.Remote is { } r && r.ModifiedAt > ourTime ? "theirs" : "ours",
                _ => null,
            },
        };
        if (oursMoved && theirsMoved) totals = totals with { Conflicts = totals.Conflicts + 1 };
        return winner switch
        {
            "ours" => new(One(ours), One(theirs), null, One(ours)),
            "theirs" => new([], [], One(theirs), One(theirs)),
            // A person decides: each side keeps its own, and the last agreed state stays, so it is seen again.
            _ => new([], [], null, agreedList ?? []),
        };
    }

    private static Outcome DecideMany(List<string> ours, List<string> theirs, List<string>? agreedList)
    {
        var agreed = (agreedList ?? []).ToHashSet(StringComparer.Ordinal);
        var (o, t) = (ours.ToHashSet(StringComparer.Ordinal), theirs.ToHashSet(StringComparer.Ordinal));
        // In one side only: added there (not agreed before) travels; removed on the other side (agreed before) goes.
        var add = o.Where(x => !t.Contains(x) && !agreed.Contains(x)).ToList();
        var remove = t.Where(x => !o.Contains(x) && agreed.Contains(x)).ToList();
        var keepOurs = o.Where(x => t.Contains(x) || !agreed.Contains(x)).Concat(t.Where(x => !o.Contains(x) && !agreed.Contains(x))).Distinct().ToList();
        var changedHere = !keepOurs.ToHashSet().SetEquals(o);
        return new(add, remove, changedHere ? keepOurs : null, keepOurs);
    }

    /// <summary>Our associated record ids per record, with the record's modification time.</summary>
    private static async Task<Dictionary<long, (List<long> To, DateTimeOffset UpdatedAt)>> OursAsync(ICrmDb db, AssociationKind kind, List<long> ids, CancellationToken ct)
    {
        if (kind.FromActivity)
            return (await db.Activities.Where(a => ids.Contains(a.Id)).Select(a => new { a.Id, a.ContactId, a.AccountId, a.DealId, a.UpdatedAt }).ToListAsync(ct))
                .ToDictionary(a => a.Id, a => ((kind.To switch { "contacts" => a.ContactId, "companies" => a.AccountId, _ => a.DealId }) is { } to ? new List<long> { to } : [], a.UpdatedAt));
        if (kind == AssociationKind.ContactCompany)
            return (await db.Contacts.Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.AccountId, c.UpdatedAt }).ToListAsync(ct))
                .ToDictionary(c => c.Id, c => (c.AccountId is { } a ? new List<long> { a } : [], c.UpdatedAt));
        var deals = await db.Deals.Where(d => ids.Contains(d.Id)).Select(d => new { d.Id, d.AccountId, d.UpdatedAt }).ToListAsync(ct);
        if (kind == AssociationKind.DealCompany)
            return deals.ToDictionary(d => d.Id, d => (d.AccountId is { } a ? new List<long> { a } : [], d.UpdatedAt));
        var contacts = (await db.DealContacts.Where(d => ids.Contains(d.DealId)).Select(d => new { d.DealId, d.ContactId }).ToListAsync(ct))
            .GroupBy(d => d.DealId).ToDictionary(g => g.Key, g => g.Select(d => d.ContactId).ToList());
        return deals.ToDictionary(d => d.Id, d => (contacts.GetValueOrDefault(d.Id) ?? [], d.UpdatedAt));
    }

    /// <summary>Ours takes theirs: through the tracked entities, so the record's history shows the sync's change.</summary>
    private static async Task<int> WriteOursAsync(ICrmDb db, AssociationKind kind, Dictionary<long, List<long>> writes, CancellationToken ct)
    {
        var ids = writes.Keys.ToList();
        if (kind.FromActivity)
        {
            var activities = await db.Activities.Where(a => ids.Contains(a.Id)).ToListAsync(ct);
            foreach (var activity in activities)
            {
                var to = writes[activity.Id].Count > 0 ? writes[activity.Id][0] : (long?)null;
                if (kind.To == "contacts") activity.ContactId = to;
                else if (kind.To == "companies") activity.AccountId = to;
                else activity.DealId = to;
            }
            return activities.Count;
        }
        if (kind == AssociationKind.ContactCompany)
        {
            var contacts = await db.Contacts.Where(c => ids.Contains(c.Id)).ToListAsync(ct);
            foreach (var contact in contacts) contact.AccountId = writes[contact.Id].Count > 0 ? writes[contact.Id][0] : null;
            return contacts.Count;
        }
        var deals = await db.Deals.Include(d => d.Contacts).Where(d => ids.Contains(d.Id)).ToListAsync(ct);
        foreach (var deal in deals)
        {
            var wanted = writes[deal.Id];
            if (kind == AssociationKind.DealCompany)
            {
                deal.AccountId = wanted.Count > 0 ? wanted[0] : null;
                continue;
            }
            deal.Contacts.RemoveAll(dc => !wanted.Contains(dc.ContactId));
            foreach (var contactId in wanted.Where(id => deal.Contacts.All(dc => dc.ContactId != id)))
                if (deal.Contacts.Count < DealContactLimit) deal.Contacts.Add(new DealContact { ContactId = contactId });
        }
        return deals.Count;
    }

    /// <summary>A deal has at most this many contacts here (its form's limit); more there stay there.</summary>
    public const int DealContactLimit = 50;

    private static Dictionary<string, List<string>> Stored(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<Dictionary<string, List<string>>>(json, Json) ?? [];

    public static RecordType RecordTypeOf(string objectType) => objectType switch
    {
        "contacts" => RecordType.Contact,
        "companies" => RecordType.Account,
        "deals" => RecordType.Deal,
        _ when AssociationKind.ActivityTypes.Contains(objectType) => RecordType.Activity,
        _ => throw new ArgumentOutOfRangeException(nameof(objectType), objectType, "Not a synced object type."),
    };
}
