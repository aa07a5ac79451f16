using System.Globalization;
using Crm.Core.Common;
using Crm.Core.CustomFields;
using Crm.Core.Imports;
using Crm.Core.Runs;
using Microsoft.EntityFrameworkCore;
using static System.FormattableString;

namespace Crm.Core.Exports;

/// <summary>What a person or an API call asks to export.</summary>
public sealed record ExportRequest
{
    public ExportFormat Format { get; init; } = ExportFormat.Csv;
    public List<ExportPart> Parts { get; init; } = [];
    public bool ExcelFriendly { get; init; }
    public string? Culture { get; init; }
}

/// <summary>Starts an export: checks who may, what and how much, then queues the background job.</summary>
public sealed class StartExportHandler(ICrmDbFactory dbFactory, IRunService runs, TimeProvider time)
{
    public async Task<ExportView> HandleAsync(ExportRequest request, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var workspace = await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == db.Actor.WorkspaceId, ct);
        if (workspace.ExportsAdminOnly) Roles.EnsureAdmin(db.Actor);
        Validate(request);

        var customFields = await CustomFieldsAsync(db, ct);
        var sheets = request.Parts.Select(p => ExportQueries.Sheet(db, p, customFields)).ToList();
        var limit = request.Format == ExportFormat.Xlsx ? Math.Min(workspace.ExportRowLimit, ExportLimits.MaxXlsxRows) : workspace.ExportRowLimit;
        var total = 0;
        foreach (var sheet in sheets)
        {
            var rows = await sheet.CountAsync(ct);
            if (rows > limit)
                throw new ValidationFailedException("Rows", Invariant($"This export would hold {rows:N0} {ExportFields.Plural(sheet.Object)}; ") + (request.Format == ExportFormat.Xlsx && limit == ExportLimits.MaxXlsxRows
                    ? Invariant($"an Excel sheet holds at most {ExportLimits.MaxXlsxRows:N0} rows. Narrow the list, or export CSV or JSON.")
                    : Invariant($"the workspace's limit is {limit:N0} rows per export. Narrow the list, or ask an admin to raise the limit.")));
            total += rows;
        }

        var job = new ExportJob
        {
            Format = request.Format,
            Parts = request.Parts.Select((p, i) => p with { Fields = sheets[i].Columns.Select(c => c.Key).ToList() }).ToList(),
            ExcelFriendly = request.Format == ExportFormat.Csv && request.ExcelFriendly,
            Culture = request.Format == ExportFormat.Csv && request.ExcelFriendly ? request.Culture ?? "en-US" : null,
            Status = ExportStatus.Pending,
            TotalRows = total,
            FileName = FileNameOf(request, time.GetUtcNow()),
            AdminOnly = workspace.ExportsAdminOnly,
            CreatedByUserId = db.Actor.UserId,
        };
        db.ExportJobs.Add(job);
        await db.SaveChangesAsync(ct);
        await runs.QueueAsync(new RunRequest(RunKind.Export, job.WorkspaceId, job.Id, db.Actor.UserId, Total: total), ct);
        return await ExportViews.ViewAsync(db, job.Id, ct);
    }

    private static void Validate(ExportRequest request)
    {
        if (!Enum.IsDefined(request.Format)) throw new ValidationFailedException("Format", "Choose csv, xlsx, json or ndjson.");
        if (request.Parts.Count == 0) throw new ValidationFailedException("Parts", "Say what to export: contacts, accounts, deals or activities.");
        if (request.Parts.Count > 1 && request.Format != ExportFormat.Xlsx)
            throw new ValidationFailedException("Format", "CSV, JSON and NDJSON files hold one kind of record; choose XLSX (one sheet each) to export several.");
        if (request.Parts.Select(p => p.Object).Distinct().Count() != request.Parts.Count)
            throw new ValidationFailedException("Parts", "Each kind of record can be exported once per file.");
        if (request.Parts.Any(p => !Enum.IsDefined(p.Object))) throw new ValidationFailedException("Parts", "Export contacts, accounts, deals or activities.");
        if (request.ExcelFriendly && request.Culture is { } culture && !ImportValues.IsKnownCulture(culture))
            throw new ValidationFailedException("Culture", $"'{culture}' is not a known culture (use e.g. en-US, de-DE or fr-FR).");
    }

    internal static async Task<IReadOnlyList<CustomFieldView>> CustomFieldsAsync(ICrmDb db, CancellationToken ct) =>
        await db.CustomFieldDefinitions.AsNoTracking().Select(d => new CustomFieldView(d.Id, d.RecordType, d.Key, d.Label, d.Type)).ToListAsync(ct);

    private static string FileNameOf(ExportRequest request, DateTimeOffset now)
    {
        var what = request.Parts.Count == 1 ? ExportFields.Plural(request.Parts[0].Object) : "crm";
        var extension = request.Format switch { ExportFormat.Csv => "csv", ExportFormat.Xlsx => "xlsx", ExportFormat.Json => "json", _ => "ndjson" };
        return $"{what}-{now.UtcDateTime.ToString("yyyy-MM-dd-HHmm", CultureInfo.InvariantCulture)}.{extension}";
    }
}
