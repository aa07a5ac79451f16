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

    /// <summary>Only local paths are followed after sign-in (no open redirects); anything else goes home.</summary>
    public static string LocalOrHome(string? returnUrl) => IsLocalUrl(returnUrl) ? returnUrl! : "/";

    /// <summary>
    /// ASP.NET Core's own rule (UrlHelperBase.IsLocalUrl) for paths: "/" or "/path", never "//", "/\\", or a control
    /// character anywhere — browsers drop a tab or a line break, so "/\t/evil.example" would be "//evil.example", and a
    /// CR or LF cannot go into a Location header at all.
    /// </summary>
    public static bool IsLocalUrl(string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/') return false;
        return url.Length == 1 || url[1] != '/' && url[1] != '\\' && !HasControlCharacter(url.AsSpan(1));

        static bool HasControlCharacter(ReadOnlySpan<char> text)
        {
            foreach (var c in text)
                if (char.IsControl(c)) return true;
            return false;
        }
    }
}
