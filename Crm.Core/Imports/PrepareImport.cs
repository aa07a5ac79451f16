using Crm.Core.Common;
using Crm.Core.CustomFields;
using Microsoft.EntityFrameworkCore;
using static System.FormattableString;

namespace Crm.Core.Imports;

public static class ImportLimits
{
    /// <summary>HubSpot's limits (Salesforce's wizard stops at 50,000 rows, Twenty at 10,000).</summary>
    public const long MaxFileBytes = 512L * 1024 * 1024;
    public const int MaxRows = 1_048_576;
    /// <summary>Columns an import reads (CSV and Excel alike); the widest real exports we know have about 100.</summary>
    public const int MaxColumns = 1_000;
    public static readonly string[] Extensions = [".csv", ".tsv", ".txt", ".xlsx"];
}

/// <summary>
/// Step one of an import: keeps the upload, works out how it reads (encoding, delimiter, header, sheet), counts its
/// rows, suggests a mapping — or applies a saved template whose columns match — and creates a draft import.
/// </summary>
public sealed class UploadImportHandler(ICrmDbFactory dbFactory, IFileStore files, ITabularFileReader reader)
{
    public async Task<ImportDraft> HandleAsync(RecordType objectType, string fileName, Stream content, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (!ImportLimits.Extensions.Contains(extension))
            throw new ValidationFailedException("File", $"'{fileName}' is not a file we can import. Upload a .csv, .tsv, .txt or .xlsx file.");

        StoredFile stored;
        try
        {
            stored = await files.SaveAsync("imports", db.Actor.WorkspaceId, extension, content, ImportLimits.MaxFileBytes, ct);
        }
        catch (ImportFileException e)
        {
            throw new ValidationFailedException("File", e.Message);
        }

        try
        {
            var job = new ImportJob
            {
                ObjectType = objectType, FileName = Path.GetFileName(fileName), FileSize = stored.Size, FileKey = stored.Key,
                Status = ImportStatus.Draft, CreatedByUserId = db.Actor.UserId,
            };
            var draft = await ImportDrafts.InspectAsync(db, job, reader, null, ct);
            db.ImportJobs.Add(job);
            await db.SaveChangesAsync(ct);
            return draft with { ImportId = job.Id };
        }
        catch
        {
            await files.DeleteAsync(stored.Key, CancellationToken.None);
            throw;
        }
    }
}

/// <summary>Reads the draft again with other settings (encoding, delimiter, header row, sheet).</summary>
public sealed class ReinspectImportHandler(ICrmDbFactory dbFactory, ITabularFileReader reader)
{
    public async Task<ImportDraft> HandleAsync(long importId, ImportFileSettings settings, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var job = await ImportDrafts.GetDraftAsync(db, importId, ct);
        ImportFileSettingsRules.Validate(settings);
        var draft = await ImportDrafts.InspectAsync(db, job, reader, settings, ct);
        await db.SaveChangesAsync(ct);
        return draft;
    }
}

/// <summary>How a file may be asked to be read: a delimiter that can separate values, a header row that can exist.</summary>
public static class ImportFileSettingsRules
{
    /// <summary>Characters that cannot separate values: the quote and line breaks are the CSV syntax itself.</summary>
    private const string NotDelimiters = "\"\r\n\0";

    public const int MaxHeaderRow = 1_000;

    public static void Validate(ImportFileSettings? settings)
    {
        if (settings is null) throw new ValidationFailedException("Settings", "The settings are empty (null).");
        if (settings.Delimiter is { } d && (NotDelimiters.Contains(d) || char.IsLetterOrDigit(d)))
            throw new ValidationFailedException("Delimiter", Invariant($"'{(char.IsControl(d) ? $"U+{(int)d:X4}" : d.ToString())}' cannot separate values; choose a comma, semicolon, tab, pipe or another symbol."));
        if (settings.HeaderRow is < 1 or > MaxHeaderRow)
            throw new ValidationFailedException("HeaderRow", Invariant($"The header row is a row number between 1 and {MaxHeaderRow}."));
        if (!Enum.IsDefined(settings.Format)) throw new ValidationFailedException("Format", "The format is csv or xlsx.");
    }
}

/// <summary>A draft as it was left: how the file reads with its settings, and the mapping and options last chosen.</summary>
public sealed class GetImportDraftHandler(ICrmDbFactory dbFactory, ITabularFileReader reader)
{
    public async Task<ImportDraft> HandleAsync(long importId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var job = await ImportDrafts.GetDraftAsync(db, importId, ct);
        FileInspection inspection;
        try
        {
            inspection = await reader.InspectAsync(job.FileKey, job.FileName, job.Settings, ct);
        }
        catch (ImportFileException e)
        {
            throw new ValidationFailedException("File", e.Message);
        }
        var fields = ImportFields.For(job.ObjectType, await StartImportHandler.CustomFieldsAsync(db, job.ObjectType, ct));
        return new ImportDraft(job.Id, job.ObjectType, job.FileName, job.FileSize, inspection, job.Mapping, job.Options, fields, null, job.TotalRows);
    }
}

/// <summary>Gives up a draft: the upload is deleted.</summary>
public sealed class DiscardImportDraftHandler(ICrmDbFactory dbFactory, IFileStore files)
{
    public async Task HandleAsync(long importId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var job = await ImportDrafts.GetDraftAsync(db, importId, ct);
        db.ImportJobs.Remove(job);
        await db.SaveChangesAsync(ct);
        await files.DeleteAsync(job.FileKey, ct);
    }
}

internal static class ImportDrafts
{
    public static async Task<ImportJob> GetDraftAsync(ICrmDb db, long importId, CancellationToken ct)
    {
        var job = await db.ImportJobs.GetAsync(importId, "Import", ct);
        if (job.Status != ImportStatus.Draft)
            throw new ValidationFailedException("Status", "This import has already started; its settings can no longer change.");
        return job;
    }

    public static async Task<ImportDraft> InspectAsync(ICrmDb db, ImportJob job, ITabularFileReader reader, ImportFileSettings? overrides, CancellationToken ct)
    {
        FileInspection inspection;
        try
        {
            inspection = await reader.InspectAsync(job.FileKey, job.FileName, overrides, ct);
        }
        catch (ImportFileException e)
        {
            throw new ValidationFailedException("File", e.Message);
        }
        // The inspection counted every row in the same pass (the file is read once, and had the row limit applied).
        var rows = inspection.TotalRows;
        if (rows == 0) throw new ValidationFailedException("File", "The file has a header but no data rows: there is nothing to import.");

        var customFields = await db.CustomFieldDefinitions.AsNoTracking().Where(d => d.RecordType == job.ObjectType)
            .Select(d => new CustomFieldView(d.Id, d.RecordType, d.Key, d.Label, d.Type)).ToListAsync(ct);
        var fields = ImportFields.For(job.ObjectType, customFields);
        var signature = HeaderMatcher.Signature(inspection.Headers);
        var template = await db.ImportTemplates.AsNoTracking()
            .Where(t => t.ObjectType == job.ObjectType && t.HeaderSignature == signature)
            .OrderByDescending(t => t.UpdatedAt).FirstOrDefaultAsync(ct);
        var mapping = template?.Mapping ?? HeaderMatcher.Suggest(inspection.Headers, fields, inspection.SampleRows);
        var options = template?.Options ?? new ImportOptions();
        if (template is null && await AreOurIdsAsync(db, job.ObjectType, mapping, inspection, ct)) options = options with { MatchField = "id" };
        // A column that is empty throughout the file identifies nothing (a Salesforce export's empty Website column).
        options = options with
        {
            MatchField = options.MatchField ?? ImportFields.DefaultMatchField(job.ObjectType,
                mapping.Columns.Where(c => !inspection.ColumnAt(c.Index).IsEmpty).Select(c => c.Field)),
        };
        // One bad value does not cost a good row (as HubSpot imports): a fresh mapping imports such a row without that
        // field and lists it; the column records are matched by still refuses its row. A saved template keeps its choices.
        if (template is null)
            mapping = mapping with
            {
                Columns = mapping.Columns.Select(c => c with
                {
                    OnInvalid = c.Field == options.MatchField || c.Field == "id" ? InvalidValueAction.RefuseRow : InvalidValueAction.LeaveEmpty,
                }).ToList(),
            };

        job.Settings = inspection.Settings;
        job.Mapping = mapping;
        job.Options = options;
        job.TotalRows = rows;
        job.BlankRows = inspection.BlankRows;
        return new ImportDraft(job.Id, job.ObjectType, job.FileName, job.FileSize, inspection, mapping, options, fields, template?.Name, rows);
    }

    /// <summary>
    /// Whether the column mapped to our record id holds ids of this workspace's records — the file is one of our own
    /// exports: then records are matched by id, so rows without an email still find their record. An id alone proves
    /// nothing (another system's "Record ID" 51 may be our contact 51 too): each sample row's email (contacts) or name
    /// must also be that record's. Otherwise matching stays by email, domain or name.
    /// </summary>
    private static async Task<bool> AreOurIdsAsync(ICrmDb db, RecordType type, ImportMapping mapping, FileInspection inspection, CancellationToken ct)
    {
        if (mapping.Columns.FirstOrDefault(c => c.Field == "id") is not { } idColumn) return false;
        var keyField = type == RecordType.Contact ? "email" : "name";
        if (mapping.Columns.FirstOrDefault(c => c.Field == keyField) is not { } keyColumn) return false;
        string? Cell(string?[] row, int index) => index < row.Length ? ImportValues.Clean(row[index]) : null;
        var samples = inspection.SampleRows
            .Select(r => (Id: long.TryParse(Cell(r, idColumn.Index), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : (long?)null,
                Key: Cell(r, keyColumn.Index)))
            .Where(s => s.Id is not null && s.Key is not null).ToList();
        if (samples.Count == 0) return false;
        var ids = samples.Select(s => s.Id!.Value).Distinct().ToList();
        var keys = type switch
        {
            RecordType.Contact => await db.Contacts.Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, Key = c.Email }).ToDictionaryAsync(c => c.Id, c => c.Key, ct),
            RecordType.Account => await db.Accounts.Where(a => ids.Contains(a.Id)).Select(a => new { a.Id, Key = (string?)a.Name }).ToDictionaryAsync(a => a.Id, a => a.Key, ct),
            _ => await db.Deals.Where(d => ids.Contains(d.Id)).Select(d => new { d.Id, Key = (string?)d.Name }).ToDictionaryAsync(d => d.Id, d => d.Key, ct),
        };
        return samples.All(s => keys.TryGetValue(s.Id!.Value, out var key) && string.Equals(key, s.Key, StringComparison.OrdinalIgnoreCase));
    }
}
