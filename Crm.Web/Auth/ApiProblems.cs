namespace Crm.Web.Auth;

/// <summary>RFC 9457 problem responses written outside an endpoint (authentication, redirects turned into status codes).</summary>
public static class ApiProblems
{
    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    public static Task WriteAsync(HttpContext context, int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title).ExecuteAsync(context);
}
