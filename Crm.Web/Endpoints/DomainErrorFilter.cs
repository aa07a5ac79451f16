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
        catch (Exception e) when (ApiExceptionHandler.ForDomain(e) is { } problem)
        {
            if (e is ConcurrencyConflictException conflict) context.HttpContext.Response.Headers.ETag = ETags.For(conflict.CurrentVersion);
            return problem is Microsoft.AspNetCore.Mvc.ValidationProblemDetails validation
                ? TypedResults.ValidationProblem(validation.Errors, validation.Detail, title: validation.Title)
                : TypedResults.Problem(problem);
        }
    }
}
