using Crm.Core.Common;

namespace Crm.Web.Endpoints;

/// <summary>
/// Answers the use cases' refusals (400, 403, 404, 412) inside the endpoint, so response headers survive: a 412
/// carries the record's current ETag, which the exception-handler middleware would strip as a cache header.
/// </summary>
public sealed class DomainErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Crm.Core.Duplicates.RecordMergedException merged) when (HttpMethods.IsGet(context.HttpContext.Request.Method))
        {
            // A merged record's old URL leads to the record it was merged into.
            var area = merged.What == "Account" ? "accounts" : "contacts";
            return TypedResults.Redirect($"/api/v1/{area}/{merged.WinnerId}", permanent: true);
        }
        catch (Exception e) when (ApiExceptionHandler.ForDomain(e) is { } problem)
        {
            if (e is ConcurrencyConflictException conflict) context.HttpContext.Response.Headers.ETag = ETags.For(conflict.CurrentVersion);
            return problem is Microsoft.AspNetCore.Mvc.ValidationProblemDetails validation
                ? TypedResults.ValidationProblem(validation.Errors, validation.Detail, title: validation.Title)
                : TypedResults.Problem(problem);
        }
    }
}
