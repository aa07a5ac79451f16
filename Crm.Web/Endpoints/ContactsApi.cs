using System.Text.Json.Nodes;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Web.Endpoints;

public static class ContactsApi
{
    // Properties rather than a positional record: the request delegate generator cannot bind nullable constructor parameters.
    public sealed record ListParameters { public string? Search { get; init; } public long? OwnerId { get; init; } public string? Lifecycle { get; init; } public long? AccountId { get; init; } public string? Sort { get; init; } public int? Page { get; init; } public int? PageSize { get; init; } }

    public static RouteGroupBuilder MapContactsApi(this RouteGroupBuilder api)
    {
        var contacts = api.MapGroup("/contacts").WithTags("Contacts");
        contacts.MapGet("/", ListAsync).WithName("ListContacts")
            .WithSummary("List contacts").WithDescription("Paged; quick search over names, email and company; filters by owner, lifecycle, account; sort by " + string.Join(", ", ListContactsHandler.SortFields) + " (prefix '-' for descending).");
        contacts.MapGet("/{id:long}", GetAsync).WithName("GetContact").WithSummary("Get a contact (ETag = version)").Produces<ContactDetails>(StatusCodes.Status200OK);
        contacts.MapPost("/", CreateAsync).WithName("CreateContact").WithSummary("Create a contact").Produces<ContactDetails>(StatusCodes.Status201Created);
        contacts.MapPut("/{id:long}", UpdateAsync).WithName("UpdateContact").WithSummary("Replace a contact's fields (If-Match for optimistic concurrency)").Produces<ContactDetails>(StatusCodes.Status200OK).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        contacts.MapPatch("/{id:long}", PatchAsync).WithName("PatchContact").Accepts<JsonObject>("application/merge-patch+json", "application/json")
            .WithSummary("Change only the fields given (JSON merge patch, RFC 7396; null clears a field; If-Match for optimistic concurrency)").Produces<ContactDetails>(StatusCodes.Status200OK).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        contacts.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteContact").WithSummary("Delete a contact (soft; If-Match honoured)").ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return api;
    }

    private static async Task<Ok<PagedResult<ContactListItem>>> ListAsync([AsParameters] ListParameters p, ListContactsHandler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(new ListContactsQuery(p.Search, p.OwnerId, ApiEnums.Parse<Lifecycle>(p.Lifecycle, "lifecycle"), p.AccountId,
            p.Sort, p.Page ?? 1, p.PageSize ?? Paging.DefaultPageSize), ct));

    private static async Task<IResult> GetAsync(long id, HttpContext context, GetContactHandler handler, CancellationToken ct)
    {
        var contact = await handler.HandleAsync(id, ct);
        return ETags.Respond(context, contact, contact.Version);
    }

    /// <remarks>Likely duplicates of the new contact (the scan's rules) are named in an X-Possible-Duplicates header: "id:confidence, …".</remarks>
    private static async Task<IResult> CreateAsync(ContactInput input, HttpContext context, CreateContactHandler handler,
        Crm.Core.Duplicates.FindContactDuplicatesHandler duplicates, CancellationToken ct)
    {
        var likely = await duplicates.HandleAsync(input, ct);
        var contact = await handler.HandleAsync(input, ct);
        if (likely.Count > 0) context.Response.Headers["X-Possible-Duplicates"] = string.Join(", ", likely.Select(d => $"{d.Id}:{d.Confidence}"));
        return ETags.Respond(context, contact, contact.Version, StatusCodes.Status201Created, $"/api/v1/contacts/{contact.Id}");
    }

    private static async Task<IResult> UpdateAsync(long id, ContactInput input, HttpContext context, UpdateContactHandler handler, CancellationToken ct)
    {
        var contact = await handler.HandleAsync(id, input, ETags.IfMatch(context.Request), ct);
        return ETags.Respond(context, contact, contact.Version);
    }

    private static async Task<IResult> PatchAsync(long id, JsonNode? patch, HttpContext context, PatchContactHandler handler, CancellationToken ct)
    {
        var contact = await handler.HandleAsync(id, patch, ETags.IfMatch(context.Request), ct);
        return ETags.Respond(context, contact, contact.Version);
    }

    private static async Task<NoContent> DeleteAsync(long id, HttpContext context, DeleteContactHandler handler, CancellationToken ct)
    {
        await handler.HandleAsync(id, ETags.IfMatch(context.Request), ct);
        return TypedResults.NoContent();
    }
}
