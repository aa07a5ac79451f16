using System.Net;
using System.Security.Cryptography;
using System.Text;
using Crm.Sandbox.Faults;
using Crm.Sandbox.OAuth;
using Microsoft.Extensions.Options;

namespace Crm.Sandbox.Graph;

/// <summary>Configuration section "Sandbox:Microsoft": the app registration known to the stand-in.</summary>
public sealed class MicrosoftSandboxOptions : SandboxProviderOptions
{
    public const string Section = "Sandbox:Microsoft";

    public MicrosoftSandboxOptions()
    {
        ClientId = "6731de76-14a6-49ae-97bc-6eba6914391e";
        ClientSecret = "sandbox-microsoft-secret-change-me";
        Account = "rep@sandbox.onmicrosoft.com";
    }
}

/// <summary>
/// The Microsoft identity platform v2.0 under /microsoft: /microsoft/{tenant}/oauth2/v2.0/authorize and token, refresh
/// tokens only with offline_access and rotated on every refresh (an old one presented again is refused and counted),
/// and Graph's GET /microsoft/graph/v1.0/me with Graph's error shape.
/// </summary>
public static class MicrosoftSandbox
{
    public static readonly StandardOAuthProfile Profile = new(
        "microsoft", "Microsoft", "#0067b8", "/microsoft/{tenant}/oauth2/v2.0/authorize", "/microsoft/{tenant}/oauth2/v2.0/token", null,
        sp => sp.GetRequiredService<IOptions<MicrosoftSandboxOptions>>().Value,
        RotateRefreshTokens: true, SendsExpiresIn: true,
        AsksOffline: q => q["scope"].ToString().Split(' ').Contains("offline_access"),
        AccessPrefix: "eyJ0eXAiOiJKV1Qi.sandbox.", RefreshPrefix: "0.AAAA",
        ExtraTokenFields: (_, _, o) => new() { ["ext_expires_in"] = o.AccessTokenSeconds });

    public static void MapMicrosoftSandbox(this IEndpointRouteBuilder app)
    {
        app.MapStandardOAuth(Profile);
        app.MapGet("/microsoft/graph/v1.0/me", (HttpRequest request, SandboxTokens tokens, TimeProvider time) =>
        {
            if (tokens["microsoft"].Validate(StandardOAuthServer.BearerOf(request), time.GetUtcNow()) is not { } grant)
                return Results.Json(new { error = new { code = "InvalidAuthenticationToken", message = "Access token has expired or is not yet valid.",
                    innerError = new { date = time.GetUtcNow(), requestId = Guid.NewGuid() } } }, statusCode: (int)HttpStatusCode.Unauthorized);
            return Results.Json(new Dictionary<string, object?>
            {
                ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
                ["id"] = ObjectIdOf(grant.Account), ["userPrincipalName"] = grant.Account, ["mail"] = grant.Account, ["displayName"] = grant.Account.Split('@')[0],
            });
        }).WithMetadata(new SandboxSurface("microsoft", SandboxSurface.Api));
    }

    /// <summary>A stable GUID per account, as Entra's object ids are.</summary>
    public static string ObjectIdOf(string account) => new Guid(MD5.HashData(Encoding.UTF8.GetBytes(account.ToLowerInvariant()))).ToString();
}
