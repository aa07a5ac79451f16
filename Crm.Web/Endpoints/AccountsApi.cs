using System.Text.Json.Nodes;
using Crm.Core.Accounts;
using Crm.Core.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Web.Endpoints;

public static class AccountsApi
{
    // Properties rather than a positional record: the request delegate generator cannot bind nullable constructor parameters.
    public sealed record ListParameters { public string? Search { get; init; } public long? OwnerId { get; init; } public string? Industry { get; init; } public string? Sort { get; init; } public int? Page { get; init; } public int? PageSize { get; init; } }

    public static RouteGroupBuilder MapAccountsApi(this RouteGroupBuilder api)
    {
        var accounts = api.MapGroup("/accounts").WithTags("Accounts");
        accounts.MapGet("/", ListAsync).WithName("ListAccounts")
            .WithSummary("List accounts").WithDescription("Paged; quick search over name and domain; filters by owner and industry; sort by " + string.Join(", ", ListAccountsHandler.SortFields) + ".");
        accounts.MapGet("/{id:long}", GetAsync).WithName("GetAccount").WithSummary("Get an account (ETag = version)").Produces<AccountDetails>(StatusCodes.Status200OK);
        accounts.MapPost("/", CreateAsync).WithName("CreateAccount").WithSummary("Create an account").Produces<AccountDetails>(StatusCodes.Status201Created);
        accounts.MapPut("/{id:long}", UpdateAsync).WithName("UpdateAccount").WithSummary("Replace an account's fields (If-Match for optimistic concurrency)").Produces<AccountDetails>(StatusCodes.Status200OK).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        accounts.MapPatch("/{id:long}", PatchAsync).WithName("PatchAccount").Accepts<JsonObject>("application/merge-patch+json", "application/json")
            .WithSummary("Change only the fields given (JSON merge patch, RFC 7396; null clears a field; If-Match for optimistic concurrency)").Produces<AccountDetails>(StatusCodes.Status200OK).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        accounts.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteAccount").WithSummary("Delete an account (soft; If-Match honoured)").ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return api;
    }

    private static async Task<Ok<PagedResult<AccountListItem>>> ListAsync([AsParameters] ListParameters p, ListAccountsHandler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(new ListAccountsQuery(p.Search, p.OwnerId, p.Industry, p.Sort, p.Page ?? 1, p.PageSize ?? Paging.DefaultPageSize), ct));

    private static async Task<IResult> GetAsync(long id, HttpContext context, GetAccountHandler handler, CancellationToken ct)
    {
        var account = await handler.HandleAsync(id, ct);
        return ETags.Respond(context, account, account.Version);
    }

    /// <remarks>Likely duplicates of the new account (the same domain or name) are named in an X-Possible-Duplicates header: "id:confidence, …".</remarks>
    private static async Task<IResult> CreateAsync(AccountInput input, HttpContext context, CreateAccountHandler handler,
        Crm.Core.Duplicates.FindAccountDuplicatesHandler duplicates, CancellationToken ct)
    {
        var likely = await duplicates.HandleAsync(input, ct);
        var account = await handler.HandleAsync(input, ct);
        if (likely.Count > 0) context.Response.Headers["X-Possible-Duplicates"] = string.Join(", ", likely.Select(d => $"{d.Id}:{d.Confidence}"));
        return ETags.Respond(context, account, account.Version, StatusCodes.Status201Created, $"/api/v1/accounts/{account.Id}");
    }

    private static async Task<IResult> UpdateAsync(long id, AccountInput input, HttpContext context, UpdateAccountHandler handler, CancellationToken ct)
    {
        var account = await handler.HandleAsync(id, input, ETags.IfMatch(context.Request), ct);
        return ETags.Respond(context, account, account.Version);
    }

    private static async Task<IResult> PatchAsync(long id, JsonNode? patch, HttpContext context, PatchAccountHandler handler, CancellationToken ct)
    {
        var account = await handler.HandleAsync(id, patch, ETags.IfMatch(context.Request), ct);
        return ETags.Respond(context, account, account.Version);
    }

    private static async Task<NoContent> DeleteAsync(long id, HttpContext context, DeleteAccountHandler handler, CancellationToken ct)
    {
        await handler.HandleAsync(id, ETags.IfMatch(context.Request), ct);
        return TypedResults.NoContent();
    }
}
