using System.Globalization;
using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Integrations;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Core.Sync;

/// <summary>The other system's record owners, to match with our users.</summary>
public interface IRemoteOwners
{
    Task<IReadOnlyList<(string Id, string? Email)>> OwnersAsync(ConnectionRef connection, CancellationToken ct);
}

/// <summary>
/// Two-way sync of one record type (contacts, companies) with one provider through its <see cref="IRemoteObjects"/> port: their changes since the
/// last run (less an overlap), then ours; each linked pair decided by <see cref="SyncEngine"/>; unlinked ones matched by
/// their match field (a contact's email, a company's domain) first (a create whose answer was lost is found again, not made twice), else created on the other side. Records
/// whose hash did not move are skipped without a call (our own writes coming back). A record either side refuses is
/// marked failing with the reason and retried on the next run; the run goes on. The position is saved at the end.
/// </summary>
/// <param name="every">How often this type syncs at most outside the nightly comparison (activities: hourly); null: every run.</param>
public sealed class RecordSyncer<T>(string provider, string objectType, ISyncedRecords<T> records, ICrmDbFactory dbFactory, IServiceProvider services, IConnectionStatus status, TimeProvider time,
    TimeSpan? every = null)
    : IConnectionSyncer where T : Entity, ITimestamped, ISoftDeletable
{
    public const int Batch = 100;
    /// <summary>Our changed records' ids are read this many at a time (only ids: cheap), then pushed a batch at a time.</summary>
    private const int IdPage = 1_000;
    /// <summary>Changes are read from a little before the last run: the other system's clock and indexing lag behind.</summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromMinutes(2);

    public string Provider => provider;
    public IntegrationType Type => IntegrationType.CrmSync;
    public string ObjectType => objectType;

    private sealed record Cursor(DateTimeOffset? Remote, DateTimeOffset? Local);

    private sealed class Run(ConnectionRef connection, IRemoteObjects remote, FieldMap map, IReadOnlyList<MappedField> mapping, SyncRules rules, OwnerRules? owners)
    {
        /// <summary>The connector's associations when this type has some to keep in step, and the linked records this run saw change on either side.</summary>
        public IRemoteAssociations? Associations { get; init; }
        public SyncDirection Direction { get; init; }
        public List<AssociationCandidate> Associated { get; } = [];
        public ConnectionRef Connection { get; } = connection;
        public IRemoteObjects Remote { get; } = remote;
        /// <summary>The connector's map with this run's value pairs (deal stages) resolved.</summary>
        public FieldMap Map { get; } = map;
        public IReadOnlyList<MappedField> Mapping { get; } = mapping;
        public IReadOnlyList<string> Keys { get; } = mapping.Select(m => m.Field).ToList();
        public SyncRules Rules { get; } = rules;
        public OwnerRules? Owners { get; } = owners;
        public HashSet<long> Handled { get; } = [];
        /// <summary>Per record written here, what decided each field (a conflict rule, or a change on their side only): the history says it.</summary>
        public Dictionary<long, Dictionary<string, string>> Reasons { get; } = [];
        public SyncTotals Totals { get; set; } = new();
    }

    public async Task<SyncTotals> SyncAsync(ConnectionRef connection, bool full, CancellationToken ct)
    {
        var remote = services.GetRequiredKeyedService<IRemoteObjects>($"{provider}:{objectType}");
        var started = time.GetUtcNow();
        var cursor = await status.CursorAsync(connection, objectType, ct) is { } text ? JsonSerializer.Deserialize<Cursor>(text) ?? new Cursor(null, null) : new Cursor(null, null);
        if (!full && every is { } interval && cursor.Remote is { } last && started - last < interval) return new SyncTotals();
        SyncDirection direction;
        SyncRules rules;
        HeldChange? held;
        bool approved;
        int percent;
        FieldMap? saved;
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            var settings = await db.Integrations.Where(i => i.Id == connection.IntegrationId)
                .Select(i => new { i.Direction, i.InitialSyncConfirmedAt, i.ConflictRules, i.HeldChange, i.MassChangeApprovedAt, i.MassChangePercent, i.Mappings }).SingleAsync(ct);
            // Nothing is written before an admin has seen the first sync's preview and confirmed it.
            if (settings.InitialSyncConfirmedAt is null) return new SyncTotals();
            direction = settings.Direction;
            rules = SyncRules.FromJson(settings.ConflictRules);
            held = HeldChange.FromJson(settings.HeldChange);
            approved = held is not null && held.ObjectType == objectType && settings.MassChangeApprovedAt >= held.At;
            percent = settings.MassChangePercent;
            saved = ConnectionMappings.FromJson(settings.Mappings).For(objectType);
        }
        var owners = remote is IRemoteOwners known ? await OwnerRulesAsync(connection, known, ct) : null;
        var map = saved ?? remote.Map;
        if (remote is IRemotePicklists lists && await lists.PicklistsAsync(connection, ct) is { Count: > 0 } picklists)
        {
            await using var db = await dbFactory.CreateAsync(ct);
            map = await records.ResolveAsync(db, map, picklists, ct);
        }
        if (saved is not null) remote = remote.WithMap(map);
        var mapping = map.Fields.Where(f => records.Supports(f.Field) && (f.Field != "owner" || owners is not null))
            .Select(f => f with { Direction = Restrict(f.Direction, direction) }).Where(f => f.Direction != FieldDirection.None).ToList();
        var run = new Run(connection, remote, map, mapping, rules, owners)
        {
            Associations = AssociationKind.Of(objectType).Count > 0 ? services.GetKeyedService<IRemoteAssociations>(provider) : null, Direction = direction,
        };

        var since = !full && cursor.Remote is { } r ? r - Overlap : DateTimeOffset.UnixEpoch;
        var localSince = !full && cursor.Local is { } l ? l - Overlap : DateTimeOffset.MinValue;
        // The first sync was previewed and confirmed; later runs are guarded unless an admin let this one through.
        var guard = cursor.Remote is not null && !approved ? new MassChangeGuard(objectType, await SyncedCountAsync(connection, ct), percent, started) : null;

        // Their changes: streamed batch by batch; a guarded or full run reads them all first (the same calls) to count or compare.
        var buffered = guard is not null || full ? new List<RemoteRecord>() : null;
        // Everything (a first or full run) comes from the plain list, what changed from the search; the next page is
        // fetched while this one is worked on, so the run goes at the provider's rate, not at the sum of both.
        var everything = since == DateTimeOffset.UnixEpoch;
        Task<RemotePage> Fetch(string? at) => everything ? remote.AllAsync(connection, at, ct) : remote.ChangedSinceAsync(connection, since, at, ct);
        var fetching = Fetch(null);
        while (true)
        {
            var changed = await fetching;
            if (changed.Next is { } nextPage) fetching = Fetch(nextPage);
            if (buffered is not null)
            {
                buffered.AddRange(changed.Records);
                if (buffered.Count > BufferLimit) throw new ConflictException($"More than {BufferLimit:N0} {objectType} changed there since the last run; ask for help with a change this large.");
            }
            else
                for (var i = 0; i < changed.Records.Count; i += Batch)
                    await ReconcileAsync(run, changed.Records.Skip(i).Take(Batch).ToList(), ct);
            if (changed.Next is null) break;
        }

        // Archived there: a full run reads by id every linked record they no longer list; an incremental one those their webhooks reported.
        var seen = (buffered ?? []).Select(x => x.Id).ToHashSet(StringComparer.Ordinal);
        var gone = full ? await MissingThereAsync(run, seen, ct)
            : cursor.Remote is not null ? await ReportedDeletedAsync(run, since, seen, ct) : [];
        if (buffered is null)
            for (var i = 0; i < gone.Count; i += Batch)
                await ReconcileAsync(run, gone.Skip(i).Take(Batch).ToList(), ct);
        if (buffered is not null)
        {
            buffered = buffered.GroupBy(x => x.Id).Select(g => g.Last()).ToList();
            buffered.AddRange(gone);
            if (guard is not null)
            {
                await CountTheirsAsync(run, guard, buffered, ct);
                await CountOursAsync(run, guard, localSince, ct);
                if (guard.Exceeded)
                {
                    var hold = guard.Held();
                    await SaveHeldAsync(connection, hold, ct);
                    throw new MassChangeHeldException(hold);
                }
            }
            for (var i = 0; i < buffered.Count; i += Batch)
                await ReconcileAsync(run, buffered.Skip(i).Take(Batch).ToList(), ct);
        }

        long after = 0;
        while (true)
        {
            List<long> ids;
            await using (var db = await dbFactory.CreateAsync(ct))
                ids = await records.Query(db).IgnoreQueryFilters([Deleted]).Where(c => c.Id > after && (c.UpdatedAt > localSince || c.DeletedAt > localSince))
                    .OrderBy(c => c.Id).Select(c => c.Id).Take(IdPage).ToListAsync(ct);
            if (ids.Count == 0) break;
            after = ids[^1];
            // Those this run wrote from their side are done: after a first sync that is nearly all of them, skipped a thousand at a time.
            foreach (var todo in ids.Where(id => !run.Handled.Contains(id)).Chunk(Batch))
                await PushAsync(run, todo.ToList(), ct);
        }
        // Records a person asked to retry (their link forgot its hashes) are compared afresh even if neither side changed them.
        long retried = 0;
        while (true)
        {
            List<(long Id, long RecordId)> links;
            await using (var db = await dbFactory.CreateAsync(ct))
                links = (await db.SyncRecords.Where(l => l.IntegrationId == connection.IntegrationId && l.RecordType == records.RecordType && l.Id > retried
                        && l.LocalHash == null && l.Status == SyncRecordStatus.InSync).OrderBy(l => l.Id).Select(l => new { l.Id, l.RecordId }).Take(Batch).ToListAsync(ct))
                    .Select(l => (l.Id, l.RecordId)).ToList();
            if (links.Count == 0) break;
            retried = links[^1].Id;
            var todo = links.Select(l => l.RecordId).Where(id => run.Handled.Add(id)).ToList();
            if (todo.Count > 0) await PushAsync(run, todo, ct);
        }
        await FlushAssociationsAsync(run, all: true, ct);
        // A full run's position is the incremental one's: it does not move the cursor past changes made while it ran.
        var next = full && cursor.Remote is not null ? cursor : new Cursor(started, started);
        await status.SaveProgressAsync(connection, objectType, JsonSerializer.Serialize(next), run.Totals.ReadIn, run.Totals.WrittenIn, ct);
        if (held?.ObjectType == objectType) await ClearHeldAsync(connection, ct);
        return run.Totals;
    }

    /// <summary>The most records of one type a guarded or full run holds in memory at once (about 1 KB each).</summary>
    public const int BufferLimit = 500_000;

    private async Task<int> SyncedCountAsync(ConnectionRef connection, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        // A create that has not gone through yet is not a synced record (nothing there to archive or overwrite).
        return await db.SyncRecords.CountAsync(l => l.IntegrationId == connection.IntegrationId && l.RecordType == records.RecordType && l.Status != SyncRecordStatus.Excluded
            && !l.ExternalId.StartsWith(PendingPrefix), ct);
    }

    /// <summary>Linked records their full list left out, read by id: archived or merged away there, they come back archived.</summary>
    private async Task<IReadOnlyList<RemoteRecord>> MissingThereAsync(Run run, HashSet<string> listed, CancellationToken ct)
    {
        var missing = new List<string>();
        long after = 0;
        while (true)
        {
            List<(long Id, string ExternalId)> links;
            await using (var db = await dbFactory.CreateAsync(ct))
                links = (await db.SyncRecords.Where(l => l.IntegrationId == run.Connection.IntegrationId && l.RecordType == records.RecordType && l.Id > after && l.Status != SyncRecordStatus.Excluded)
                    .OrderBy(l => l.Id).Select(l => new { l.Id, l.ExternalId }).Take(1000).ToListAsync(ct)).Select(l => (l.Id, l.ExternalId)).ToList();
            if (links.Count == 0) break;
            after = links[^1].Id;
            missing.AddRange(links.Select(l => l.ExternalId).Where(id => !listed.Contains(id) && !id.StartsWith(PendingPrefix, StringComparison.Ordinal)));
        }
        return missing.Count == 0 ? [] : await run.Remote.ReadAsync(run.Connection, missing, ct);
    }

    /// <summary>Linked records their webhooks reported deleted, read by id: those really gone come back archived (a restored one comes back as it is).</summary>
    private async Task<IReadOnlyList<RemoteRecord>> ReportedDeletedAsync(Run run, DateTimeOffset since, HashSet<string> seen, CancellationToken ct)
    {
        if (services.GetKeyedService<IRemoteDeletions>(provider) is not { } deletions) return [];
        var reported = (await deletions.DeletedSinceAsync(run.Connection, objectType, since, ct)).Where(id => !seen.Contains(id)).ToList();
        if (reported.Count == 0) return [];
        List<string> linked;
        await using (var db = await dbFactory.CreateAsync(ct))
            linked = await db.SyncRecords.Where(l => l.IntegrationId == run.Connection.IntegrationId && l.Provider == provider && l.RecordType == records.RecordType && reported.Contains(l.ExternalId))
                .Select(l => l.ExternalId).ToListAsync(ct);
        return linked.Count == 0 ? [] : await run.Remote.ReadAsync(run.Connection, linked, ct);
    }

    /// <summary>Their changes to linked records that would delete or overwrite ours.</summary>
    private async Task CountTheirsAsync(Run run, MassChangeGuard guard, IReadOnlyList<RemoteRecord> theirs, CancellationToken ct)
    {
        foreach (var chunk in theirs.Chunk(500))
        {
            await using var db = await dbFactory.CreateAsync(ct);
            var ids = chunk.Select(x => x.Id).ToList();
            var links = await db.SyncRecords.AsNoTracking().Where(l => l.IntegrationId == run.Connection.IntegrationId && l.Provider == provider && l.RecordType == records.RecordType && ids.Contains(l.ExternalId))
                .ToDictionaryAsync(l => l.ExternalId, ct);
            foreach (var record in chunk)
            {
                if (!links.TryGetValue(record.Id, out var link) || link.Status == SyncRecordStatus.Excluded) continue;
                var side = TheirSide(run, record, new List<string>());
                if (record.ArchivedAt is not null) guard.Add(link.RecordId, record.Id, Name(side.Fields, record.Id), "archived there: would be deleted here");
                else if (side.Hash(run.Keys) != link.RemoteHash && Overwrites(run, side, BaseOf(link).RemoteValues))
                    guard.Add(link.RecordId, record.Id, Name(side.Fields, record.Id), "changed there: would overwrite ours");
            }
        }
    }

    /// <summary>Our changes to linked records that would archive or overwrite theirs.</summary>
    private async Task CountOursAsync(Run run, MassChangeGuard guard, DateTimeOffset localSince, CancellationToken ct)
    {
        long after = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateAsync(ct);
            var linked = db.SyncRecords.Where(l => l.IntegrationId == run.Connection.IntegrationId && l.RecordType == records.RecordType && l.Status != SyncRecordStatus.Excluded
                && !l.ExternalId.StartsWith(PendingPrefix));
            var batch = await records.Query(db).AsNoTracking().IgnoreQueryFilters([Deleted])
                .Where(c => c.Id > after && (c.UpdatedAt > localSince || c.DeletedAt > localSince) && linked.Any(l => l.RecordId == c.Id))
                .OrderBy(c => c.Id).Take(500).ToListAsync(ct);
            if (batch.Count == 0) break;
            after = batch[^1].Id;
            var ids = batch.Select(c => c.Id).ToList();
            var links = (await linked.AsNoTracking().Where(l => ids.Contains(l.RecordId)).ToListAsync(ct)).GroupBy(l => l.RecordId).ToDictionary(g => g.Key, g => g.First());
            foreach (var record in batch)
            {
                var link = links[record.Id];
                var fields = records.Read(record);
                var side = new SyncSide(fields, record.UpdatedAt);
                if (record.DeletedAt is not null) guard.Add(record.Id, link.ExternalId, Name(fields, link.ExternalId), "deleted here: would be archived there");
                else if (side.Hash(run.Keys) != link.LocalHash && Overwrites(run, side, BaseOf(link).LocalValues))
                    guard.Add(record.Id, link.ExternalId, Name(fields, link.ExternalId), "changed here: would overwrite theirs");
            }
        }
    }

    /// <summary>
    /// A value agreed at the last sync now differs: an overwrite. A field the last sync did not carry (newly mapped) is
    /// a first fill, not an overwrite, so a new mapping does not make every record look changed.
    /// </summary>
    private static bool Overwrites(Run run, SyncSide side, IReadOnlyDictionary<string, string?> agreed) =>
        agreed.Any(f => run.Keys.Contains(f.Key) && side.Fields.ContainsKey(f.Key) && side.Value(f.Key) != SyncSide.Normal(f.Value));

    /// <summary>How a record is named in a held change's list: a name, a person and their email, else an email or a domain.</summary>
    private static string Name(IReadOnlyDictionary<string, string?> fields, string fallback)
    {
        if (fields.GetValueOrDefault("name") is { } name) return name;
        var person = string.Join(' ', new[] { fields.GetValueOrDefault("firstName"), fields.GetValueOrDefault("lastName") }.OfType<string>());
        var email = fields.GetValueOrDefault("email");
        if (person.Length > 0) return email is null ? person : $"{person} <{email}>";
        return email ?? fields.GetValueOrDefault("domain") ?? fallback;
    }

    private async Task SaveHeldAsync(ConnectionRef connection, HeldChange held, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var row = await db.Integrations.SingleAsync(i => i.Id == connection.IntegrationId, ct);
        row.HeldChange = held.ToJson();
        row.MassChangeApprovedAt = null;
        await db.SaveChangesAsync(ct);
    }

    private async Task ClearHeldAsync(ConnectionRef connection, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var row = await db.Integrations.SingleAsync(i => i.Id == connection.IntegrationId, ct);
        (row.HeldChange, row.MassChangeApprovedAt) = (null, null);
        await db.SaveChangesAsync(ct);
    }

    private const string Deleted = "SoftDelete";

    private static FieldDirection Restrict(FieldDirection field, SyncDirection connection) => (field, connection) switch
    {
        (_, SyncDirection.Bidirectional) => field,
        (FieldDirection.Both or FieldDirection.In, SyncDirection.InOnly) => FieldDirection.In,
        (FieldDirection.Both or FieldDirection.Out, SyncDirection.OutOnly) => FieldDirection.Out,
        _ => FieldDirection.None,
    };

    private async Task<OwnerRules> OwnerRulesAsync(ConnectionRef connection, IRemoteOwners remote, CancellationToken ct)
    {
        var theirs = await remote.OwnersAsync(connection, ct);
        await using var db = await dbFactory.CreateAsync(ct);
        var settings = await db.Integrations.Where(i => i.Id == connection.IntegrationId).Select(i => new { i.OwnerMap, i.FallbackOwnerUserId }).SingleAsync(ct);
        var users = await db.Users.Where(u => u.IsActive).Select(u => new { u.Id, u.Email, u.Role }).ToListAsync(ct);
        return OwnerMapping.Rules(theirs, users.Select(u => (u.Id, u.Email, u.Role == Users.UserRole.Admin)).ToList(), OwnerMapping.Parse(settings.OwnerMap), settings.FallbackOwnerUserId);
    }

    /// <summary>Their record in our field keys: the map, then their owner as our user.</summary>
    private static SyncSide TheirSide(Run run, RemoteRecord record, ICollection<string> problems)
    {
        var fields = run.Map.ToOurs(record.Properties, problems);
        if (run.Owners is not null && fields.TryGetValue("owner", out var owner))
            fields["owner"] = owner is null ? null : run.Owners.Incoming(owner).UserId.ToString(CultureInfo.InvariantCulture);
        return new SyncSide(fields.Where(f => run.Keys.Contains(f.Key)).ToDictionary(), record.ModifiedAt, null, record.ArchivedAt);
    }

    private static Dictionary<string, string?> TheirProperties(Run run, IReadOnlyDictionary<string, string?> ours, ICollection<string> problems)
    {
        var values = new Dictionary<string, string?>(ours);
        if (run.Owners is not null && values.TryGetValue("owner", out var owner) && owner is not null)
        {
            // Our owner with no counterpart there leaves theirs as it is (never cleared for want of a mapping).
            if (run.Owners.Outgoing(long.Parse(owner, CultureInfo.InvariantCulture)).ExternalOwnerId is { } external) values["owner"] = external;
            else values.Remove("owner");
        }
        return run.Map.ToTheirs(values, problems);
    }

    /// <summary>
    /// What their side holds after a write, in our keys: what it held, with what we sent read back the way their records
    /// are read (a value that did not go out keeps theirs) — so the next read of the record is not taken for a change there.
    /// </summary>
    private static Dictionary<string, string?> AfterWrite(Run run, IReadOnlyDictionary<string, string?> before, IReadOnlyDictionary<string, string?> sent)
    {
        var after = new Dictionary<string, string?>(before);
        foreach (var (field, value) in TheirSide(run, new RemoteRecord("", sent, default), new List<string>()).Fields) after[field] = value;
        return after;
    }

    private static SyncBase BaseOf(SyncRecord link) =>
        link.SyncedValues is { } json && JsonSerializer.Deserialize<StoredBase>(json) is { } stored
            ? new SyncBase(link.LocalHash, link.RemoteHash, stored.Local, stored.Remote, link.LastSyncedAt ?? DateTimeOffset.MinValue)
            : SyncBase.New(link.LastSyncedAt ?? DateTimeOffset.MinValue);

    private sealed record StoredBase(Dictionary<string, string?> Local, Dictionary<string, string?> Remote);

    private void Remember(Run run, SyncRecord link, IReadOnlyDictionary<string, string?> local, IReadOnlyDictionary<string, string?> remote)
    {
        var localSide = new SyncSide(local, default);
        var remoteSide = new SyncSide(remote, default);
        link.LocalHash = localSide.Hash(run.Keys);
        link.RemoteHash = remoteSide.Hash(run.Keys);
        // Only what each side was seen to hold: a field never read there (one they calculate) is not "agreed empty".
        link.SyncedValues = JsonSerializer.Serialize(new StoredBase(
            run.Keys.Where(local.ContainsKey).ToDictionary(k => k, localSide.Value), run.Keys.Where(remote.ContainsKey).ToDictionary(k => k, remoteSide.Value)));
        link.LastSyncedAt = time.GetUtcNow();
        link.LocalVersion = null;
    }

    /// <param name="Problems">Our values with no counterpart there: the rest is written, the record is shown failing with them.</param>
    private sealed record Pending(SyncRecord? Link, T Contact, RemoteWrite Write, Dictionary<string, string?> RemoteAfter, IReadOnlyList<string>? Problems = null);

    /// <summary>Their changed records: matched, decided, written here; what goes back out is written there in one batch.</summary>
    private async Task ReconcileAsync(Run run, List<RemoteRecord> batch, CancellationToken ct)
    {
        if (batch.Any(r => r.ArchivedAt is null && r.MergedIds is { Count: > 0 })) await FollowMergesAsync(run, batch, ct);
        await using var db = await dbFactory.CreateAsync(ct);
        var ids = batch.Select(r => r.Id).ToList();
        var links = await db.SyncRecords.Where(l => l.IntegrationId == run.Connection.IntegrationId && l.Provider == provider && l.RecordType == records.RecordType && ids.Contains(l.ExternalId))
            .ToDictionaryAsync(l => l.ExternalId, ct);
        var writes = new List<Pending>();
        var archives = new List<(SyncRecord Link, T Contact)>();
        var created = new List<(T Contact, RemoteRecord Record, SyncSide Theirs, List<string> Problems)>();
        run.Totals = run.Totals with { ReadIn = run.Totals.ReadIn + batch.Count };
        var present = records.MatchField is { } field
            ? await records.PresentAsync(db, batch.Where(r => !links.ContainsKey(r.Id) && r.ArchivedAt is null)
                .Select(r => TheirSide(run, r, new List<string>()).Value(field)).OfType<string>().ToList(), ct)
            : new HashSet<string>();
        foreach (var record in batch)
        {
            var problems = new List<string>();
            var theirs = TheirSide(run, record, problems);
            if (links.TryGetValue(record.Id, out var link))
            {
                if (link.Status == SyncRecordStatus.Excluded) continue;
                if (record.ArchivedAt is null && theirs.Hash(run.Keys) == link.RemoteHash) continue;
                var contact = await records.Query(db).IgnoreQueryFilters([Deleted]).SingleOrDefaultAsync(c => c.Id == link.RecordId, ct);
                if (contact is null) continue;
                run.Handled.Add(contact.Id);
                await DecideAsync(db, run, link, contact, theirs, record, problems, writes, archives, ct);
                continue;
            }
            if (record.ArchivedAt is not null) continue;
            var key = records.MatchField is { } matchField ? theirs.Value(matchField) : null;
            var linkedIds = db.SyncRecords.Where(l => l.IntegrationId == run.Connection.IntegrationId && l.RecordType == records.RecordType
                && !l.ExternalId.StartsWith(PendingPrefix)).Select(l => l.RecordId);
            // Ours, created there by a run whose answer was lost: linked by its key, never created here a second time.
            var match = KeyedTo(run, record) is { } ourId
                ? await records.Query(db).Where(c => c.Id == ourId && !linkedIds.Contains(c.Id)).SingleOrDefaultAsync(ct)
                : null;
            match ??= key is null || !present.Contains(key.ToLowerInvariant()) ? null : await records.MatchAsync(db, key, linkedIds, ct);
            // A create of ours still waiting (its answer lost, or refused) gives way to the link to the record found there.
            if (match is not null && await db.SyncRecords.SingleOrDefaultAsync(l => l.IntegrationId == run.Connection.IntegrationId && l.RecordType == records.RecordType
                    && l.RecordId == match.Id && l.ExternalId.StartsWith(PendingPrefix), ct) is { } stale)
                db.SyncRecords.Remove(stale);
            if (match is not null)
            {
                var fresh = NewLink(run, match.Id, record.Id);
                db.SyncRecords.Add(fresh);
                run.Handled.Add(match.Id);
                await DecideAsync(db, run, fresh, match, theirs, record, problems, writes, archives, ct);
                continue;
            }
            var contact2 = records.New();
            try
            {
                await records.WriteAsync(db, contact2, run.Mapping.Where(m => m.ComesIn).Where(m => theirs.Fields.ContainsKey(m.Field))
                    .ToDictionary(m => m.Field, m => theirs.Value(m.Field)), ct);
                records.Add(db, contact2);
                created.Add((contact2, record, theirs, problems));
            }
            catch (ValidationFailedException)
            {
                // Nothing of ours to hang the failure on: counted on the run; their record is read again when it changes.
                run.Totals = run.Totals with { Errors = run.Totals.Errors + 1 };
            }
        }
        await db.SaveChangesAsync(ct);
        await AnnotateAsync(db, run, ct);
        foreach (var (contact, record, theirs, problems) in created)
        {
            var link = NewLink(run, contact.Id, record.Id);
            Remember(run, link, records.Read(contact), theirs.Fields);
            // Created without the values that have no counterpart here (an unmapped stage): shown as failing until mapped.
            if (problems.Count > 0) Fail(link, string.Join(" ", problems));
            link.RemoteVersion = HubSpotVersion(record);
            db.SyncRecords.Add(link);
            run.Handled.Add(contact.Id);
            run.Totals = run.Totals with { WrittenIn = run.Totals.WrittenIn + 1 };
        }
        await db.SaveChangesAsync(ct);
        await WriteOutAsync(db, run, writes, archives, ct);
        // Their records' associations, whatever their fields did: an association change there shows only as a modification.
        await CollectAssociationsAsync(db, run, batch.Where(r => r.ArchivedAt is null).ToDictionary(r => r.Id, r => (RemoteRecord?)r), ct);
    }

    /// <summary>
    /// Records merged there: a merged-away id linked to one of ours follows it. When the surviving record is linked to
    /// another of ours, ours merge the same way (theirs is the one kept; the merge can be undone here like any other);
    /// when it is not linked yet, ours is linked to it (re-linked, not re-created); a link left over is removed.
    /// </summary>
    private async Task FollowMergesAsync(Run run, List<RemoteRecord> batch, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        foreach (var record in batch.Where(r => r.ArchivedAt is null && r.MergedIds is { Count: > 0 }))
        {
            var merged = record.MergedIds!.Where(id => id != record.Id).ToList();
            var losers = await db.SyncRecords.Where(l => l.IntegrationId == run.Connection.IntegrationId && l.Provider == provider && l.RecordType == records.RecordType && merged.Contains(l.ExternalId)
                && l.MergedFromRecordId == null).ToListAsync(ct);
            if (losers.Count == 0) continue;
            var survivor = await db.SyncRecords.FirstOrDefaultAsync(l => l.IntegrationId == run.Connection.IntegrationId && l.Provider == provider && l.RecordType == records.RecordType && l.ExternalId == record.Id, ct);
            foreach (var loser in losers)
            {
                if (survivor is null)
                {
                    loser.ExternalId = record.Id;
                    survivor = loser;
                    continue;
                }
                if (survivor.RecordId != loser.RecordId)
                {
                    try
                    {
                        await records.MergeAsync(db, survivor.RecordId, loser.RecordId, time.GetUtcNow(), ct);
                        run.Totals = run.Totals with { WrittenIn = run.Totals.WrittenIn + 1 };
                    }
                    catch (Exception e) when (e is NotFoundException or ValidationFailedException)
                    {
                        // One of ours is gone already: nothing to merge, only the link to drop.
                    }
                }
                db.SyncRecords.Remove(loser);
            }
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>The linked records among these (their id → their record, when read) join the run's association check.</summary>
    private async Task CollectAssociationsAsync(ICrmDb db, Run run, Dictionary<string, RemoteRecord?> seen, CancellationToken ct)
    {
        if (run.Associations is null || seen.Count == 0) return;
        var ids = seen.Keys.ToList();
        var linked = await db.SyncRecords.AsNoTracking().Where(l => l.IntegrationId == run.Connection.IntegrationId && l.Provider == provider && l.RecordType == records.RecordType && ids.Contains(l.ExternalId))
            .Select(l => new { l.RecordId, l.ExternalId }).ToListAsync(ct);
        run.Associated.AddRange(linked.Select(l => new AssociationCandidate(l.RecordId, l.ExternalId, seen[l.ExternalId])));
        await FlushAssociationsAsync(run, all: false, ct);
    }

    private async Task FlushAssociationsAsync(Run run, bool all, CancellationToken ct)
    {
        if (run.Associations is null || run.Associated.Count == 0 || !all && run.Associated.Count < AssociationSyncer.ReadBatch) return;
        run.Totals += await new AssociationSyncer(dbFactory).SyncAsync(run.Connection, run.Associations, objectType, run.Associated.ToList(), run.Rules, run.Direction, ct);
        run.Associated.Clear();
    }

    private void Explain(Run run, long recordId, SyncDecision decision)
    {
        var reasons = run.Reasons.TryGetValue(recordId, out var known) ? known : run.Reasons[recordId] = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in decision.ToLocal.Keys)
            reasons[field] = decision.Conflicts.FirstOrDefault(c => c.Field == field && c.Winner is not null) is { } conflict
                ? $"{provider} sync, both changed: {SyncEngine.Name(conflict.Rule)}"
                : $"{provider} sync, changed there";
    }

    /// <summary>The history rows this save wrote for synced fields say which rule (or which side's change) decided them.</summary>
    private async Task AnnotateAsync(ICrmDb db, Run run, CancellationToken ct)
    {
        if (run.Reasons.Count == 0) return;
        var annotated = false;
        foreach (var change in db.FieldChanges.Local.Where(c => c.Source == ChangeSource.Sync && c.RecordType == records.RecordType && c.Kind == History.ChangeKind.Updated))
        {
            if (!run.Reasons.TryGetValue(change.RecordId, out var fields)) continue;
            // History names properties ("FirstName", "StageId"), the sync our field keys ("firstName", "stage").
            var reason = fields.GetValueOrDefault(change.Field) ?? (change.Field.EndsWith("Id", StringComparison.Ordinal) ? fields.GetValueOrDefault(change.Field[..^2]) : null);
            if (reason is null || change.SourceRef == reason) continue;
            change.SourceRef = reason.Length > FieldLimits.Name ? reason[..FieldLimits.Name] : reason;
            annotated = true;
        }
        run.Reasons.Clear();
        if (annotated) await db.SaveChangesAsync(ct);
    }

    /// <summary>Our changed records: those whose hash moved are compared with theirs (one batch read) or created there.</summary>
    private async Task PushAsync(Run run, List<long> ids, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var contacts = await records.Query(db).IgnoreQueryFilters([Deleted]).Where(c => ids.Contains(c.Id)).ToListAsync(ct);
        var links = (await db.SyncRecords.Where(l => l.IntegrationId == run.Connection.IntegrationId && l.RecordType == records.RecordType && ids.Contains(l.RecordId)).ToListAsync(ct))
            .GroupBy(l => l.RecordId).ToDictionary(g => g.Key, g => g.OrderBy(l => l.MergedFromRecordId is null ? 0 : 1).First());
        // Whose associations to compare: ours changed since their last sync (or never compared), seen before this batch's writes move the links on.
        var associationsToCheck = run.Associations is null ? [] : contacts.Where(c => c.DeletedAt is null
            && (!links.TryGetValue(c.Id, out var l) || l.Associations is null || l.LastSyncedAt is null || c.UpdatedAt > l.LastSyncedAt)).Select(c => c.Id).ToList();
        var compare = new List<(T Contact, SyncRecord Link)>();
        var create = new List<T>();
        foreach (var contact in contacts)
        {
            run.Handled.Add(contact.Id);
            var ours = new SyncSide(records.Read(contact), contact.UpdatedAt, null, contact.DeletedAt);
            if (links.TryGetValue(contact.Id, out var link) && !link.ExternalId.StartsWith(PendingPrefix, StringComparison.Ordinal))
            {
                if (link.Status == SyncRecordStatus.Excluded || !ours.Deleted && ours.Hash(run.Keys) == link.LocalHash) continue;
                compare.Add((contact, link));
            }
            else if (contact.DeletedAt is null && run.Mapping.Any(m => m.GoesOut)) create.Add(contact);
        }
        var writes = new List<Pending>();
        var archives = new List<(SyncRecord Link, T Contact)>();
        var mergedThere = new List<RemoteRecord>();
        if (compare.Count > 0)
        {
            var read = await run.Remote.ReadAsync(run.Connection, compare.Select(c => c.Link.ExternalId).ToList(), ct);
            var theirs = new Dictionary<string, RemoteRecord>(StringComparer.Ordinal);
            foreach (var r in read) foreach (var id in (r.MergedIds ?? []).Append(r.Id)) theirs[id] = r;
            run.Totals = run.Totals with { ReadOut = run.Totals.ReadOut + compare.Count };
            foreach (var (contact, link) in compare)
            {
                if (!theirs.TryGetValue(link.ExternalId, out var record)) continue;
                // Merged away there since: the record it lives on in is reconciled (and the merge followed) below.
                if (record.Id != link.ExternalId) { mergedThere.Add(record); continue; }
                var problems = new List<string>();
                await DecideAsync(db, run, link, contact, TheirSide(run, record, problems), record, problems, writes, archives, ct);
            }
        }
        if (create.Count > 0)
        {
            run.Totals = run.Totals with { ReadOut = run.Totals.ReadOut + create.Count };
            // A create whose answer was lost last time exists there already: found by its match field, linked, not made twice.
            var theirKey = records.MatchField is { } mf ? run.Map.Entries.FirstOrDefault(e => e.Ours == mf)?.Theirs : null;
            var keys = theirKey is null ? [] : create.Select(c => SyncSide.Normal(records.Read(c).GetValueOrDefault(records.MatchField!))).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var existing = keys.Count == 0 ? [] : (await run.Remote.FindAsync(run.Connection, theirKey!, keys, ct))
                .GroupBy(r => r.Properties.GetValueOrDefault(theirKey!)?.ToLowerInvariant() ?? "").ToDictionary(g => g.Key, g => g.First());
            // A create tried before (its link still pending) may have gone through with its answer lost: found by our key there.
            var keyProperty = run.Remote.KeyProperty;
            var retried = keyProperty is null ? [] : create.Where(c => links.GetValueOrDefault(c.Id) is { } l && l.ExternalId.StartsWith(PendingPrefix, StringComparison.Ordinal))
                .Select(c => OurKey(run, c.Id)).ToList();
            var madeBefore = retried.Count == 0 ? [] : (await run.Remote.FindAsync(run.Connection, keyProperty!, retried, ct))
                .Where(r => r.Properties.GetValueOrDefault(keyProperty!) is not null).GroupBy(r => r.Properties[keyProperty!]!).ToDictionary(g => g.Key, g => g.First());
            foreach (var contact in create)
            {
                var pending = links.GetValueOrDefault(contact.Id);
                if ((madeBefore.TryGetValue(OurKey(run, contact.Id), out var record)
                     || records.MatchField is { } field && SyncSide.Normal(records.Read(contact).GetValueOrDefault(field)) is { } matchKey
                     && existing.TryGetValue(matchKey.ToLowerInvariant(), out record))
                    && !await db.SyncRecords.AnyAsync(l => l.IntegrationId == run.Connection.IntegrationId && l.Provider == provider && l.RecordType == records.RecordType && l.ExternalId == record.Id, ct))
                {
                    if (pending is not null) db.SyncRecords.Remove(pending);
                    var link = NewLink(run, contact.Id, record.Id);
                    db.SyncRecords.Add(link);
                    var problems = new List<string>();
                    await DecideAsync(db, run, link, contact, TheirSide(run, record, problems), record, problems, writes, archives, ct);
                    continue;
                }
                var problemsOut = new List<string>();
                var ours = records.Read(contact).Where(f => run.Mapping.Any(m => m.Field == f.Key && m.GoesOut)).ToDictionary();
                var properties = TheirProperties(run, ours, problemsOut);
                // Values with no counterpart there stay out (listed on the record); a field the record cannot exist without there stops the create.
                var untranslated = ours.Where(f => f.Value is not null && run.Map.Entries.FirstOrDefault(e => e.Ours == f.Key) is { } e && !properties.ContainsKey(e.Theirs)).Select(f => f.Key);
                if (untranslated.Any(records.RequiredThere.Contains))
                {
                    // Not created there half-made (a deal without its stage): failing with the reason until the mapping or the record changes.
                    if (pending is null) db.SyncRecords.Add(pending = NewLink(run, contact.Id, PendingPrefix + contact.Id.ToString(CultureInfo.InvariantCulture)));
                    Fail(pending, string.Join(" ", problemsOut));
                    run.Totals = run.Totals with { Errors = run.Totals.Errors + 1 };
                    continue;
                }
                // The key goes with the create, and the attempt is on record before it is sent: an answer lost on the way is found next time.
                if (keyProperty is not null) properties[keyProperty] = OurKey(run, contact.Id);
                if (pending is null) db.SyncRecords.Add(pending = NewLink(run, contact.Id, PendingPrefix + contact.Id.ToString(CultureInfo.InvariantCulture)));
                writes.Add(new Pending(pending, contact, new RemoteWrite(contact.Id.ToString(CultureInfo.InvariantCulture), null, properties),
                    AfterWrite(run, new Dictionary<string, string?>(), properties), problemsOut));
            }
        }
        await db.SaveChangesAsync(ct);
        await AnnotateAsync(db, run, ct);
        await WriteOutAsync(db, run, writes, archives, ct);
        if (mergedThere.Count > 0) await ReconcileAsync(run, mergedThere.DistinctBy(r => r.Id).ToList(), ct);
        if (associationsToCheck.Count > 0)
        {
            var linked = await db.SyncRecords.AsNoTracking().Where(l => l.IntegrationId == run.Connection.IntegrationId && l.RecordType == records.RecordType
                    && associationsToCheck.Contains(l.RecordId) && !l.ExternalId.StartsWith(PendingPrefix))
                .Select(l => new { l.RecordId, l.ExternalId }).ToListAsync(ct);
            run.Associated.AddRange(linked.Select(l => new AssociationCandidate(l.RecordId, l.ExternalId, null)));
            await FlushAssociationsAsync(run, all: false, ct);
        }
    }

    private async Task DecideAsync(ICrmDb db, Run run, SyncRecord link, T contact, SyncSide theirs, RemoteRecord record, List<string> problems,
        List<Pending> writes, List<(SyncRecord, T)> archives, CancellationToken ct)
    {
        var ours = new SyncSide(records.Read(contact), contact.UpdatedAt, null, contact.DeletedAt);
        var decision = SyncEngine.Decide(BaseOf(link), ours, theirs, run.Mapping, run.Rules);
        link.RemoteVersion = HubSpotVersion(record);
        link.LastAttemptAt = time.GetUtcNow();
        try
        {
            switch (decision.Action)
            {
                case SyncAction.DeleteLocal:
                    contact.DeletedAt = time.GetUtcNow();
                    run.Totals = run.Totals with { WrittenIn = run.Totals.WrittenIn + 1 };
                    break;
                case SyncAction.RestoreLocal:
                    contact.DeletedAt = null;
                    Explain(run, contact.Id, decision);
                    await records.WriteAsync(db, contact, decision.ToLocal, ct);
                    run.Totals = run.Totals with { WrittenIn = run.Totals.WrittenIn + 1 };
                    break;
                case SyncAction.Update when decision.ToLocal.Count > 0:
                    Explain(run, contact.Id, decision);
                    await records.WriteAsync(db, contact, decision.ToLocal, ct);
                    run.Totals = run.Totals with { WrittenIn = run.Totals.WrittenIn + 1 };
                    break;
                case SyncAction.ArchiveRemote:
                    archives.Add((link, contact));
                    return;
                case SyncAction.Unlink:
                    db.SyncRecords.Remove(link);
                    return;
                case SyncAction.Queue:
                    link.ConflictStatus = SyncConflictStatus.Pending;
                    link.LastError = "Waiting for a person: " + (decision.Conflicts.Count > 0 ? string.Join(", ", decision.Conflicts.Select(c => c.Field)) : decision.Reason);
                    run.Totals = run.Totals with { Conflicts = run.Totals.Conflicts + 1 };
                    break;
            }
            await QueueAsync(db, run, link, contact, decision.Conflicts.Where(c => c.Winner is null), ct);
        }
        catch (ValidationFailedException e)
        {
            Fail(link, Reason(e));
            run.Totals = run.Totals with { Errors = run.Totals.Errors + 1 };
            return;
        }
        run.Totals = run.Totals with { Conflicts = run.Totals.Conflicts + decision.Conflicts.Count(c => c.Winner is not null) };
        if (decision.ToRemote.Count > 0 || decision.Action == SyncAction.RestoreRemote)
        {
            // The link learns the new state once the write has gone through (WriteOutAsync); until then our side counts as changed.
            var id = decision.Action == SyncAction.RestoreRemote ? null : link.ExternalId;
            var outgoing = new List<string>();
            var sent = TheirProperties(run, decision.ToRemote, outgoing);
            writes.Add(new Pending(link, contact, new RemoteWrite(contact.Id.ToString(CultureInfo.InvariantCulture), id, sent), AfterWrite(run, theirs.Fields, sent),
                [.. problems, .. outgoing]));
            return;
        }
        if (decision.Action != SyncAction.Queue)
        {
            link.Status = problems.Count > 0 ? SyncRecordStatus.Failing : SyncRecordStatus.InSync;
            link.LastError = problems.Count > 0 ? string.Join(" ", problems) : null;
            link.ErrorCount = problems.Count > 0 ? link.ErrorCount + 1 : 0;
        }
        Remember(run, link, records.Read(contact), theirs.Fields);
    }

    /// <summary>Fields a person decides go to the conflict queue, one open entry per record and field, kept up to date while it waits.</summary>
    private async Task QueueAsync(ICrmDb db, Run run, SyncRecord link, T contact, IEnumerable<FieldConflict> conflicts, CancellationToken ct)
    {
        foreach (var conflict in conflicts)
        {
            var open = link.Id == 0 ? null : await db.SyncConflicts.SingleOrDefaultAsync(c => c.SyncRecordId == link.Id && c.Field == conflict.Field && c.State == SyncConflictState.Open, ct);
            if (open is null)
            {
                if (link.Id == 0) { db.SyncRecords.Add(link); await db.SaveChangesAsync(ct); }
                db.SyncConflicts.Add(open = new SyncConflict
                {
                    IntegrationId = run.Connection.IntegrationId, SyncRecordId = link.Id, RecordType = records.RecordType, RecordId = contact.Id, ExternalId = link.ExternalId,
                    Field = conflict.Field, State = SyncConflictState.Open, CreatedAt = time.GetUtcNow(),
                });
            }
            (open.OursValue, open.TheirsValue, open.OursChangedAt, open.TheirsChangedAt) = (conflict.Ours, conflict.Theirs, conflict.OursAt, conflict.TheirsAt);
            open.OursChangedBy = await (from change in db.FieldChanges
                                        where change.RecordType == records.RecordType && change.RecordId == contact.Id && change.Source != ChangeSource.Sync
                                        orderby change.Id descending
                                        select db.Users.Where(u => u.Id == change.ActorUserId).Select(u => u.Name).FirstOrDefault()).FirstOrDefaultAsync(ct);
        }
    }

    /// <summary>Writes and archives there, then records each result on its link (a refusal keeps our side "changed", so it is tried again).</summary>
    private async Task WriteOutAsync(ICrmDb db, Run run, List<Pending> writes, List<(SyncRecord Link, T Contact)> archives, CancellationToken ct)
    {
        if (writes.Count > 0)
        {
            var results = (await run.Remote.WriteAsync(run.Connection, writes.Select(w => w.Write).ToList(), ct)).ToDictionary(r => r.Key);
            foreach (var pending in writes)
            {
                var result = results.GetValueOrDefault(pending.Write.Key);
                var link = pending.Link;
                if (result is null || result.Outcome == WriteOutcome.Refused)
                {
                    var reason = result?.Reason ?? "The provider gave no answer for this record.";
                    if (link is null)
                    {
                        link = NewLink(run, pending.Contact.Id, PendingPrefix + pending.Contact.Id.ToString(CultureInfo.InvariantCulture));
                        db.SyncRecords.Add(link);
                    }
                    // The link keeps the last agreed state, so our side still counts as changed and the next run tries again.
                    Fail(link, reason);
                    run.Totals = run.Totals with { Errors = run.Totals.Errors + 1 };
                    continue;
                }
                if (link is null)
                {
                    link = NewLink(run, pending.Contact.Id, result.Id!);
                    db.SyncRecords.Add(link);
                }
                // A first create (or a re-create after an archive) gives the record its id there.
                if (result.Id is { } id) link.ExternalId = id;
                link.Status = SyncRecordStatus.InSync;
                link.LastError = null;
                link.ErrorCount = 0;
                var remoteAfter = pending.RemoteAfter;
                if (result.Record is { } written)
                {
                    link.RemoteVersion = HubSpotVersion(written);
                    // What they answered holds what they calculated from our write (a deal's probability from its stage): remembered as theirs.
                    foreach (var (field, value) in TheirSide(run, written, new List<string>()).Fields) remoteAfter[field] = value;
                }
                Remember(run, link, records.Read(pending.Contact), remoteAfter);
                if (pending.Problems is { Count: > 0 } left) Fail(link, string.Join(" ", left));
                run.Totals = run.Totals with { WrittenOut = run.Totals.WrittenOut + 1 };
            }
        }
        if (archives.Count > 0)
        {
            var results = (await run.Remote.ArchiveAsync(run.Connection, archives.Select(a => (a.Contact.Id.ToString(CultureInfo.InvariantCulture), a.Link.ExternalId)).ToList(), ct))
                .ToDictionary(r => r.Key);
            foreach (var (link, contact) in archives)
            {
                if (results.GetValueOrDefault(contact.Id.ToString(CultureInfo.InvariantCulture)) is { Outcome: WriteOutcome.Refused } refused) Fail(link, refused.Reason ?? "Refused.");
                else
                {
                    db.SyncRecords.Remove(link);
                    run.Totals = run.Totals with { WrittenOut = run.Totals.WrittenOut + 1 };
                }
            }
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Our record's key as the key property there holds it: the workspace too, as one portal may sync with several.</summary>
    private static string OurKey(Run run, long id) => $"{run.Connection.WorkspaceId.ToString(CultureInfo.InvariantCulture)}:{id.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Our record a record there was created from, by its key property (ours only: this workspace's).</summary>
    private static long? KeyedTo(Run run, RemoteRecord record)
    {
        if (run.Remote.KeyProperty is not { } property || record.Properties.GetValueOrDefault(property) is not { } key) return null;
        var prefix = run.Connection.WorkspaceId.ToString(CultureInfo.InvariantCulture) + ":";
        return key.StartsWith(prefix, StringComparison.Ordinal) && long.TryParse(key[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    /// <summary>The external id of a create that has not gone through yet (unique per record, never another system's id).</summary>
    private const string PendingPrefix = "pending:";

    private SyncRecord NewLink(Run run, long contactId, string externalId) => new()
    {
        Provider = provider, IntegrationId = run.Connection.IntegrationId, RecordType = records.RecordType, RecordId = contactId, ExternalId = externalId,
        Status = SyncRecordStatus.InSync, LastAttemptAt = time.GetUtcNow(),
    };

    private SyncRecord Fail(SyncRecord link, string reason)
    {
        link.Status = SyncRecordStatus.Failing;
        link.LastError = reason.Length > FieldLimits.HistoryValue ? reason[..FieldLimits.HistoryValue] : reason;
        link.ErrorCount++;
        link.LastAttemptAt = time.GetUtcNow();
        return link;
    }

    private static string Reason(ValidationFailedException e) => string.Join(" ", e.Errors.SelectMany(p => p.Value));

    private static string? HubSpotVersion(RemoteRecord record) => record.ModifiedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}

