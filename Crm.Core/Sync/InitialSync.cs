using Crm.Core.Common;
using Crm.Core.Integrations;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Core.Sync;

/// <param name="MatchedByEmail">Matched by the type's own key on a first meeting (<see cref="MatchedBy"/>: a contact's email, a company's domain).</param>
/// <param name="FieldsSettledBy">For matched pairs that differ: how many fields each rule will settle ("ours wins": 12, …).</param>
/// <param name="Problems">Their values that have no counterpart here (they will be left out and listed), the first 20.</param>
/// <param name="Others">The other record types the first sync carries (companies, deals), each counted the same way.</param>
public sealed record InitialSyncPreview(string ObjectType, int Theirs, int Ours, int MatchedByLink, int MatchedByEmail, int CreateHere, int CreateThere,
    int MatchesThatDiffer, IReadOnlyDictionary<string, int> FieldsSettledBy, int WaitingForAPerson, IReadOnlyList<string> Problems, DateTimeOffset? ConfirmedAt,
    string? MatchedBy = "email", IReadOnlyList<InitialSyncPreview>? Others = null);

/// <summary>
/// What the first sync of a CRM connection will do, before anything is written: for contacts, companies and deals, their
/// records and ours, how many are matched (by an existing link, then a contact's email or a company's domain; deals
/// never), created on each side, and, for matched pairs that differ, how many fields each conflict rule will settle.
/// Reads all their records once (the same reads the sync makes); writes nothing.
/// </summary>
public sealed class PreviewInitialSyncHandler(ICrmDbFactory dbFactory, IServiceProvider services)
{
    public const int MaxRecords = 2_000_000;

    public async Task<InitialSyncPreview> HandleAsync(long integrationId, CancellationToken ct = default)
    {
        ConnectionRef connection;
        DateTimeOffset? confirmed;
        ConnectionMappings mappings;
        SyncRules rules;
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            Roles.EnsureAdmin(db.Actor);
            var row = await ConnectionAccess.LoadAsync(db, integrationId, ct);
            if (row.Type != IntegrationType.CrmSync || row.Status is ConnectionStatus.Disconnected or ConnectionStatus.NeedsReconnect)
                throw new ConflictException("Only a connected CRM sync has a first sync to preview.");
            connection = new ConnectionRef(db.Actor.WorkspaceId, row.Id, row.Provider);
            confirmed = row.InitialSyncConfirmedAt;
            mappings = ConnectionMappings.FromJson(row.Mappings);
            rules = SyncRules.FromJson(row.ConflictRules);
        }
        if (services.GetKeyedService<IRemoteObjects>($"{connection.Provider}:contacts") is null)
            throw new ConflictException("This provider's records cannot be synced yet.");
        var contacts = await PreviewAsync(connection, "contacts", new SyncedContacts(), mappings, rules, confirmed, ct);
        var others = new List<InitialSyncPreview>();
        if (services.GetKeyedService<IRemoteObjects>($"{connection.Provider}:companies") is not null)
            others.Add(await PreviewAsync(connection, "companies", new SyncedAccounts(), mappings, rules, confirmed, ct));
        if (services.GetKeyedService<IRemoteObjects>($"{connection.Provider}:deals") is not null)
            others.Add(await PreviewAsync(connection, "deals", new SyncedDeals(), mappings, rules, confirmed, ct));
        return contacts with { Others = others };
    }

    private async Task<InitialSyncPreview> PreviewAsync<T>(ConnectionRef connection, string objectType, ISyncedRecords<T> records, ConnectionMappings mappings,
        SyncRules rules, DateTimeOffset? confirmed, CancellationToken ct) where T : Entity, ITimestamped, ISoftDeletable
    {
        var remote = services.GetRequiredKeyedService<IRemoteObjects>($"{connection.Provider}:{objectType}");
        // The connection's own mapping when an admin set one before the first sync.
        if (mappings.For(objectType) is { } saved) remote = remote.WithMap(saved);
        var map = remote.Map;
        if (remote is IRemotePicklists lists && await lists.PicklistsAsync(connection, ct) is { Count: > 0 } picklists)
        {
            await using var db = await dbFactory.CreateAsync(ct);
            map = await records.ResolveAsync(db, map, picklists, ct);
        }
        var mapping = map.Fields.Where(f => records.Supports(f.Field) && f.Field != "owner" && f.Direction != FieldDirection.None).ToList();

        var theirs = new List<RemoteRecord>();
        string? page = null;
        do
        {
            var changed = await remote.AllAsync(connection, page, ct);
            theirs.AddRange(changed.Records);
            if (theirs.Count > MaxRecords) throw new ConflictException($"More than {MaxRecords:N0} records there: ask for help with a sync this large.");
            page = changed.Next;
        } while (page is not null);
        theirs = theirs.DistinctBy(r => r.Id).ToList();

        await using var read = await dbFactory.CreateAsync(ct);
        var ours = await records.Query(read).AsNoTracking().ToListAsync(ct);
        var links = await read.SyncRecords.AsNoTracking().Where(l => l.IntegrationId == connection.IntegrationId && l.RecordType == records.RecordType)
            .ToDictionaryAsync(l => l.ExternalId, l => l.RecordId, ct);
        var byId = ours.ToDictionary(c => c.Id);
        var key = records.MatchField;
        var byKey = key is null ? [] : ours.Select(o => (Record: o, Key: SyncSide.Normal(records.Read(o).GetValueOrDefault(key))?.ToLowerInvariant()))
            .Where(o => o.Key is not null).GroupBy(o => o.Key!).ToDictionary(g => g.Key, g => g.First().Record);
        var claimed = new HashSet<long>(links.Values);
        int byLink = 0, byMatch = 0, createHere = 0, differ = 0, waiting = 0;
        var settled = new Dictionary<string, int>();
        var problems = new List<string>();
        foreach (var record in theirs)
        {
            var found = new List<string>();
            var fields = map.ToOurs(record.Properties, found);
            if (problems.Count < 20) problems.AddRange(found.Take(20 - problems.Count));
            T? match = null;
            if (links.TryGetValue(record.Id, out var linked) && byId.TryGetValue(linked, out var l)) { match = l; byLink++; }
            else if (key is not null && SyncSide.Normal(fields.GetValueOrDefault(key))?.ToLowerInvariant() is { } value && byKey.TryGetValue(value, out var e) && claimed.Add(e.Id))
            {
                match = e;
                byMatch++;
            }
            if (match is null) { createHere++; continue; }
            var decision = SyncEngine.Decide(SyncBase.New(DateTimeOffset.MinValue), new SyncSide(records.Read(match), match.UpdatedAt),
                new SyncSide(fields, record.ModifiedAt), mapping, rules);
            if (decision.Conflicts.Count == 0) continue;
            differ++;
            if (decision.Conflicts.Any(c => c.Winner is null)) waiting++;
            foreach (var conflict in decision.Conflicts)
            {
                var name = SyncEngine.Name(conflict.Rule);
                settled[name] = settled.GetValueOrDefault(name) + 1;
            }
        }
        var createThere = ours.Count(c => !claimed.Contains(c.Id));
        return new InitialSyncPreview(objectType, theirs.Count, ours.Count, byLink, byMatch, createHere, createThere, differ, settled, waiting, problems, confirmed, key);
    }
}

/// <summary>The admin confirms the first sync: from now on the connection's runs write, starting with one now.</summary>
public sealed class ConfirmInitialSyncHandler(ICrmDbFactory dbFactory, IConnectionSchedule schedule, TimeProvider time)
{
    public async Task<IntegrationView> HandleAsync(long integrationId, CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            Roles.EnsureAdmin(db.Actor);
            var row = await ConnectionAccess.LoadAsync(db, integrationId, ct);
            if (row.Type != IntegrationType.CrmSync || row.Status is ConnectionStatus.Disconnected or ConnectionStatus.NeedsReconnect)
                throw new ConflictException("Only a connected CRM sync can start syncing.");
            row.InitialSyncConfirmedAt ??= time.GetUtcNow();
            await db.SaveChangesAsync(ct);
            if (row.PausedAt is null) await schedule.RunNowAsync(db.Actor.WorkspaceId, integrationId, ct);
        }
        return await ConnectionAccess.ViewAsync(dbFactory, integrationId, ct);
    }
}
