using Crm.Core.Common;
using Crm.Core.CustomFields;
using Crm.Core.Deals;
using Crm.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Imports;

/// <summary>Loads, once per run or dry run, what every row needs: fields, mapping, users, pipelines, existing accounts.</summary>
public sealed class ImportContextLoader(ICrmDbFactory dbFactory, IImportStore store)
{
    /// <summary>Everything a run (or a dry run) needs to know once: fields, mapping, users, pipelines, accounts.</summary>
    public async Task<ImportContext> LoadAsync(ImportJob job, CancellationToken ct, Runs.RunLease? lease = null)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var users = await db.Users.AsNoTracking()
            .Select(u => new UserView(u.Id, u.Name, u.Email, u.Role, u.IsActive, u.LastSignInAt, u.CreatedAt)).ToListAsync(ct);
        var pipelines = (await db.Pipelines.AsNoTracking().Include(p => p.Stages).OrderByDescending(p => p.IsDefault).ThenBy(p => p.Id).ToListAsync(ct))
            .Select(p => new PipelineView(p.Id, p.Name, p.IsDefault, p.Stages.OrderBy(s => s.Order).Select(s => new StageView(s.Id, s.Name, s.Order, s.Probability, s.IsWon, s.IsLost)).ToList()))
            .ToList();
        var customFields = await db.CustomFieldDefinitions.AsNoTracking().Where(d => d.RecordType == job.ObjectType)
            .Select(d => new CustomFieldView(d.Id, d.RecordType, d.Key, d.Label, d.Type)).ToListAsync(ct);
        var currency = await db.Workspaces.Select(w => w.DefaultCurrency).FirstAsync(ct);
        var fields = ImportFields.For(job.ObjectType, customFields);
        // Per-record events of a big import are written only for types an endpoint wants (import.completed always is).
        var announced = (await db.WebhookSubscriptions.AsNoTracking().Where(s => s.IsActive).Select(s => s.EventTypes).ToListAsync(ct))
            .SelectMany(t => t).ToHashSet(StringComparer.Ordinal);
        var context = new ImportContext
        {
            Job = job, Actor = db.Actor, Fields = fields, Mapper = new RowMapper(job.ObjectType, fields, job.Mapping, job.Options),
            Users = users, Pipelines = pipelines, CustomFields = customFields, DefaultCurrency = currency, Lease = lease,
            AnnouncedEvents = announced,
        };
        if (context.MapsAccounts)
        {
            var (byName, byDomain) = await store.FindAccountsAsync(job.WorkspaceId, null, null, ct);
            foreach (var (name, id) in byName) context.AccountsByName[name] = id;
            foreach (var (domain, id) in byDomain) context.AccountsByDomain[domain] = id;
        }
        return context;
    }

}
