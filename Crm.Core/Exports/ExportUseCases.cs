using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Crm.Core.Common;
using Crm.Core.CustomFields;
using Crm.Core.Imports;
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

public sealed record ExportView(
    long Id, ExportFormat Format, IReadOnlyList<ExportObject> Objects, string Description, ExportStatus Status,
    int TotalRows, int RowsWritten, long FileSize, string FileName, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt,
    DateTimeOffset? ExpiresAt, string? CreatedBy, string? FailureReason, bool AdminOnly)
{
    public bool IsActive => Status is ExportStatus.Pending or ExportStatus.Processing;
    public bool CanDownload => Status == ExportStatus.Completed;
    public int Percent => Status == ExportStatus.Completed ? 100 : TotalRows == 0 ? 0 : (int)Math.Min(99, RowsWritten * 100L / TotalRows);
}

public sealed record ExportSettingsView(int RowLimit, bool AdminOnly, int RetentionHours);

public sealed class ExportSettingsInput
{
    [Range(1, ExportLimits.MaxRowLimit, ErrorMessage = "The row limit is between 1 and 10,000,000.")] public int RowLimit { get; set; } = ExportLimits.DefaultRowLimit;
    public bool AdminOnly { get; set; }
    [Range(1, ExportLimits.MaxRetentionHours, ErrorMessage = "Files are kept between 1 hour and 30 days (720 hours).")] public int RetentionHours { get; set; } = ExportLimits.DefaultRetentionHours;
}

public sealed record ExportFieldSetView(long Id, string Name, ExportObject Object, IReadOnlyList<string> Fields);

/// <summary>Starts an export: checks who may, what and how much, then queues the background job.</summary>
public sealed class StartExportHandler(ICrmDbFactory dbFactory, IExportScheduler scheduler, TimeProvider time)
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
        await scheduler.ScheduleAsync(job.Id, job.WorkspaceId, ct);
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

internal static class ExportViews
{
    public static async Task<ExportView> ViewAsync(ICrmDb db, long exportId, CancellationToken ct) =>
        (await ViewsAsync(db, db.ExportJobs.Where(j => j.Id == exportId), ct)).SingleOrDefault() ?? throw new NotFoundException("Export", exportId);

    public static async Task<IReadOnlyList<ExportView>> ViewsAsync(ICrmDb db, IQueryable<ExportJob> jobs, CancellationToken ct)
    {
        var rows = await jobs.AsNoTracking().ToListAsync(ct);
        var userIds = rows.Select(r => r.CreatedByUserId).OfType<long>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        return rows.Select(j => new ExportView(j.Id, j.Format, j.Parts.Select(p => p.Object).ToList(), Describe(j), j.Status, j.TotalRows, j.RowsWritten,
            j.FileSize, j.FileName, j.CreatedAt, j.CompletedAt, j.ExpiresAt, j.CreatedByUserId is { } id ? names.GetValueOrDefault(id) : null,
            j.FailureReason, j.AdminOnly)).ToList();
    }

    /// <summary>"contacts (search “ada”, owner 3, sorted by -updatedAt), 6 columns".</summary>
    public static string Describe(ExportJob job) => string.Join("; ", job.Parts.Select(p =>
    {
        var f = p.Filter;
        var filters = new List<string>();
        if (!string.IsNullOrWhiteSpace(f.Search)) filters.Add($"search “{f.Search}”");
        if (f.Lifecycle is { } lifecycle) filters.Add($"lifecycle {lifecycle.ToString().ToLowerInvariant()}");
        if (f.OwnerId is not null) filters.Add("one owner");
        if (f.AccountId is not null) filters.Add("one account");
        if (f.Industry is not null) filters.Add($"industry {f.Industry}");
        if (f.PipelineId is not null) filters.Add("one pipeline");
        if (f.StageId is not null) filters.Add("one stage");
        if (f.ContactId is not null) filters.Add("one contact");
        if (f.DealId is not null) filters.Add("one deal");
        if (f.ActivityType is { } type) filters.Add(type.ToString().ToLowerInvariant() + "s");
        if (!string.IsNullOrWhiteSpace(f.Sort)) filters.Add($"sorted by {f.Sort}");
        return $"{ExportFields.Plural(p.Object)}{(filters.Count > 0 ? $" ({string.Join(", ", filters)})" : "")}, {p.Fields.Count} columns";
    }));
}

/// <summary>
/// "Only admins may export" is the workspace's setting as it is now, checked whenever exports are listed, shown or
/// downloaded: switching it on closes earlier exports to reps too.
/// </summary>
internal static class ExportAccess
{
    public static async Task EnsureAllowedAsync(ICrmDb db, bool exportAdminOnly, CancellationToken ct)
    {
        if (db.Actor.IsAdmin) return;
        if (exportAdminOnly || await db.Workspaces.Where(w => w.Id == db.Actor.WorkspaceId).Select(w => w.ExportsAdminOnly).SingleAsync(ct))
            Roles.EnsureAdmin(db.Actor);
    }
}

public sealed class GetExportHandler(ICrmDbFactory dbFactory)
{
    public async Task<ExportView> HandleAsync(long exportId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var view = await ExportViews.ViewAsync(db, exportId, ct);
        await ExportAccess.EnsureAllowedAsync(db, view.AdminOnly, ct);
        return view;
    }
}

public sealed class ListExportsHandler(ICrmDbFactory dbFactory)
{
    public async Task<PagedResult<ExportView>> HandleAsync(int page = 1, int pageSize = 25, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        await ExportAccess.EnsureAllowedAsync(db, false, ct);
        (page, pageSize) = (Math.Max(1, page), Math.Clamp(pageSize, 1, 200));
        var jobs = db.ExportJobs.AsNoTracking();
        var total = await jobs.CountAsync(ct);
        var views = await ExportViews.ViewsAsync(db, jobs.OrderByDescending(j => j.Id).Skip(Paging.Offset(page, pageSize)).Take(pageSize), ct);
        return new PagedResult<ExportView>(views.OrderByDescending(v => v.Id).ToList(), total, page, pageSize);
    }
}

/// <summary>An export's file, for a member of its workspace (an admin when the export was made admin-only).</summary>
public sealed record ExportFile(Stream Content, string FileName, string ContentType, long Length);

public sealed class ExportGoneException(string message) : Exception(message);

public sealed class ExportNotReadyException(string message) : Exception(message);

public sealed class DownloadExportHandler(ICrmDbFactory dbFactory, IFileStore files)
{
    public async Task<ExportFile> HandleAsync(long exportId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var job = await db.ExportJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == exportId, ct) ?? throw new NotFoundException("Export", exportId);
        await ExportAccess.EnsureAllowedAsync(db, job.AdminOnly, ct);
        switch (job.Status)
        {
            case ExportStatus.Expired:
                throw new ExportGoneException($"This export expired on {job.ExpiresAt:yyyy-MM-dd HH:mm} UTC and its file was deleted. Export the list again.");
            case ExportStatus.Failed:
                throw new ExportGoneException(job.FailureReason ?? "This export failed; it has no file.");
            case not ExportStatus.Completed:
                throw new ExportNotReadyException("This export is still being written; its file can be downloaded once it is completed.");
        }
        if (job.FileKey is null || !files.Exists(job.FileKey))
            throw new ExportGoneException("This export's file is no longer there. Export the list again.");
        return new ExportFile(files.OpenRead(job.FileKey), job.FileName, ContentTypeOf(job.Format), job.FileSize);
    }

    public static string ContentTypeOf(ExportFormat format) => format switch
    {
        ExportFormat.Csv => "text/csv; charset=utf-8",
        ExportFormat.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ExportFormat.Json => "application/json; charset=utf-8",
        _ => "application/x-ndjson; charset=utf-8",
    };
}

public sealed class GetExportSettingsHandler(ICrmDbFactory dbFactory)
{
    public async Task<ExportSettingsView> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var w = await db.Workspaces.AsNoTracking().SingleAsync(x => x.Id == db.Actor.WorkspaceId, ct);
        return new ExportSettingsView(w.ExportRowLimit, w.ExportsAdminOnly, w.ExportRetentionHours);
    }
}

public sealed class UpdateExportSettingsHandler(ICrmDbFactory dbFactory)
{
    public async Task<ExportSettingsView> HandleAsync(ExportSettingsInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        InputValidation.ThrowIfInvalid(input);
        var w = await db.Workspaces.SingleAsync(x => x.Id == db.Actor.WorkspaceId, ct);
        w.ExportRowLimit = input.RowLimit;
        w.ExportsAdminOnly = input.AdminOnly;
        w.ExportRetentionHours = input.RetentionHours;
        await db.SaveChangesAsync(ct);
        return new ExportSettingsView(w.ExportRowLimit, w.ExportsAdminOnly, w.ExportRetentionHours);
    }
}

public sealed class ListExportFieldSetsHandler(ICrmDbFactory dbFactory)
{
    public async Task<IReadOnlyList<ExportFieldSetView>> HandleAsync(ExportObject type, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var sets = await db.ExportFieldSets.AsNoTracking().Where(s => s.Object == type).OrderBy(s => s.Name).ToListAsync(ct);
        return sets.Select(s => new ExportFieldSetView(s.Id, s.Name, s.Object, s.Fields)).ToList();
    }
}

/// <summary>Saves (or replaces, by name) a choice of columns for an object type.</summary>
public sealed class SaveExportFieldSetHandler(ICrmDbFactory dbFactory)
{
    public async Task<ExportFieldSetView> HandleAsync(ExportObject type, string name, IReadOnlyList<string> fields, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var cleaned = Text.Clean(name) ?? throw new ValidationFailedException("Name", "Name the field set.");
        if (cleaned.Length > FieldLimits.Name) throw new ValidationFailedException("Name", $"A name has at most {FieldLimits.Name} characters.");
        var columns = ExportQueries.Columns(new ExportPart { Object = type, Fields = [.. fields] }, await StartExportHandler.CustomFieldsAsync(db, ct));
        var set = await db.ExportFieldSets.SingleOrDefaultAsync(s => s.Object == type && s.Name == cleaned, ct);
        if (set is null) db.ExportFieldSets.Add(set = new ExportFieldSet { Name = cleaned, Object = type });
        set.Fields = columns.Select(c => c.Key).ToList();
        await db.SaveChangesAsync(ct);
        return new ExportFieldSetView(set.Id, set.Name, set.Object, set.Fields);
    }
}

public sealed class DeleteExportFieldSetHandler(ICrmDbFactory dbFactory)
{
    public async Task HandleAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var set = await db.ExportFieldSets.SingleOrDefaultAsync(s => s.Id == id, ct) ?? throw new NotFoundException("Field set", id);
        db.ExportFieldSets.Remove(set);
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>The fields an object type can export, for the field picker.</summary>
public sealed class ListExportFieldsHandler(ICrmDbFactory dbFactory)
{
    public async Task<IReadOnlyList<ExportField>> HandleAsync(ExportObject type, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return ExportFields.For(type, await StartExportHandler.CustomFieldsAsync(db, ct));
    }
}

/// <summary>How many rows an export of this list would hold, and the workspace's limit for the format.</summary>
public sealed class CountExportHandler(ICrmDbFactory dbFactory)
{
    public async Task<(int Rows, int Limit)> HandleAsync(ExportPart part, ExportFormat format, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var workspace = await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == db.Actor.WorkspaceId, ct);
        var sheet = ExportQueries.Sheet(db, part with { Fields = [] }, []);
        var limit = format == ExportFormat.Xlsx ? Math.Min(workspace.ExportRowLimit, ExportLimits.MaxXlsxRows) : workspace.ExportRowLimit;
        return (await sheet.CountAsync(ct), limit);
    }
}
