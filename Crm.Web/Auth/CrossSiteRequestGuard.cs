using Microsoft.AspNetCore.Antiforgery;

namespace Crm.Web.Auth;

/// <summary>
/// A state-changing request carried by the session cookie must come from this app's own pages: the browser says
/// so (Sec-Fetch-Site: same-origin, or an Origin of this very site), or the request carries an antiforgery token.
/// SameSite=Lax keeps most cross-site posts from carrying the cookie; this closes the rest (a foreign page posting
/// to the API or signing people out). API keys are not sent by browsers on their own and are not checked.
/// </summary>
public sealed class CrossSiteRequestGuard(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, IAntiforgery antiforgery)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
            && (ApiProblems.IsApi(request) || request.Path.StartsWithSegments("/account/logout"))
            && ApiKeyAuthenticationHandler.PresentedKey(request) is null
            && request.Cookies.ContainsKey(CrmClaims.SessionCookie)
            && !IsSameOrigin(request) && !await HasValidTokenAsync(context, antiforgery))
        {
            const string detail = "This request came from another site. Requests that change data with a signed-in session must come from the CRM's own pages; other programs use an API key.";
            if (ApiProblems.IsApi(request)) await ApiProblems.WriteAsync(context, StatusCodes.Status403Forbidden, "Cross-site request refused", detail);
            else
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync(detail);
            }
            return;
        }
        await next(context);
    }

    /// <summary>
    /// An antiforgery token: in the RequestVerificationToken header for the API (its bodies are never read here: an
    /// upload may be 512 MB), or in the sign-out form.
    /// </summary>
    private static async Task<bool> HasValidTokenAsync(HttpContext context, IAntiforgery antiforgery) =>
        (!ApiProblems.IsApi(context.Request) || context.Request.Headers.ContainsKey(TokenHeader)) && await antiforgery.IsRequestValidAsync(context);

    /// <summary>ASP.NET Core's default antiforgery header.</summary>
    public const string TokenHeader = "RequestVerificationToken";

    /// <summary>What the browser says about where the request comes from; nothing said is not the same origin.</summary>
    public static bool IsSameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0) return site == "same-origin";
        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
