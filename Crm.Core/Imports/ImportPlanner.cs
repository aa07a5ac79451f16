using System.Collections;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Deals;

namespace Crm.Core.Imports;

/// <summary>
/// Decides, for a batch of mapped rows, what the import does with each: resolves references (accounts by name or
/// domain — creating missing ones when asked —, owners, pipelines and stages, deal contacts), finds existing records
/// by the match field, and applies the duplicate strategy, keeping the field-level before → after of every update.
/// It writes nothing; the same plan drives a real batch and a dry run.
/// </summary>
public sealed class ImportPlanner(IImportStore store)
{
    /// <summary>
    /// The existing records a batch matches. Read-only and independent of earlier batches (a match key cannot recur
    /// across batches), so a pipeline may look up the next batch while the previous one is being written.
    /// </summary>
    public Task<IReadOnlyDictionary<string, ITrackedRecord>> LookupAsync(ImportContext context, IReadOnlyList<ImportRecord> records, CancellationToken ct) =>
        FindExistingAsync(context, records.Where(r => !r.Failed).ToList(), ct);

    public async Task<BatchPlan> PlanAsync(ImportContext context, IReadOnlyList<ImportRecord> records, CancellationToken ct,
        IReadOnlyDictionary<string, ITrackedRecord>? existing = null)
    {
        var plan = new BatchPlan { LastRow = records.Count > 0 ? records[^1].RowNumber : 0 };
        var valid = records.Where(r => !r.Failed).ToList();
        ResolveOwners(context, valid);
        ResolveAccounts(context, valid);
        if (context.Type == RecordType.Deal) await ResolveDealReferencesAsync(context, valid, ct);

        existing ??= await FindExistingAsync(context, records.Where(r => !r.Failed).ToList(), ct);
        var target = ImportTarget.For(context.Type);
        foreach (var record in records)
            plan.Rows.Add(record.Failed ? new PlannedRow(record, PlannedAction.Fail)
                : record.IsCompany ? CompanyRow(record)
                : Decide(context, target, record, existing));

        plan.NewAccounts.AddRange(plan.Rows
            .Where(r => (r.Action is PlannedAction.Create or PlannedAction.Update || r.Record.IsCompany) && r.Record.NewAccount is not null)
            .Select(r => r.Record.NewAccount!)
            .Distinct());
        return plan;
    }

    private async Task<IReadOnlyDictionary<string, ITrackedRecord>> FindExistingAsync(ImportContext context, List<ImportRecord> records, CancellationToken ct)
    {
        if (context.Options.Strategy == DuplicateStrategy.CreateNew) return new Dictionary<string, ITrackedRecord>();
        // Keys are unique: a repeated key fails its row as an in-file duplicate before it gets here (and no hash set
        // of thousands of keys per batch lands on the large object heap).
        var keys = new List<string>(records.Count);
        foreach (var record in records)
            if (record.MatchKey is { } key) keys.Add(key);
        return keys.Count == 0 ? new Dictionary<string, ITrackedRecord>() : await store.FindExistingAsync(context, keys, ct);
    }

    /// <summary>A company row is no contact: it is the account it makes (or the one it found), and counts as skipped, saying which.</summary>
    private static PlannedRow CompanyRow(ImportRecord record) => record.NewAccount is not null
        ? new PlannedRow(record, PlannedAction.Skip, $"A company, not a person: it becomes the account '{record.CompanyName}'.")
        : new PlannedRow(record, PlannedAction.Skip, $"A company, not a person: the account '{record.CompanyName}' exists (record {record.AccountId}), so nothing is added.");

    private static PlannedRow Decide(ImportContext context, ImportTarget target, ImportRecord record, IReadOnlyDictionary<string, ITrackedRecord> existing)
    {
        var strategy = context.Options.Strategy;
        var what = context.Type.ToString().ToLowerInvariant();
        var match = record.MatchKey is { } key ? existing.GetValueOrDefault(key) : null;
        if (match is null)
        {
            if (strategy == DuplicateStrategy.UpdateOnly)
                return new PlannedRow(record, PlannedAction.Skip, record.MatchKey is null
                    ? $"No {context.MatchField} to match, and 'update only' never creates."
                    : $"No existing {what} has this {context.MatchField}; 'update only' never creates.");
            if (context.MatchField == "id" && record.Id is { } id && strategy != DuplicateStrategy.CreateNew)
            {
                record.Fail(null, id.ToString(System.Globalization.CultureInfo.InvariantCulture), ImportErrorType.NoMatch, $"No {what} with id {id} in this workspace.");
                return new PlannedRow(record, PlannedAction.Fail);
            }
            return Create(context, target, record);
        }
        switch (strategy)
        {
            case DuplicateStrategy.Skip:
                return new PlannedRow(record, PlannedAction.Skip, $"A {what} with this {context.MatchField} exists (record {match.Id}); the strategy is to skip.") { Entity = match };
            case DuplicateStrategy.CreateNew:
                return Create(context, target, record);
            default:
                var row = new PlannedRow(record, PlannedAction.Update) { Entity = match, VersionBefore = match.Version };
                Apply(context, target, record, match, row, fillEmptyOnly: strategy == DuplicateStrategy.Merge);
                if (row.Changes.Count == 0 && record.NewAccount is null)
                {
                    row.Action = PlannedAction.Skip;
                    row.Reason = $"Record {match.Id} already has these values.";
                }
                return row;
        }
    }

    private static PlannedRow Create(ImportContext context, ImportTarget target, ImportRecord record)
    {
        var entity = target.New();
        entity.CreatedByImportId = context.Job.Id;
        var row = new PlannedRow(record, PlannedAction.Create) { Entity = entity };
        if (entity is Deal deal) deal.Currency = context.DefaultCurrency;
        Apply(context, target, record, entity, row, fillEmptyOnly: false);
        return row;
    }

    /// <summary>Sets the row's values on the record, keeping the before → after of each field that changes.</summary>
    private static void Apply(ImportContext context, ImportTarget target, ImportRecord record, ITrackedRecord entity, PlannedRow row, bool fillEmptyOnly)
    {
        foreach (var (name, value) in record.Values)
        {
            if (!target.Has(name)) continue;
            var property = target[name];
            var before = property.Get(entity);
            object? after = value;
            if (name == "AdditionalEmails" && before is List<string> current && value is List<string> incoming)
            {
                var primary = (record.Values.GetValueOrDefault("Email") as string) ?? (entity as Contact)?.Email;
                var union = current.Concat(incoming).Where(e => e != primary).Distinct().ToList();
                if (union.Count > FieldLimits.MaxAdditionalEmails) union = union.Take(FieldLimits.MaxAdditionalEmails).ToList();
                after = union;
            }
            if (name == "Phone" && before is string stored && after is string read && SamePhone(stored, read, context.Job.Options.DefaultPhoneCountry)) continue;
            Change(row, property, entity, before, after, fillEmptyOnly);
        }
        if (record.Custom.Count > 0 && target.Has("CustomFields"))
        {
            var property = target["CustomFields"];
            var fields = (Dictionary<string, string>)property.Get(entity)!;
            var updated = new Dictionary<string, string>(fields, StringComparer.Ordinal);
            foreach (var (key, value) in record.Custom)
            {
                var before = fields.GetValueOrDefault(key);
                if (before == value || fillEmptyOnly && !string.IsNullOrEmpty(before)) continue;
                updated[key] = value;
                if (row.Action == PlannedAction.Update) row.Changes.Add(new FieldDiff(ImportFields.CustomPrefix + key, before, value));
            }
            if (updated.Count != fields.Count || updated.Any(kv => fields.GetValueOrDefault(kv.Key) != kv.Value)) property.Set(entity, updated);
        }
        if (record.AccountId is { } accountId && target.Has(nameof(Contact.AccountId)))
            Change(row, target[nameof(Contact.AccountId)], entity, target[nameof(Contact.AccountId)].Get(entity), accountId, fillEmptyOnly);
        if (record.OwnerId is { } ownerId && target.Has(nameof(Contact.OwnerId)))
            Change(row, target[nameof(Contact.OwnerId)], entity, target[nameof(Contact.OwnerId)].Get(entity), ownerId, fillEmptyOnly);
        if (entity is Deal deal && record.StageId is { } stageId)
        {
            if (row.Action == PlannedAction.Create)
            {
                deal.PipelineId = record.PipelineId!.Value;
                deal.StageId = stageId;
                if (!record.Values.ContainsKey(nameof(Deal.Probability))) deal.Probability = record.StageProbability ?? 0;
            }
            else if (record.StageName is not null || record.PipelineName is not null)
            {
                Change(row, target[nameof(Deal.PipelineId)], entity, deal.PipelineId, record.PipelineId!.Value, fillEmptyOnly);
                Change(row, target[nameof(Deal.StageId)], entity, deal.StageId, stageId, fillEmptyOnly);
            }
        }
        if (record.ContactIds is { } contactIds && entity is Deal linked)
        {
            foreach (var contactId in contactIds.Where(id => linked.Contacts.All(c => c.ContactId != id)))
            {
                row.ContactIds.Add(contactId);
                if (row.Action == PlannedAction.Update) row.Changes.Add(new FieldDiff("Contacts", null, ValueText.Format(contactId)));
            }
        }
    }

    private static void Change(PlannedRow row, TargetProperty property, ITrackedRecord entity, object? before, object? after, bool fillEmptyOnly)
    {
        if (row.Action == PlannedAction.Create)
        {
            property.Set(entity, after);
            return;
        }
        if (fillEmptyOnly && !IsEmpty(before)) return;
        if (Same(before, after)) return;
        property.Set(entity, after);
        row.Changes.Add(new FieldDiff(property.Name, ValueText.Format(before), ValueText.Format(after)));
    }

    private static bool IsEmpty(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        ICollection c => c.Count == 0,
        _ => false,
    };

    /// <summary>
    /// A stored phone written another way ("(415) 555-2671") is the same number as the file's E.164 form: it is not
    /// rewritten, so re-importing an export changes nothing and leaves no history.
    /// </summary>
    private static bool SamePhone(string stored, string read, string region) =>
        stored == read || ImportValues.Phone(stored, region).Value == read;

    private static bool Same(object? a, object? b) =>
        a is IEnumerable<string> x && b is IEnumerable<string> y ? x.SequenceEqual(y) : Equals(a, b);

    private static void ResolveAccounts(ImportContext context, List<ImportRecord> records)
    {
        lock (context.AccountsLock) ResolveAccountsLocked(context, records);
    }

    private static void ResolveAccountsLocked(ImportContext context, List<ImportRecord> records)
    {
        // Company rows first: the account they make carries their address, also when a person row names it earlier.
        foreach (var record in records.Where(r => r.IsCompany)) ResolveCompanyRow(context, record);
        foreach (var record in records)
        {
            if (record.IsCompany) continue;
            if (record.AccountName is null && record.AccountDomain is null) continue;
            var name = record.AccountName?.ToLowerInvariant();
            long id = 0;
            if (record.AccountDomain is { } domain && context.AccountsByDomain.TryGetValue(domain, out id)
                || name is not null && context.AccountsByName.TryGetValue(name, out id))
            {
                record.AccountId = id;
                continue;
            }
            if (!context.Options.CreateMissingAccounts)
            {
                record.Fail(context.Column(record.AccountName is not null ? "company" : "companyDomain"), record.AccountName ?? record.AccountDomain, ImportErrorType.Reference,
                    $"No account named '{record.AccountName ?? record.AccountDomain}'. Create it first, or choose to create missing accounts.");
                continue;
            }
            PendingAccount? pending = null;
            if (record.AccountDomain is { } d) context.PendingByDomain.TryGetValue(d, out pending);
            if (pending is null && name is not null) context.PendingByName.TryGetValue(name, out pending);
            if (pending is null)
            {
                pending = new PendingAccount(record.AccountName ?? record.AccountDomain!, record.AccountDomain);
                if (name is not null) context.PendingByName[name] = pending;
                if (record.AccountDomain is not null) context.PendingByDomain[record.AccountDomain] = pending;
            }
            pending.Domain ??= record.AccountDomain;
            record.NewAccount = pending;
        }
        // A later batch may be planned while this one is written: what this batch's accounts hold is settled now.
        foreach (var record in records)
            if (record.NewAccount is { } made) made.Sealed = true;
    }

    private static void ResolveCompanyRow(ImportContext context, ImportRecord record)
    {
        var name = record.CompanyName!;
        var key = name.ToLowerInvariant();
        if (record.AccountDomain is { } domain && context.AccountsByDomain.TryGetValue(domain, out var id) || context.AccountsByName.TryGetValue(key, out id))
        {
            record.AccountId = id;
            return;
        }
        if (!context.Options.CreateMissingAccounts)
        {
            record.Fail(null, name, ImportErrorType.Reference, $"The row is a company, and no account is named '{name}'. Create it first, or choose to create missing accounts.");
            return;
        }
        PendingAccount? pending = null;
        if (record.AccountDomain is { } d) context.PendingByDomain.TryGetValue(d, out pending);
        if (pending is null) context.PendingByName.TryGetValue(key, out pending);
        if (pending is null)
        {
            pending = new PendingAccount(name, record.AccountDomain);
            context.PendingByName[key] = pending;
        }
        if (!pending.Sealed) pending.Fill(record);
        if (pending.Domain is { } filled) context.PendingByDomain.TryAdd(filled, pending);
        record.NewAccount = pending;
    }

    private static void ResolveOwners(ImportContext context, List<ImportRecord> records)
    {
        foreach (var record in records.Where(r => r.OwnerRef is not null))
        {
            if (context.Owner(context.Mapped("owner", record.OwnerRef!)) is { } owner) record.OwnerId = owner.Id;
            else record.Fail(context.Column("owner"), record.OwnerRef, ImportErrorType.Reference, $"No active user has the email or name '{record.OwnerRef}'.");
        }
    }

    private async Task ResolveDealReferencesAsync(ImportContext context, List<ImportRecord> records, CancellationToken ct)
    {
        var fallback = context.Pipelines.FirstOrDefault(p => p.IsDefault) ?? context.Pipelines.FirstOrDefault();
        foreach (var record in records.Where(r => !r.Failed))
        {
            var pipelineName = record.PipelineName is { } p0 ? context.Mapped("pipeline", p0) : null;
            var pipeline = pipelineName is not null
                ? context.Pipelines.FirstOrDefault(p => string.Equals(p.Name, pipelineName, StringComparison.OrdinalIgnoreCase))
                : fallback;
            if (pipeline is null)
            {
                record.Fail(context.Column("pipeline"), record.PipelineName, ImportErrorType.Picklist, record.PipelineName is null
                    ? "This workspace has no pipeline for deals."
                    : $"No pipeline named '{record.PipelineName}' ({string.Join(", ", context.Pipelines.Select(p => p.Name))}).");
                continue;
            }
            var stageName = record.StageName is { } s0 ? context.Mapped("stage", s0) : null;
            var stage = stageName is not null
                ? pipeline.Stages.FirstOrDefault(s => string.Equals(s.Name, stageName, StringComparison.OrdinalIgnoreCase))
                : pipeline.Stages.FirstOrDefault();
            if (stage is null)
            {
                record.Fail(context.Column("stage"), record.StageName, ImportErrorType.Picklist,
                    $"'{record.StageName}' is not a stage of pipeline '{pipeline.Name}' ({string.Join(", ", pipeline.Stages.Select(s => s.Name))}).");
                continue;
            }
            record.PipelineId = pipeline.Id;
            record.StageId = stage.Id;
            record.StageProbability = stage.Probability;
        }

        var emails = records.Where(r => !r.Failed).SelectMany(r => r.ContactEmails).Distinct().ToList();
        if (emails.Count == 0) return;
        var contacts = await store.FindContactsByEmailAsync(context.Job.WorkspaceId, emails, ct);
        foreach (var record in records.Where(r => !r.Failed && r.ContactEmails.Count > 0))
        {
            var missing = record.ContactEmails.Where(e => !contacts.ContainsKey(e)).ToList();
            if (missing.Count > 0) record.Fail(context.Column("contactEmails"), string.Join(", ", missing), ImportErrorType.Reference, $"No contact has the email {string.Join(", ", missing)}.");
            else record.ContactIds = record.ContactEmails.Select(e => contacts[e]).Distinct().ToList();
        }
    }
}
