using Crm.Core.Common;
using Crm.Core.CustomFields;
using Microsoft.EntityFrameworkCore;
using static System.FormattableString;

namespace Crm.Core.Imports;

/// <summary>Checks a mapping and options against the draft's columns and the record type's rules.</summary>
public static class ImportMappingRules
{
    /// <summary>
    /// The mapping of every column of the file, in order, from a request that may name only some (by index): named
    /// columns take the request's choices under the file's own header; the others are ignored. A mapping that is not
    /// one (no columns, an empty entry, an index the file does not have, one column twice) is refused, naming it.
    /// </summary>
    public static ImportMapping Complete(ImportMapping draft, ImportMapping? requested)
    {
        if (requested?.Columns is null)
            throw new ValidationFailedException("Mapping", "The mapping has no columns: send {\"columns\":[{\"index\":0,\"field\":\"email\"}]} or {\"Header\":\"field\"}.");
        var errors = new List<string>();
        var byIndex = new Dictionary<int, ColumnMapping>();
        foreach (var column in requested.Columns)
        {
            if (column is null) errors.Add("A column of the mapping is empty (null): give each one an index and a field.");
            else if (column.Index < 0 || column.Index >= draft.Columns.Count) errors.Add(Invariant($"Column index {column.Index} does not exist: the file has {draft.Columns.Count} columns (0 to {draft.Columns.Count - 1})."));
            else if (!byIndex.TryAdd(column.Index, column)) errors.Add(Invariant($"Column {column.Index} ('{draft.Columns.Single(c => c.Index == column.Index).Header}') is mapped twice."));
        }
        if (errors.Count > 0) throw new ValidationFailedException(new Dictionary<string, string[]> { ["Mapping"] = [.. errors.Distinct()] });
        return new ImportMapping
        {
            Columns = draft.Columns.OrderBy(c => c.Index)
                .Select(d => byIndex.TryGetValue(d.Index, out var c) ? c with { Header = d.Header } : new ColumnMapping { Index = d.Index, Header = d.Header })
                .ToList(),
        };
    }

    /// <summary>
    /// The column records are matched by (and our record id) refuses the row of a value it cannot take, whatever it is
    /// set to: a record without its key would be created anew or matched to the wrong one. Other columns keep their choice.
    /// </summary>
    public static ImportMapping WithIdentityRefusing(RecordType type, ImportMapping mapping, ImportOptions options)
    {
        var identity = options.Strategy == DuplicateStrategy.CreateNew ? null
            : options.MatchField ?? ImportFields.DefaultMatchField(type, mapping.Columns.Select(c => c.Field).OfType<string>().ToHashSet());
        return mapping with
        {
            Columns = mapping.Columns.Select(c => c.Field is not null && (c.Field == identity || c.Field == "id") ? c with { OnInvalid = InvalidValueAction.RefuseRow } : c).ToList(),
        };
    }

    public static void Validate(RecordType type, int columnCount, IReadOnlyList<ImportField> fields, ImportMapping mapping, ImportOptions options)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string key, string message) => (errors.TryGetValue(key, out var list) ? list : errors[key] = []).Add(message);

        var known = fields.ToDictionary(f => f.Key);
        var mapped = mapping.Columns.Where(c => c.Field is not null || c.NewCustomFieldLabel is not null).ToList();
        if (mapped.Count == 0) Add("Mapping", "Map at least one column to a field.");
        foreach (var column in mapping.Columns)
        {
            if (column.Index < 0 || column.Index >= columnCount) Add("Mapping", $"Column {column.Index + 1} does not exist in the file.");
            if (column.Field is not null && !known.ContainsKey(column.Field)) Add("Mapping", $"'{column.Header}' is mapped to '{column.Field}', which is not a field of {Plural(type)}.");
            if (column.NewCustomFieldLabel is { } label && (label.Trim().Length == 0 || label.Length > FieldLimits.Name)) Add("Mapping", $"'{column.Header}': a new custom field needs a label of at most {FieldLimits.Name} characters.");
            if (column.NewCustomFieldLabel is not null && !CustomFieldDefinition.Holds(type))
                Add("Mapping", $"'{column.Header}': {Plural(type)} have no custom fields; map the column to one of their fields, or leave it out.");
            if (column.NumberCulture is { Length: > 0 } culture && !IsCulture(culture)) Add("Mapping", $"'{column.Header}': '{culture}' is not a known culture (use e.g. en-US or de-DE).");
            if (column.PhoneCountry is { } region && !IsRegion(region)) Add("Mapping", $"'{column.Header}': '{region}' is not a two-letter country code.");
            if (column.ValueMap?.FirstOrDefault(kv => kv.Value is null) is { Key: { } emptyKey })
                Add("Mapping", $"'{column.Header}': the value map says nothing for '{emptyKey}' (null); give the field's value it stands for, or leave it out.");
        }
        foreach (var group in mapped.Where(c => c.Field is not null).GroupBy(c => c.Field!).Where(g => g.Count() > 1))
            if (!known.TryGetValue(group.Key, out var field) || !field.AllowsSeveralColumns)
                Add("Mapping", $"{known.GetValueOrDefault(group.Key)?.Label ?? group.Key} is mapped from several columns ({string.Join(", ", group.Select(c => c.Header))}); keep one.");

        var targets = mapped.Select(c => c.Field).OfType<string>().ToHashSet();
        foreach (var column in mapping.Columns.Where(c => !Enum.IsDefined(c.OnInvalid)))
            Add("Mapping", $"'{column.Header}': onInvalid is refuseRow or leaveEmpty.");
        switch (type)
        {
            case RecordType.Contact when !targets.Overlaps(["firstName", "lastName", "fullName", "email"]):
                Add("Mapping", "Map a column to first name, last name, full name or email: a contact needs at least one of them.");
                break;
            case RecordType.Account when !targets.Contains("name"):
                Add("Mapping", "Map a column to the account name.");
                break;
            case RecordType.Deal when !targets.Contains("name"):
                Add("Mapping", "Map a column to the deal name.");
                break;
        }
        var matchField = options.MatchField ?? ImportFields.DefaultMatchField(type, targets);
        if (options.Strategy != DuplicateStrategy.CreateNew)
        {
            if (!known.TryGetValue(matchField, out var match) || !match.CanMatch)
                Add(nameof(ImportOptions.MatchField), $"'{matchField}' cannot identify {Plural(type)}; choose {string.Join(", ", fields.Where(f => f.CanMatch).Select(f => f.Key))}.");
            // Without a column for the match field every row creates a record, which is what a names-only file
            // wants; only "update only" would then do nothing at all.
            else if (!targets.Contains(matchField) && options.Strategy == DuplicateStrategy.UpdateOnly)
                Add(nameof(ImportOptions.MatchField), $"'Update only' matches by {match.Label}, so it needs a column mapped to {match.Label}.");
        }
        if (options.DefaultPhoneCountry is null) Add(nameof(ImportOptions.DefaultPhoneCountry), "defaultPhoneCountry is empty (null): give a two-letter country code such as US or FR.");
        else if (!IsRegion(options.DefaultPhoneCountry)) Add(nameof(ImportOptions.DefaultPhoneCountry), $"'{options.DefaultPhoneCountry}' is not a two-letter country code.");
        if (options.DryRunRows is < 1 or > 1000) Add(nameof(ImportOptions.DryRunRows), "A test import simulates between 1 and 1,000 rows.");
        if (!Enum.IsDefined(options.Strategy)) Add(nameof(ImportOptions.Strategy), "Choose skip, update, create new, merge or update only.");
        if (errors.Count > 0) throw new ValidationFailedException(errors.ToDictionary(e => e.Key, e => e.Value.Distinct().ToArray()));
    }

    private static string Plural(RecordType type) => type.ToString().ToLowerInvariant() + "s";

    private static bool IsCulture(string name) => ImportValues.IsKnownCulture(name);

    private static bool IsRegion(string region) =>
        region.Length == 2 && PhoneNumbers.PhoneNumberUtil.GetInstance().GetSupportedRegions().Contains(region.ToUpperInvariant());
}

/// <summary>Starts a draft: the mapping is checked, new custom fields are created, and the run is queued in the background.</summary>
public sealed class StartImportHandler(ICrmDbFactory dbFactory, Runs.IRunService runs)
{
    public async Task<ImportView> HandleAsync(long importId, ImportMapping mapping, ImportOptions options, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var job = await ImportDrafts.GetDraftAsync(db, importId, ct);
        mapping = ImportMappingRules.WithIdentityRefusing(job.ObjectType, ImportMappingRules.Complete(job.Mapping, mapping), options);
        var fields = ImportFields.For(job.ObjectType, await CustomFieldsAsync(db, job.ObjectType, ct));
        ImportMappingRules.Validate(job.ObjectType, job.Mapping.Columns.Count, fields, mapping, options);
        // Only a valid mapping creates its new custom fields, in the same transaction as the start.
        mapping = await CreateCustomFieldsAsync(db, job.ObjectType, mapping, ct);

        job.Mapping = mapping;
        job.Options = options with { MatchField = options.MatchField ?? ImportFields.DefaultMatchField(job.ObjectType, mapping.Columns.Select(c => c.Field)) };
        job.Status = ImportStatus.Queued;
        await db.SaveChangesAsync(ct);
        await runs.QueueAsync(new Runs.RunRequest(Runs.RunKind.Import, job.WorkspaceId, job.Id, db.Actor.UserId, Total: job.TotalRows > 0 ? job.TotalRows : null), ct);
        return await ImportQueries.ViewAsync(db, job.Id, ct);
    }

    internal static Task<List<CustomFieldView>> CustomFieldsAsync(ICrmDb db, RecordType type, CancellationToken ct) =>
        db.CustomFieldDefinitions.AsNoTracking().Where(d => d.RecordType == type)
            .Select(d => new CustomFieldView(d.Id, d.RecordType, d.Key, d.Label, d.Type)).ToListAsync(ct);

    /// <summary>Columns mapped to a new custom field get it (a text field), and are then mapped to its key.</summary>
    private static async Task<ImportMapping> CreateCustomFieldsAsync(ICrmDb db, RecordType type, ImportMapping mapping, CancellationToken ct)
    {
        if (mapping.Columns.All(c => string.IsNullOrWhiteSpace(c.NewCustomFieldLabel))) return mapping;
        var existing = await db.CustomFieldDefinitions.Where(d => d.RecordType == type).ToListAsync(ct);
        var columns = new List<ColumnMapping>();
        foreach (var column in mapping.Columns)
        {
            if (string.IsNullOrWhiteSpace(column.NewCustomFieldLabel) || column.NewCustomFieldLabel.Length > FieldLimits.Name)
            {
                columns.Add(column);
                continue;
            }
            var key = CreateCustomFieldHandler.KeyFromLabel(column.NewCustomFieldLabel);
            if (existing.All(d => d.Key != key))
            {
                var definition = new CustomFieldDefinition { RecordType = type, Key = key, Label = column.NewCustomFieldLabel.Trim(), Type = CustomFieldType.Text };
                db.CustomFieldDefinitions.Add(definition);
                existing.Add(definition);
            }
            columns.Add(column with { Field = ImportFields.CustomPrefix + key, NewCustomFieldLabel = null });
        }
        return mapping with { Columns = columns };
    }
}
