using Crm.Core.Common;
using Crm.Core.Timeline;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Web.Endpoints;

public static class ActivitiesApi
{
    public sealed record TaskDoneRequest(bool Done);

    // Properties rather than a positional record: the request delegate generator cannot bind nullable constructor parameters.
    public sealed record ListParameters { public string? Type { get; init; } public long? ContactId { get; init; } public long? AccountId { get; init; } public long? DealId { get; init; } public string? Sort { get; init; } public int? Page { get; init; } public int? PageSize { get; init; } }

    public static RouteGroupBuilder MapActivitiesApi(this RouteGroupBuilder api)
    {
        var activities = api.MapGroup("/activities").WithTags("Activities");
        activities.MapGet("/", ListAsync).WithName("ListActivities")
            .WithSummary("List activities").WithDescription("Notes, tasks, calls, emails and meetings; filter by type and linked contact, account or deal; newest first by default.");
        activities.MapGet("/{id:long}", GetAsync).WithName("GetActivity").WithSummary("Get an activity (ETag = version)").Produces<ActivityDto>(StatusCodes.Status200OK);
        activities.MapPost("/", CreateAsync).WithName("CreateActivity").WithSummary("Create an activity; 'type' says which fields apply").Produces<ActivityDto>(StatusCodes.Status201Created);
        activities.MapPut("/{id:long}", UpdateAsync).WithName("UpdateActivity").WithSummary("Replace an activity's fields (its type cannot change)").Produces<ActivityDto>(StatusCodes.Status200OK).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        activities.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteActivity").WithSummary("Delete an activity (soft; If-Match honoured)").ProducesProblem(StatusCodes.Status412PreconditionFailed);
        activities.MapGet("/{id:long}/attachments/{attachmentId:long}", async (long id, long attachmentId, Crm.Core.Email.GetEmailAttachmentHandler handler, CancellationToken ct) =>
            {
                var file = await handler.HandleAsync(id, attachmentId, ct);
                // Always a download, never shown inline: an attachment's HTML or SVG must not run on our origin.
                return TypedResults.File(file.Content, "application/octet-stream", file.FileName);
            })
            .WithName("GetEmailAttachment").WithSummary("Download a logged email's attachment (for people who may read that email)")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream");
        activities.MapPut("/{id:long}/done", async (long id, TaskDoneRequest request, SetTaskDoneHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(id, request.Done, ct)))
            .WithName("SetTaskDone").WithSummary("Tick a task done (done=true) or open it again (done=false)");
        return api;
    }

    private static async Task<Ok<PagedResult<ActivityDto>>> ListAsync([AsParameters] ListParameters p, ListActivitiesHandler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(new ListActivitiesQuery(ApiEnums.Parse<ActivityType>(p.Type, "type"), p.ContactId, p.AccountId, p.DealId,
            p.Sort, p.Page ?? 1, p.PageSize ?? Paging.DefaultPageSize), ct));

    private static async Task<IResult> GetAsync(long id, HttpContext context, GetActivityHandler handler, CancellationToken ct)
    {
        var activity = await handler.HandleAsync(id, ct);
        return ETags.Respond(context, activity, activity.Version);
    }

    private static async Task<IResult> CreateAsync(ActivityInput input, HttpContext context, CreateActivityHandler handler, CancellationToken ct)
    {
        var activity = await handler.HandleAsync(input, ct);
        return ETags.Respond(context, activity, activity.Version, StatusCodes.Status201Created, $"/api/v1/activities/{activity.Id}");
    }

    private static async Task<IResult> UpdateAsync(long id, ActivityInput input, HttpContext context, UpdateActivityHandler handler, CancellationToken ct)
    {
        var activity = await handler.HandleAsync(id, input, ETags.IfMatch(context.Request), ct);
        return ETags.Respond(context, activity, activity.Version);
    }

    private static async Task<NoContent> DeleteAsync(long id, HttpContext context, DeleteActivityHandler handler, CancellationToken ct)
    {
        await handler.HandleAsync(id, ETags.IfMatch(context.Request), ct);
        return TypedResults.NoContent();
    }
}
