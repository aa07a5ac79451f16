using System.Net;
using System.Security.Cryptography;
using System.Text;
using Crm.Sandbox.Faults;
using Crm.Sandbox.OAuth;
using Microsoft.Extensions.Options;

namespace Crm.Sandbox.Google;

/// <summary>Configuration section "Sandbox:Google": the OAuth client registered with the stand-in.</summary>
public sealed class GoogleSandboxOptions : SandboxProviderOptions
{
    public const string Section = "Sandbox:Google";

    public GoogleSandboxOptions()
    {
        ClientId = "crm-sandbox.apps.googleusercontent.com";
        ClientSecret = "sandbox-google-secret-change-me";
        Account = "rep@example.com";
    }
}

/// <summary>
/// Google's OAuth 2.0 for web server apps under /google: the consent page (/google/o/oauth2/v2/auth; a refresh token
/// only with access_type=offline), /google/token (refresh tokens do not rotate), /google/revoke and OpenID Connect
/// userinfo (/google/v1/userinfo: sub, email, email_verified).
/// </summary>
public static class GoogleSandbox
{
    public static readonly StandardOAuthProfile Profile = new(
        "google", "Google", "#1a73e8", "/google/o/oauth2/v2/auth", "/google/token", "/google/revoke",
        sp => sp.GetRequiredService<IOptions<GoogleSandboxOptions>>().Value,
        RotateRefreshTokens: false, SendsExpiresIn: true, AsksOffline: q => q["access_type"] == "offline",
        AccessPrefix: "ya29.", RefreshPrefix: "1//");

    public static void MapGoogleSandbox(this IEndpointRouteBuilder app)
    {
        app.MapStandardOAuth(Profile);
        app.MapGet("/google/v1/userinfo", (HttpRequest request, SandboxTokens tokens, TimeProvider time) =>
        {
            if (tokens["google"].Validate(StandardOAuthServer.BearerOf(request), time.GetUtcNow()) is not { } grant)
                return Results.Json(new { error = "invalid_request", error_description = "Invalid Credentials" }, statusCode: (int)HttpStatusCode.Unauthorized);
            return Results.Json(new { sub = SubjectOf(grant.Account), email = grant.Account, email_verified = true, name = grant.Account.Split('@')[0] });
        }).WithMetadata(new SandboxSurface("google", SandboxSurface.Api));
    }

    /// <summary>A stable numeric subject per address, as Google's are.</summary>
    public static string SubjectOf(string account) =>
        "1" + string.Concat(SHA256.HashData(Encoding.UTF8.GetBytes(account.ToLowerInvariant())).Take(10).Select(b => (b % 10).ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
