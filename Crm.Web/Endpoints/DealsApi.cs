using System.Text.Json.Nodes;
using Crm.Core.Common;
using Crm.Core.Deals;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Web.Endpoints;

public static class DealsApi
{
    // Properties rather than a positional record: the request delegate generator cannot bind nullable constructor parameters.
    public sealed record ListParameters { public string? Search { get; init; } public long? PipelineId { get; init; } public long? StageId { get; init; } public long? OwnerId { get; init; } public long? AccountId { get; init; } public long? ContactId { get; init; } public string? Sort { get; init; } public int? Page { get; init; } public int? PageSize { get; init; } }

    public static RouteGroupBuilder MapDealsApi(this RouteGroupBuilder api)
    {
        var deals = api.MapGroup("/deals").WithTags("Deals");
        deals.MapGet("/", ListAsync).WithName("ListDeals")
            .WithSummary("List deals").WithDescription("Paged; filters by pipeline, stage, owner, account, contact; sort by " + string.Join(", ", ListDealsHandler.SortFields) + ".");
        deals.MapGet("/{id:long}", GetAsync).WithName("GetDeal").WithSummary("Get a deal (ETag = version)").Produces<DealDetails>(StatusCodes.Status200OK);
        deals.MapPost("/", CreateAsync).WithName("CreateDeal").WithSummary("Create a deal (pipeline and stage default to the first ones)").Produces<DealDetails>(StatusCodes.Status201Created);
        deals.MapPut("/{id:long}", UpdateAsync).WithName("UpdateDeal").WithSummary("Replace a deal's fields (If-Match for optimistic concurrency)").Produces<DealDetails>(StatusCodes.Status200OK).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        deals.MapPatch("/{id:long}", PatchAsync).WithName("PatchDeal").Accepts<JsonObject>("application/merge-patch+json", "application/json")
            .WithSummary("Change only the fields given (JSON merge patch, RFC 7396; null clears a field; If-Match for optimistic concurrency)").Produces<DealDetails>(StatusCodes.Status200OK).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        deals.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteDeal").WithSummary("Delete a deal (soft; If-Match honoured)").ProducesProblem(StatusCodes.Status412PreconditionFailed);
        api.MapGet("/pipelines", async (ListPipelinesHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)))
            .WithTags("Deals").WithName("ListPipelines").WithSummary("List pipelines with their ordered stages");
        api.MapGet("/pipelines/board", async (long? pipelineId, GetPipelineBoardHandler handler, CancellationToken ct) =>
                await handler.HandleAsync(pipelineId, ct) is { } board
                    ? Results.Ok(board)
                    : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No pipeline", detail: "The workspace has no pipeline yet."))
            .WithTags("Deals").WithName("GetPipelineBoard").Produces<PipelineBoard>(StatusCodes.Status200OK)
            .WithSummary("A pipeline as the board shows it (the first one unless pipelineId says): each stage's deal count, totals and weighted forecast per currency, and its first 100 deals");
        deals.MapPost("/{id:long}/move", MoveAsync).WithName("MoveDeal").Produces<DealDetails>(StatusCodes.Status200OK).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithSummary("Move a deal to another stage of its pipeline, as a drag on the board does (its probability becomes the stage's; If-Match honoured)");
        return api;
    }

    public sealed record MoveDealRequest(long StageId);

    private static async Task<IResult> MoveAsync(long id, MoveDealRequest request, HttpContext context, MoveDealHandler handler, CancellationToken ct)
    {
        var deal = await handler.HandleAsync(id, request.StageId, ETags.IfMatch(context.Request), ct);
        return ETags.Respond(context, deal, deal.Version);
    }

    private static async Task<Ok<PagedResult<DealListItem>>> ListAsync([AsParameters] ListParameters p, ListDealsHandler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(new ListDealsQuery(p.Search, p.PipelineId, p.StageId, p.OwnerId, p.AccountId, p.ContactId, p.Sort,
            p.Page ?? 1, p.PageSize ?? Paging.DefaultPageSize), ct));

    private static async Task<IResult> GetAsync(long id, HttpContext context, GetDealHandler handler, CancellationToken ct)
    {
        var deal = await handler.HandleAsync(id, ct);
        return ETags.Respond(context, deal, deal.Version);
    }

    private static async Task<IResult> CreateAsync(DealInput input, HttpContext context, CreateDealHandler handler, CancellationToken ct)
    {
        var deal = await handler.HandleAsync(input, ct);
        return ETags.Respond(context, deal, deal.Version, StatusCodes.Status201Created, $"/api/v1/deals/{deal.Id}");
    }

    private static async Task<IResult> UpdateAsync(long id, DealInput input, HttpContext context, UpdateDealHandler handler, CancellationToken ct)
    {
        var deal = await handler.HandleAsync(id, input, ETags.IfMatch(context.Request), ct);
        return ETags.Respond(context, deal, deal.Version);
    }

    private static async Task<IResult> PatchAsync(long id, JsonNode? patch, HttpContext context, PatchDealHandler handler, CancellationToken ct)
    {
        var deal = await handler.HandleAsync(id, patch, ETags.IfMatch(context.Request), ct);
        return ETags.Respond(context, deal, deal.Version);
    }

    private static async Task<NoContent> DeleteAsync(long id, HttpContext context, DeleteDealHandler handler, CancellationToken ct)
    {
        await handler.HandleAsync(id, ETags.IfMatch(context.Request), ct);
        return TypedResults.NoContent();
    }
}
