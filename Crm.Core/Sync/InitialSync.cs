using Crm.Core.Common;
using Crm.Core.Integrations;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Core.Sync;

/// <param name="FieldsSettledBy">For matched pairs that differ: how many fields each rule will settle ("ours wins": 12, …).</param>
/// <param name="Problems">Their values that have no counterpart here (they will be left out and listed), the first 20.</param>
public sealed record InitialSyncPreview(string ObjectType, int Theirs, int Ours, int MatchedByLink, int MatchedByEmail, int CreateHere, int CreateThere,
    int MatchesThatDiffer, IReadOnlyDictionary<string, int> FieldsSettledBy, int WaitingForAPerson, IReadOnlyList<string> Problems, DateTimeOffset? ConfirmedAt);

/// <summary>
/// What the first sync of a CRM connection will do, before anything is written: their contacts and ours, how many are
/// matched (by an existing link, then by email), created on each side, and, for matched pairs that differ, how many
/// fields each conflict rule will settle. Reads all their records once (the same reads the sync makes); writes nothing.
/// </summary>
public sealed class PreviewInitialSyncHandler(ICrmDbFactory dbFactory, IServiceProvider services)
{
    public const int MaxRecords = 2_000_000;

    public async Task<InitialSyncPreview> HandleAsync(long integrationId, CancellationToken ct = default)
    {
        ConnectionRef connection;
        DateTimeOffset? confirmed;
        FieldMap? saved;
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            Roles.EnsureAdmin(db.Actor);
            var row = await ConnectionAccess.LoadAsync(db, integrationId, ct);
            if (row.Type != IntegrationType.CrmSync || row.Status is ConnectionStatus.Disconnected or ConnectionStatus.NeedsReconnect)
                throw new ConflictException("Only a connected CRM sync has a first sync to preview.");
            connection = new ConnectionRef(db.Actor.WorkspaceId, row.Id, row.Provider);
            confirmed = row.InitialSyncConfirmedAt;
            saved = ConnectionMappings.FromJson(row.Mappings).For("contacts");
        }
        var remote = services.GetKeyedService<IRemoteObjects>($"{connection.Provider}:{"contacts"}")
                     ?? throw new ConflictException("This provider's records cannot be synced yet.");
        // The connection's own mapping when an admin set one before the first sync.
        if (saved is not null) remote = remote.WithMap(saved);
        var contacts = new SyncedContacts();
        var mapping = remote.Map.Fields.Where(f => contacts.Supports(f.Field) && f.Field != "owner" && f.Direction != FieldDirection.None).ToList();

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
        var ours = await read.Contacts.AsNoTracking().Include(c => c.Account).ToListAsync(ct);
        var links = await read.SyncRecords.AsNoTracking().Where(l => l.IntegrationId == integrationId && l.RecordType == RecordType.Contact)
            .ToDictionaryAsync(l => l.ExternalId, l => l.RecordId, ct);
        var byId = ours.ToDictionary(c => c.Id);
        var byEmail = ours.Where(c => c.Email is not null).GroupBy(c => c.Email!.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First());
        var claimed = new HashSet<long>(links.Values);
        int byLink = 0, byMail = 0, createHere = 0, differ = 0, waiting = 0;
        var settled = new Dictionary<string, int>();
        var problems = new List<string>();
        foreach (var record in theirs)
        {
            var found = new List<string>();
            var fields = remote.Map.ToOurs(record.Properties, found);
            if (problems.Count < 20) problems.AddRange(found.Take(20 - problems.Count));
            Contacts.Contact? match = null;
            if (links.TryGetValue(record.Id, out var linked) && byId.TryGetValue(linked, out var l)) { match = l; byLink++; }
            else if (fields.GetValueOrDefault("email")?.ToLowerInvariant() is { } email && byEmail.TryGetValue(email, out var e) && claimed.Add(e.Id)) { match = e; byMail++; }
            if (match is null) { createHere++; continue; }
            var decision = SyncEngine.Decide(SyncBase.New(DateTimeOffset.MinValue), new SyncSide(ContactSyncFields.Read(match), match.UpdatedAt),
                new SyncSide(fields, record.ModifiedAt), mapping, SyncRules.Seed);
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
        return new InitialSyncPreview("contacts", theirs.Count, ours.Count, byLink, byMail, createHere, createThere, differ, settled, waiting, problems, confirmed);
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
