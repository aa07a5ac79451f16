using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Crm.Web.Auth;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").ExcludeFromDescription();

        // Starts single sign-on; the OIDC handler comes back to /signin-oidc and signs the member in.
        account.MapGet("/sso", (string? returnUrl, IOptions<OidcSettings> oidc) =>
                oidc.Value.Enabled
                    ? Results.Challenge(new AuthenticationProperties { RedirectUri = LocalOrHome(returnUrl) }, [CrmClaims.OidcScheme])
                    : Results.Redirect("/account/login"))
            .AllowAnonymous();

        account.MapPost("/logout", async (HttpContext context) =>
            {
                await context.SignOutAsync(CrmClaims.CookieScheme);
                return Results.Redirect("/account/login?signedOut=1");
            })
            .AllowAnonymous();
        return app;
    }

    /// <summary>Only local paths are followed after sign-in (no open redirects).</summary>
    public static string LocalOrHome(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}
