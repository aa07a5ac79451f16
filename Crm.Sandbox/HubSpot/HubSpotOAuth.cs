using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Crm.Sandbox.Faults;
using Crm.Sandbox.OAuth;
using Microsoft.Extensions.Options;

namespace Crm.Sandbox.HubSpot;

/// <summary>
/// HubSpot's OAuth 2.0 as its public documentation describes it: the install/consent page at /oauth/authorize
/// (client_id, scope, optional_scope, redirect_uri, state, PKCE code_challenge), POST /oauth/v1/token (form body;
/// authorization_code with code_verifier, refresh_token; a JSON error with status BAD_AUTH_CODE, BAD_REFRESH_TOKEN,
/// BAD_CLIENT_ID, BAD_REDIRECT_URI or BAD_GRANT_TYPE), GET /oauth/v1/access-tokens/{token} (token metadata: hub_id,
/// hub_domain, user, scopes, expires_in) and DELETE /oauth/v1/refresh-tokens/{token} (revoke). HubSpot's refresh tokens
/// do not rotate.
/// </summary>
public static class HubSpotOAuth
{
    public static void MapHubSpotOAuth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/oauth/authorize", Authorize);
        app.MapPost("/oauth/authorize/decision", DecideAsync).DisableAntiforgery();
        app.MapPost("/oauth/v1/token", TokenAsync).DisableAntiforgery().WithMetadata(new SandboxSurface("hubspot", SandboxSurface.Token));
        app.MapGet("/oauth/v1/access-tokens/{token}", TokenInfo).WithMetadata(new SandboxSurface("hubspot", SandboxSurface.Token));
        app.MapDelete("/oauth/v1/refresh-tokens/{token}", (string token, SandboxTokens tokens) =>
            tokens["hubspot"].KnowsRefreshToken(token) && tokens["hubspot"].Revoke(token) ? Results.NoContent() : Error(HttpStatusCode.NotFound, "BAD_REFRESH_TOKEN", "missing or unknown refresh token"))
            .WithMetadata(new SandboxSurface("hubspot", SandboxSurface.Token));
    }

    private static IResult Authorize(HttpRequest request, IOptions<HubSpotSandboxOptions> options)
    {
        var q = request.Query;
        var o = options.Value;
        var redirectUri = q["redirect_uri"].ToString();
        // As HubSpot does: an unknown app or an unregistered redirect URI is an error page, never a redirect.
        if (q["client_id"] != o.ClientId) return Page("Unknown app", "This install link names an app HubSpot does not know (client_id).", HttpStatusCode.BadRequest);
        if (!RedirectAllowed(o, redirectUri)) return Page("Redirect URL mismatch", "redirect_uri is not one of the app's redirect URLs.", HttpStatusCode.BadRequest);
        var scopes = q["scope"].ToString();
        if (string.IsNullOrWhiteSpace(scopes)) return Page("Missing scopes", "The install link asks for no scope.", HttpStatusCode.BadRequest);
        var hidden = new StringBuilder();
        foreach (var name in new[] { "client_id", "redirect_uri", "state", "scope", "optional_scope", "code_challenge", "code_challenge_method" })
            hidden.Append($"<input type=\"hidden\" name=\"{name}\" value=\"{WebUtility.HtmlEncode(q[name].ToString())}\">");
        var list = string.Concat(scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => $"<li>{WebUtility.HtmlEncode(s)}</li>"));
        return Results.Content($$"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Connect app — HubSpot sandbox</title>
            <style>body{font-family:system-ui,sans-serif;background:#f5f8fa;display:flex;justify-content:center;padding-top:8vh}
            main{background:#fff;padding:2rem;border-radius:8px;box-shadow:0 2px 10px #0002;width:min(460px,92vw)}
            button{padding:.7rem 1.2rem;margin-right:.5rem;border-radius:4px;border:1px solid #ccc;cursor:pointer}#grant{background:#ff7a59;color:#fff;border:none}</style></head>
            <body><main><h1>Connect app</h1><p>Account <b>{{WebUtility.HtmlEncode(o.HubDomain)}}</b> ({{o.HubId}}), as {{WebUtility.HtmlEncode(o.User)}}</p>
            <p>The app asks for:</p><ul>{{list}}</ul>
            <form method="post" action="{{request.PathBase}}/oauth/authorize/decision">{{hidden}}
            <button type="submit" name="decision" value="grant" id="grant">Connect app</button>
            <button type="submit" name="decision" value="deny" id="deny">Cancel</button></form></main></body></html>
            """, "text/html; charset=utf-8");
    }

    private static async Task<IResult> DecideAsync(HttpRequest request, IOptions<HubSpotSandboxOptions> options, SandboxTokens tokens, TimeProvider time)
    {
        var form = await request.ReadFormAsync();
        var o = options.Value;
        var redirectUri = form["redirect_uri"].ToString();
        if (form["client_id"] != o.ClientId || !RedirectAllowed(o, redirectUri)) return Page("Unknown app", "Invalid client_id or redirect_uri.", HttpStatusCode.BadRequest);
        var query = new Dictionary<string, string?> { ["state"] = string.IsNullOrEmpty(form["state"]) ? null : form["state"].ToString() };
        if (form["decision"] != "grant")
        {
            query["error"] = "access_denied";
            query["error_description"] = "The user did not connect the app.";
            return Results.Redirect(Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(redirectUri, query));
        }
        var challenge = form["code_challenge"].ToString();
        if (challenge.Length > 0 && form["code_challenge_method"] != "S256")
            return Page("Unsupported PKCE method", "Only code_challenge_method=S256 is accepted.", HttpStatusCode.BadRequest);
        var scopes = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Concat(form["optional_scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)).Append("oauth").Distinct().ToArray();
        var code = tokens["hubspot"].IssueCode(new Grant(o.ClientId, o.User, scopes), redirectUri, challenge.Length > 0 ? challenge : null, time.GetUtcNow().AddSeconds(o.CodeSeconds));
        query["code"] = code;
        return Results.Redirect(Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(redirectUri, query));
    }

    private static async Task<IResult> TokenAsync(HttpRequest request, IOptions<HubSpotSandboxOptions> options, SandboxTokens tokens, TimeProvider time)
    {
        if (!request.HasFormContentType) return Error(HttpStatusCode.BadRequest, "BAD_REQUEST", "The body must be application/x-www-form-urlencoded.");
        var form = await request.ReadFormAsync();
        var o = options.Value;
        if (form["client_id"] != o.ClientId) return Error(HttpStatusCode.BadRequest, "BAD_CLIENT_ID", "missing or unknown client id");
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(o.ClientSecret), Encoding.UTF8.GetBytes(form["client_secret"].ToString())))
            return Error(HttpStatusCode.BadRequest, "BAD_CLIENT_SECRET", "missing or invalid client secret");
        var store = tokens["hubspot"];
        Grant grant;
        string refresh;
        switch (form["grant_type"].ToString())
        {
            case "authorization_code":
                var (redeemed, problem) = store.RedeemCode(form["code"].ToString(), o.ClientId, form["redirect_uri"].ToString(), form["code_verifier"], time.GetUtcNow());
                if (redeemed is null)
                    return problem == IssuedTokens.CodeProblem.RedirectMismatch
                        ? Error(HttpStatusCode.BadRequest, "BAD_REDIRECT_URI", "redirect_uri does not match the authorization request")
                        : Error(HttpStatusCode.BadRequest, "BAD_AUTH_CODE", problem == IssuedTokens.CodeProblem.VerifierMismatch ? "code_verifier does not match the code challenge" : "missing or unknown auth code");
                grant = redeemed;
                refresh = store.IssueRefresh(grant, "na1-refresh-");
                break;
            case "refresh_token":
                refresh = form["refresh_token"].ToString();
                if (store.UseRefresh(refresh, rotate: false) is not { } known) return Error(HttpStatusCode.BadRequest, "BAD_REFRESH_TOKEN", "missing or unknown refresh token");
                grant = known;
                break;
            default:
                return Error(HttpStatusCode.BadRequest, "BAD_GRANT_TYPE", "grant_type must be authorization_code or refresh_token");
        }
        var access = store.IssueAccess(grant, TimeSpan.FromSeconds(o.AccessTokenSeconds), time.GetUtcNow(), "na1-access-");
        return Results.Json(new Dictionary<string, object>
        {
            ["token_type"] = "bearer", ["refresh_token"] = refresh, ["access_token"] = access, ["expires_in"] = o.AccessTokenSeconds,
            ["hub_id"] = o.HubId, ["scopes"] = grant.Scopes,
        });
    }

    private static IResult TokenInfo(string token, IOptions<HubSpotSandboxOptions> options, SandboxTokens tokens, TimeProvider time)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        if (tokens["hubspot"].Validate(token, now) is not { } grant)
            return Error(HttpStatusCode.NotFound, "BAD_ACCESS_TOKEN", "missing, unknown or expired access token");
        return Results.Json(new Dictionary<string, object>
        {
            ["token"] = token, ["user"] = grant.Account, ["hub_domain"] = o.HubDomain, ["scopes"] = grant.Scopes, ["hub_id"] = o.HubId, ["app_id"] = o.AppId,
            ["expires_in"] = (int)Math.Max(0, (tokens["hubspot"].LifetimeLeft(token, now) ?? TimeSpan.Zero).TotalSeconds), ["user_id"] = o.UserId, ["token_type"] = "access",
        });
    }

    private static bool RedirectAllowed(HubSpotSandboxOptions o, string redirectUri) =>
        o.RedirectUris.Contains(redirectUri)
        || o.AllowAnyLoopbackPort && Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri) && uri.IsLoopback && uri.Scheme is "http" or "https";

    private static IResult Error(HttpStatusCode status, string code, string message) =>
        Results.Json(new { status = code, message, correlationId = Guid.NewGuid() }, statusCode: (int)status);

    private static IResult Page(string title, string text, HttpStatusCode status) =>
        Results.Content($"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title></head><body><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(text)}</p></body></html>",
            "text/html; charset=utf-8", Encoding.UTF8, (int)status);
}
