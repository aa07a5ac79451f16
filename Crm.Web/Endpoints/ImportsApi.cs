using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Imports;
using Crm.Web.Auth;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Crm.Web.Endpoints;

public static class ImportsApi
{
    public sealed record RollbackRequest(bool RestoreChangedRecords = false);

    /// <summary>
    /// What to do with an uploaded draft: its mapping (a full mapping or header → field, as for <c>StartImport</c>), options
    /// and file settings; each left out keeps the draft's.
    /// </summary>
    public sealed record DraftRequest(JsonElement? Mapping = null, ImportOptions? Options = null, ImportFileSettings? Settings = null);

    public sealed record SaveImportTemplateRequest(string? Name, JsonElement? Mapping = null, ImportOptions? Options = null);

    public static RouteGroupBuilder MapImportsApi(this RouteGroupBuilder api)
    {
        var imports = api.MapGroup("/imports").WithTags("Imports").RequireAuthorization(CrmClaims.AdminPolicy);
        imports.MapPost("/", StartAsync).WithName("StartImport")
            .WithSummary("Upload a file and start importing it (or test it with dryRun=true)")
            .WithDescription("multipart/form-data: 'file' (.csv/.tsv/.txt/.xlsx, up to 512 MB and 1,048,576 rows), 'objectType' (contact, account, deal), " +
                             "optional 'mapping' (JSON: {\"columns\":[{\"index\":0,\"field\":\"email\"}]} or {\"Header\":\"field\"}), optional 'options' (JSON), " +
                             "optional 'settings' (JSON: encoding, delimiter, headerRow, sheet). Without a mapping the suggested one is used.")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(ImportLimits.MaxFileBytes + 1024 * 1024))
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<ImportView>(StatusCodes.Status202Accepted).Produces<DryRunResult>(StatusCodes.Status200OK);
        imports.MapPost("/drafts", UploadDraftAsync).WithName("UploadImportDraft")
            .WithSummary("Upload a file to review how it reads and maps before starting it (the browser's first step)")
            .WithDescription("multipart/form-data: 'objectType' (contact, account, deal) then 'file'. Returns the draft: detected encoding, delimiter, " +
                             "header, sample rows, the suggested mapping (or a saved template's) and the fields it can map to.")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(ImportLimits.MaxFileBytes + 1024 * 1024))
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<ImportDraft>(StatusCodes.Status201Created);
        imports.MapGet("/drafts", async (int? page, int? pageSize, ListImportDraftsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(page ?? 1, pageSize ?? 25, ct)))
            .WithName("ListImportDrafts").WithSummary("Uploads not started yet, each with the time it is discarded (24 h after it was last changed)");
        imports.MapDeleteById<DiscardImportDraftHandler>("/drafts/{id:long}", (handler, id, ct) => handler.HandleAsync(id, ct))
            .WithName("DiscardImportDraft").WithSummary("Discard an upload that was not started, and its file");
        imports.MapGet("/drafts/{id:long}", async (long id, GetImportDraftHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, ct)))
            .WithName("GetImportDraft").WithSummary("An upload not started yet: how it reads (encoding, delimiter, header, sample rows) and its suggested mapping");
        imports.MapPost("/drafts/{id:long}/dry-run", async (long id, DraftRequest? request, GetImportDraftHandler drafts, ReinspectImportHandler reinspect,
                DryRunImportHandler dryRun, IOptions<JsonOptions> json, CancellationToken ct) =>
            {
                var (draft, mapping, options) = await SettleDraftAsync(id, request, drafts, reinspect, json.Value.SerializerOptions, ct);
                return TypedResults.Ok(await dryRun.HandleAsync(draft.ImportId, mapping, options, ct));
            })
            .WithName("TestImportDraft").WithSummary("Test an upload with a mapping: what would be created, updated, skipped and why, nothing written; the draft stays");
        imports.MapPost("/drafts/{id:long}/start", async (long id, DraftRequest? request, GetImportDraftHandler drafts, ReinspectImportHandler reinspect,
                StartImportHandler start, IOptions<JsonOptions> json, CancellationToken ct) =>
            {
                var (draft, mapping, options) = await SettleDraftAsync(id, request, drafts, reinspect, json.Value.SerializerOptions, ct);
                var view = await start.HandleAsync(draft.ImportId, mapping, options, ct);
                return TypedResults.Accepted($"/api/v1/imports/{view.Id}", view);
            })
            .WithName("StartImportDraft").WithSummary("Start importing an upload with a mapping and options (the draft's own when left out)");
        imports.MapPost("/drafts/{id:long}/template", async (long id, SaveImportTemplateRequest request, GetImportDraftHandler drafts,
                SaveImportTemplateHandler save, IOptions<JsonOptions> json, CancellationToken ct) =>
            {
                var draft = await drafts.HandleAsync(id, ct);
                var mapping = request.Mapping is { } m ? MappingFrom(m.GetRawText(), draft, json.Value.SerializerOptions) : draft.Mapping;
                return TypedResults.Ok(await save.HandleAsync(draft.ImportId, request.Name ?? "", mapping, request.Options ?? draft.Options, draft.Inspection.Headers, ct));
            })
            .WithName("SaveImportTemplate").WithSummary("Save a draft's mapping and options as a named template, offered again for files with the same columns");
        imports.MapGet("/templates", async (ListImportTemplatesHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)))
            .WithName("ListImportTemplates").WithSummary("Saved mappings, by name");
        imports.MapDeleteById<DeleteImportTemplateHandler>("/templates/{id:long}", (handler, id, ct) => handler.HandleAsync(id, ct))
            .WithName("DeleteImportTemplate").WithSummary("Delete a saved mapping");
        imports.MapGet("/{id:long}/errors/summary", async (long id, SummarizeImportErrorsHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, ct)))
            .WithName("SummarizeImportErrors").WithSummary("The import's row errors grouped by column and kind, largest groups first, each with an example");
        imports.MapGet("/", async (int? page, int? pageSize, ListImportsHandler handler, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(page ?? 1, pageSize ?? 25, ct))).WithName("ListImports").WithSummary("Import history, newest first");
        imports.MapGet("/{id:long}", async (long id, GetImportHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, ct)))
            .WithName("GetImport").WithSummary("Status and progress (processed, created, updated, skipped, failed, rows/s, time left)");
        imports.MapGet("/{id:long}/errors", async (long id, int? page, int? pageSize, ListImportErrorsHandler handler, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(id, page ?? 1, pageSize ?? 50, ct))).WithName("ListImportErrors").WithSummary("Row errors: line, column, value, type, message");
        imports.MapGet("/{id:long}/errors.csv", ErrorsCsvAsync).WithName("DownloadImportErrors")
            .WithSummary("The failed rows exactly as uploaded, plus an Error column").Produces(200, contentType: "text/csv");
        imports.MapPost("/{id:long}/cancel", async (long id, CancelImportHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, ct)))
            .WithName("CancelImport").WithSummary("Stop after the current batch; what was written stays and can be rolled back");
        imports.MapGet("/{id:long}/rollback", async (long id, PreviewRollbackHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, ct)))
            .WithName("PreviewImportRollback").WithSummary("What a rollback would do, and records changed since the import");
        imports.MapPost("/{id:long}/rollback", async (long id, RollbackRequest? request, StartRollbackHandler handler, CancellationToken ct) =>
                TypedResults.Accepted($"/api/v1/imports/{id}", await handler.HandleAsync(id, request?.RestoreChangedRecords ?? false, ct)))
            .WithName("RollBackImport").WithSummary("Undo the import: created records deleted, updated ones restored field by field");
        return api;
    }

    private static async Task<IResult> UploadDraftAsync(HttpRequest request, IServiceProvider services, CancellationToken ct)
    {
        var (draft, _) = await ReadUploadAsync(request, services, ct);
        return TypedResults.Created($"/api/v1/imports/{draft.ImportId}", draft);
    }

    private static async Task<(ImportDraft Draft, ImportMapping Mapping, ImportOptions Options)> SettleDraftAsync(long id, DraftRequest? request,
        GetImportDraftHandler drafts, ReinspectImportHandler reinspect, JsonSerializerOptions json, CancellationToken ct)
    {
        var draft = request?.Settings is { } settings ? await reinspect.HandleAsync(id, settings, ct) : await drafts.HandleAsync(id, ct);
        var mapping = request?.Mapping is { ValueKind: not JsonValueKind.Null } m ? MappingFrom(m.GetRawText(), draft, json) : draft.Mapping;
        return (draft, mapping, request?.Options ?? draft.Options);
    }

    /// <summary>Reads the multipart body section by section, streaming the file straight into the file store.</summary>
    private static async Task<(ImportDraft Draft, Dictionary<string, string> Fields)> ReadUploadAsync(HttpRequest request, IServiceProvider services, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
            throw new ValidationFailedException("file", "Send the file as multipart/form-data with a 'file' part.");

        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        ImportDraft? draft = null;
        var reader = new MultipartReader(boundary, request.Body);
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (disposition.IsFileDisposition() && name == "file")
            {
                var type = ParseType(fields.GetValueOrDefault("objectType") ?? request.Query["objectType"].ToString());
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "upload.csv";
                draft = await services.GetRequiredService<UploadImportHandler>().HandleAsync(type, fileName, section.Body, ct);
            }
            else
            {
                fields[name] = await ReadTextPartAsync(section.Body, name, ct);
            }
        }
        if (draft is null) throw new ValidationFailedException("file", "The request has no 'file' part.");
        return (draft, fields);
    }

    /// <summary>Mapping, options and settings are small; no text part may be larger than this.</summary>
    public const int MaxTextPartChars = 1024 * 1024;

    /// <summary>Reads a text part up to <see cref="MaxTextPartChars"/>; a larger one is refused without reading it all.</summary>
    private static async Task<string> ReadTextPartAsync(Stream body, string name, CancellationToken ct)
    {
        using var text = new StreamReader(body, System.Text.Encoding.UTF8);
        var buffer = new char[8192];
        var value = new System.Text.StringBuilder();
        int read;
        while ((read = await text.ReadAsync(buffer, ct)) > 0)
        {
            if (value.Length + read > MaxTextPartChars)
                throw new ValidationFailedException(name.Length is > 0 and <= 40 ? name : "form", $"The '{Truncate(name)}' part is larger than 1 MB; mapping, options and settings are much smaller.");
            value.Append(buffer, 0, read);
        }
        return value.ToString();
    }

    private static string Truncate(string name) => name.Length > 40 ? name[..40] + "…" : name;

    private static async Task<IResult> StartAsync(HttpRequest request, bool? dryRun, IServiceProvider services, IOptions<JsonOptions> json, CancellationToken ct)
    {
        var (draft, fields) = await ReadUploadAsync(request, services, ct);

        if (fields.TryGetValue("settings", out var settingsJson))
            draft = await services.GetRequiredService<ReinspectImportHandler>().HandleAsync(draft.ImportId, Parse<ImportFileSettings>(settingsJson, "settings", json.Value.SerializerOptions), ct);
        var mapping = fields.TryGetValue("mapping", out var mappingJson) ? MappingFrom(mappingJson, draft, json.Value.SerializerOptions) : draft.Mapping;
        var options = fields.TryGetValue("options", out var optionsJson) ? Parse<ImportOptions>(optionsJson, "options", json.Value.SerializerOptions) : draft.Options;

        if (dryRun == true)
        {
            try
            {
                return TypedResults.Ok(await services.GetRequiredService<DryRunImportHandler>().HandleAsync(draft.ImportId, mapping, options, ct));
            }
            finally
            {
                await services.GetRequiredService<DiscardImportDraftHandler>().HandleAsync(draft.ImportId, CancellationToken.None);
            }
        }
        try
        {
            var view = await services.GetRequiredService<StartImportHandler>().HandleAsync(draft.ImportId, mapping, options, ct);
            return TypedResults.Accepted($"/api/v1/imports/{view.Id}", view);
        }
        catch (ValidationFailedException)
        {
            await services.GetRequiredService<DiscardImportDraftHandler>().HandleAsync(draft.ImportId, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Streams the error file (it can hold every row of a million-row upload); a missing import is a 404 before any byte.</summary>
    private static async Task<IResult> ErrorsCsvAsync(long id, GetImportHandler imports, DownloadImportErrorsHandler handler, CancellationToken ct)
    {
        var import = await imports.HandleAsync(id, ct);
        var fileName = Path.GetFileNameWithoutExtension(import.FileName) + "-errors.csv";
        return TypedResults.Stream(stream => handler.HandleAsync(id, stream, ct), "text/csv; charset=utf-8", fileName);
    }

    private static RecordType ParseType(string? value) =>
        ApiEnums.Parse<RecordType>(value, "objectType") ?? throw new ValidationFailedException("objectType", "Say what the file holds: objectType contact, account or deal (before the file part).");

    private static T Parse<T>(string text, string field, JsonSerializerOptions options)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, options) ?? throw new ValidationFailedException(field, $"'{field}' is empty.");
        }
        catch (JsonException e)
        {
            throw new ValidationFailedException(field, $"'{field}' is not valid JSON for this setting: {e.Message}");
        }
    }

    /// <summary>
    /// Either a full mapping ({"columns":[…]}: the columns it names, by index; the others are ignored) or a header →
    /// field object (the columns it names; the others keep the suggestion, and "" ignores one).
    /// </summary>
    private static ImportMapping MappingFrom(string text, ImportDraft draft, JsonSerializerOptions options)
    {
        JsonValueKind kind;
        bool full;
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, MaxDepth = 16 });
            kind = document.RootElement.ValueKind;
            full = kind == JsonValueKind.Object && document.RootElement.TryGetProperty("columns", out _);
        }
        catch (JsonException e)
        {
            throw new ValidationFailedException("mapping", $"'mapping' is not valid JSON: {e.Message}");
        }
        if (kind != JsonValueKind.Object)
            throw new ValidationFailedException("mapping", "'mapping' is a JSON object: {\"columns\":[{\"index\":0,\"field\":\"email\"}]} or {\"Header\":\"field\"}.");
        if (full) return Parse<ImportMapping>(text, "mapping", options);
        var byHeader = Parse<Dictionary<string, string?>>(text, "mapping", options);
        var unknown = byHeader.Keys.Where(h => draft.Inspection.Headers.All(x => !string.Equals(x, h, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0) throw new ValidationFailedException("mapping", $"The file has no column named {string.Join(", ", unknown.Select(u => $"'{u}'"))}.");
        return draft.Mapping with
        {
            Columns = draft.Mapping.Columns.Select(c => byHeader.FirstOrDefault(kv => string.Equals(kv.Key, c.Header, StringComparison.OrdinalIgnoreCase)) is { Key: not null } m
                ? c with { Field = string.IsNullOrEmpty(m.Value) ? null : m.Value }
                : c).ToList(),
        };
    }
}
