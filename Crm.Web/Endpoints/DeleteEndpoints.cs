using Microsoft.AspNetCore.Mvc;

namespace Crm.Web.Endpoints;

public static class DeleteEndpoints
{
    /// <summary>
    /// <c>DELETE …/{id}</c> that hands the id to one use case and answers 204 (its refusals — 403, 404 — answer through
    /// the API's filter, as every endpoint's do).
    /// </summary>
    public static RouteHandlerBuilder MapDeleteById<THandler>(this IEndpointRouteBuilder routes, string pattern, Func<THandler, long, CancellationToken, Task> run)
        where THandler : notnull =>
        routes.MapDelete(pattern, async (long id, [FromServices] THandler handler, CancellationToken ct) =>
        {
            await run(handler, id, ct);
            return TypedResults.NoContent();
        });
}
