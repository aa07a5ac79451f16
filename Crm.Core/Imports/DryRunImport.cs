using Crm.Core.Common;

namespace Crm.Core.Imports;

/// <summary>
/// A test import: every row of the file is mapped, validated and planned against the database (so the counts of
/// creates, updates, skips and failures are those of the real run), the first rows are returned in detail with
/// their field-level changes, unknown picklist values are listed for mapping — and nothing is written.
/// </summary>
public sealed class DryRunImportHandler(ICrmDbFactory dbFactory, ITabularFileReader reader, ImportPlanner planner, ImportContextLoader contexts)
{
    private const int ErrorSample = 200;

    public async Task<DryRunResult> HandleAsync(long importId, ImportMapping mapping, ImportOptions options, CancellationToken ct = default)
    {
        ImportJob job;
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            Roles.EnsureAdmin(db.Actor);
            job = await ImportDrafts.GetDraftAsync(db, importId, ct);
            mapping = ImportMappingRules.WithIdentityRefusing(job.ObjectType, ImportMappingRules.Complete(job.Mapping, mapping), options);
            var fields = ImportFields.For(job.ObjectType, await StartImportHandler.CustomFieldsAsync(db, job.ObjectType, ct));
            // New custom fields do not exist yet; for the test they read as plain text.
            var previewMapping = mapping with
            {
                Columns = mapping.Columns.Select(c => c.NewCustomFieldLabel is { } label && c.Field is null ? c with { Field = "preview." + c.Index } : c).ToList(),
            };
            fields = [.. fields, .. mapping.Columns.Where(c => c.NewCustomFieldLabel is not null && c.Field is null)
                .Select(c => new ImportField("preview." + c.Index, c.NewCustomFieldLabel!, ImportFieldKind.Text, FieldLimits.CustomFieldValue))];
            ImportMappingRules.Validate(job.ObjectType, job.Mapping.Columns.Count, fields, mapping, options);
            job.Mapping = mapping;
            job.Options = options with { MatchField = options.MatchField ?? ImportFields.DefaultMatchField(job.ObjectType, mapping.Columns.Select(c => c.Field)) };
            await db.SaveChangesAsync(ct);
            job = new ImportJob
            {
                Id = job.Id, WorkspaceId = job.WorkspaceId, ObjectType = job.ObjectType, FileName = job.FileName, FileKey = job.FileKey,
                Settings = job.Settings, Mapping = previewMapping, Options = job.Options,
            };
        }

        var context = await contexts.LoadAsync(job, ct);
        var detail = Math.Clamp(options.DryRunRows, 1, 1000);
        var duplicates = new InFileDuplicates(context.MatchField);
        var counts = new Dictionary<PlannedAction, int>();
        var errorsByType = new Dictionary<ImportErrorType, int>();
        var errors = new List<ImportErrorView>();
        var corrections = new List<RowNote>();
        var corrected = 0;
        var leftEmpty = 0;
        var rows = new List<DryRunRow>();
        var unknown = new Dictionary<int, Dictionary<string, int>>();
        var newAccounts = new HashSet<PendingAccount>();
        var batch = new List<ImportRecord>(ImportRunner.BatchSize);
        var total = 0;

        async Task PlanAsync()
        {
            var plan = await planner.PlanAsync(context, batch, ct);
            foreach (var row in plan.Rows)
            {
                counts[row.Action] = counts.GetValueOrDefault(row.Action) + 1;
                corrected += row.Record.Notes.Count;
                foreach (var note in row.Record.Notes.Take(ErrorSample - corrections.Count))
                    corrections.Add(new RowNote(row.Record.RowNumber, row.Record.Source.LineNumber, note));
                if (row.Action != PlannedAction.Fail) leftEmpty += row.Record.LeftEmpty.Count;
                foreach (var issue in row.Action == PlannedAction.Fail ? row.Record.Issues : row.Record.LeftEmpty)
                {
                    errorsByType[issue.Type] = errorsByType.GetValueOrDefault(issue.Type) + 1;
                    if (errors.Count < ErrorSample)
                        errors.Add(new ImportErrorView(row.Record.RowNumber, row.Record.Source.LineNumber, issue.Column, issue.Value, issue.Type, issue.Message, issue.Kept));
                    if (issue.Type == ImportErrorType.Picklist && issue.Column is not null)
                    {
                        var column = job.Mapping.Columns.First(c => c.Header == issue.Column).Index;
                        var values = unknown.TryGetValue(column, out var v) ? v : unknown[column] = new Dictionary<string, int>(StringComparer.Ordinal);
                        values[issue.Value!.Trim()] = values.GetValueOrDefault(issue.Value!.Trim()) + 1;
                    }
                }
                if (rows.Count < detail)
                    rows.Add(new DryRunRow(row.Record.RowNumber, row.Record.Source.LineNumber, row.Action, row.Record.DisplayName,
                        row.Action is PlannedAction.Update or PlannedAction.Skip ? row.Entity?.Id : null, row.Reason, row.Changes, [.. row.Record.Issues, .. row.Record.LeftEmpty], row.Record.Notes));
            }
            newAccounts.UnionWith(plan.NewAccounts);
            batch.Clear();
        }

        await foreach (var source in reader.ReadAsync(job.FileKey, job.Settings, job.Mapping.Columns.Count, ct))
        {
            total++;
            var record = context.Mapper.Map(source);
            duplicates.Check(record);
            batch.Add(record);
            if (batch.Count == ImportRunner.BatchSize) await PlanAsync();
        }
        if (batch.Count > 0) await PlanAsync();

        var unknownValues = unknown.Select(u =>
        {
            var column = job.Mapping.Columns.First(c => c.Index == u.Key);
            return new UnknownValues(u.Key, column.Header, column.Field!, u.Value.OrderByDescending(v => v.Value).Select(v => new ValueCount(v.Key, v.Value)).ToList());
        }).ToList();
        return new DryRunResult(total, counts.GetValueOrDefault(PlannedAction.Create), counts.GetValueOrDefault(PlannedAction.Update),
            counts.GetValueOrDefault(PlannedAction.Skip), counts.GetValueOrDefault(PlannedAction.Fail), newAccounts.Count,
            errorsByType, errors, unknownValues, rows, corrected, corrections, leftEmpty);
    }
}
