using Crm.Core.Exports;
using Crm.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Web.Endpoints;

public static class ExportsApi
{
    /// <summary>
    /// One kind of record (objectType, fields, filter) or several (parts, XLSX only). Fields are keys from
    /// GET /api/v1/exports/fields; none means the default columns. The filter is the list's: search, ownerId,
    /// lifecycle, accountId, industry, pipelineId, stageId, contactId, dealId, activityType, sort.
    /// </summary>
    public sealed record ExportApiRequest(
        ExportFormat Format = ExportFormat.Csv,
        ExportObject? ObjectType = null,
        List<string>? Fields = null,
        ExportFilter? Filter = null,
        List<ExportPart>? Parts = null,
        bool ExcelFriendly = false,
        string? Culture = null);

    /// <param name="Rows">Rows the export would hold.</param>
    /// <param name="Limit">The most one export of this format may hold in this workspace.</param>
    public sealed record ExportCount(int Rows, int Limit);

    /// <summary>A column an export can hold: its key (for 'fields'), its header, kind, group, and whether it is in the default set.</summary>
    public sealed record ExportFieldView(string Key, string Header, ExportKind Kind, ExportGroup Group, bool Default);

    public sealed record FieldSetRequest(ExportObject ObjectType, string Name, List<string> Fields);

    public static RouteGroupBuilder MapExportsApi(this RouteGroupBuilder api)
    {
        var exports = api.MapGroup("/exports").WithTags("Exports");
        exports.MapPost("/", StartAsync).WithName("StartExport")
            .WithSummary("Export a list (CSV, XLSX, JSON or NDJSON) in the background; poll the export, then download its file");
        exports.MapGet("/", async (int? page, int? pageSize, ListExportsHandler handler, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(page ?? 1, pageSize ?? 25, ct))).WithName("ListExports").WithSummary("Export history, newest first");
        exports.MapGet("/{id:long}", async (long id, GetExportHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, ct)))
            .WithName("GetExport").WithSummary("Status, progress, size and expiry");
        exports.MapGet("/{id:long}/file", FileAsync).WithName("DownloadExport")
            .WithSummary("The file, once completed (409 before, 410 once expired)")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status410Gone);
        exports.MapPost("/count", async (ExportApiRequest request, CountExportHandler handler, CancellationToken ct) =>
            {
                var part = new ExportPart { Object = request.ObjectType ?? throw new Crm.Core.Common.ValidationFailedException("ObjectType", "Say which records: objectType contact, account, deal or activity."),
                    Filter = request.Filter ?? new ExportFilter() };
                var (rows, limit) = await handler.HandleAsync(part, request.Format, ct);
                return TypedResults.Ok(new ExportCount(rows, limit));
            })
            .WithName("CountExport").WithSummary("How many rows an export of this list would hold, and the workspace's row limit for the format (asked before exporting)");
        exports.MapGet("/fields", async (string? objectType, ListExportFieldsHandler handler, CancellationToken ct) =>
            TypedResults.Ok((await handler.HandleAsync(ObjectOf(objectType), ct)).Select(f => new ExportFieldView(f.Key, f.Header, f.Kind, f.Group, f.Default)).ToList()))
            .WithName("ListExportFields").WithSummary("The columns an object type can export (record, related and custom fields)");
        exports.MapGet("/field-sets", async (string? objectType, ListExportFieldSetsHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ObjectOf(objectType), ct)))
            .WithName("ListExportFieldSets").WithSummary("Saved choices of columns");
        exports.MapPost("/field-sets", async (FieldSetRequest request, SaveExportFieldSetHandler handler, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(request.ObjectType, request.Name, request.Fields ?? [], ct))).WithName("SaveExportFieldSet")
            .WithSummary("Save a choice of columns under a name (the same name replaces it)");
        exports.MapDeleteById<DeleteExportFieldSetHandler>("/field-sets/{id:long}", (handler, id, ct) => handler.HandleAsync(id, ct)).WithName("DeleteExportFieldSet").WithSummary("Remove a saved set of export fields");
        exports.MapGet("/settings", async (GetExportSettingsHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)))
            .WithName("GetExportSettings").WithSummary("The workspace's row limit, admin-only flag and file retention");
        exports.MapPut("/settings", async (ExportSettingsInput input, UpdateExportSettingsHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(input, ct)))
            .RequireAuthorization(CrmClaims.AdminPolicy).WithName("UpdateExportSettings").WithSummary("Change the row limit, admin-only flag and file retention (admins)");
        return api;
    }

    private static async Task<Accepted<ExportView>> StartAsync(ExportApiRequest request, StartExportHandler handler, CancellationToken ct)
    {
        var parts = request.Parts is { Count: > 0 } several
            ? several
            : request.ObjectType is { } type
                ? [new ExportPart { Object = type, Fields = request.Fields ?? [], Filter = request.Filter ?? new ExportFilter() }]
                : throw new Crm.Core.Common.ValidationFailedException("ObjectType", "Say what to export: objectType contact, account, deal or activity (or parts).");
        var view = await handler.HandleAsync(new ExportRequest { Format = request.Format, Parts = parts, ExcelFriendly = request.ExcelFriendly, Culture = request.Culture }, ct);
        return TypedResults.Accepted($"/api/v1/exports/{view.Id}", view);
    }

    private static ExportObject ObjectOf(string? value) =>
        ApiEnums.Parse<ExportObject>(value, "objectType") ?? throw new Crm.Core.Common.ValidationFailedException("objectType", "Say which records: objectType contact, account, deal or activity.");

    private static async Task<IResult> FileAsync(long id, DownloadExportHandler handler, CancellationToken ct)
    {
        var file = await handler.HandleAsync(id, ct);
        return TypedResults.File(file.Content, file.ContentType, file.FileName, enableRangeProcessing: true);
    }
}
