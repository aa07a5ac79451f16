using System.Net;
using System.Security.Cryptography;
using System.Text;
using Crm.Sandbox.Faults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Crm.Sandbox.OAuth;

/// <summary>An app registered with one stand-in, and the account its consent page signs in as.</summary>
public class SandboxProviderOptions
{
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";
    /// <summary>The account the consent page offers (the person may type another).</summary>
    public string Account { get; set; } = "";
    public List<string> RedirectUris { get; set; } = [];
    /// <summary>Any port on 127.0.0.1/localhost is a registered redirect URI (tests and the demo pick free ports).</summary>
    public bool AllowAnyLoopbackPort { get; set; } = true;
    public int AccessTokenSeconds { get; set; } = 3600;
    public int CodeSeconds { get; set; } = 600;

    public bool RedirectAllowed(string redirectUri) =>
        RedirectUris.Contains(redirectUri)
        || AllowAnyLoopbackPort && Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri) && uri.IsLoopback && uri.Scheme is "http" or "https";
}

/// <summary>How one provider's OAuth 2.0 (RFC 6749) differs from the next: paths, rotation, what the token answer holds.</summary>
public sealed record StandardOAuthProfile(
    string Provider, string Brand, string Color, string AuthorizePath, string TokenPath, string? RevokePath,
    Func<IServiceProvider, SandboxProviderOptions> Options,
    /// <summary>Microsoft: every refresh answers with a new refresh token and retires the old one.</summary>
    bool RotateRefreshTokens,
    /// <summary>Salesforce sends no expires_in (sessions end on the org's timeout).</summary>
    bool SendsExpiresIn,
    /// <summary>Whether the authorization asked for offline access (Google: access_type=offline; Microsoft: offline_access; Salesforce: refresh_token).</summary>
    Func<IQueryCollection, bool> AsksOffline,
    string AccessPrefix, string RefreshPrefix,
    Func<HttpRequest, Grant, SandboxProviderOptions, Dictionary<string, object>>? ExtraTokenFields = null);

/// <summary>
/// An OAuth 2.0 authorization server as RFC 6749 and the providers' references describe it: the consent page
/// (response_type=code, PKCE S256), the token endpoint (authorization_code and refresh_token grants; client secret in
/// the form or HTTP Basic; errors as {"error","error_description"}: invalid_client 401, invalid_grant, invalid_request,
/// unsupported_grant_type 400), and revocation (RFC 7009).
/// </summary>
public static class StandardOAuthServer
{
    public static void MapStandardOAuth(this IEndpointRouteBuilder app, StandardOAuthProfile profile)
    {
        var surface = new SandboxSurface(profile.Provider, SandboxSurface.Token);
        app.MapGet(profile.AuthorizePath, (HttpRequest request) => Authorize(request, profile));
        app.MapPost(profile.AuthorizePath + "/decision", (HttpRequest request, SandboxTokens tokens, TimeProvider time) => DecideAsync(request, profile, tokens, time)).DisableAntiforgery();
        app.MapPost(profile.TokenPath, (HttpRequest request, SandboxTokens tokens, TimeProvider time) => TokenAsync(request, profile, tokens, time))
            .DisableAntiforgery().WithMetadata(surface);
        if (profile.RevokePath is { } revoke)
            app.MapPost(revoke, async (HttpRequest request, SandboxTokens tokens) =>
            {
                var token = request.HasFormContentType ? (await request.ReadFormAsync())["token"].ToString() : request.Query["token"].ToString();
                if (string.IsNullOrEmpty(token)) return Error(HttpStatusCode.BadRequest, "invalid_request", "token is required");
                // Google answers 400 invalid_token for a token it does not know; RFC 7009 allows 200. Google's way here.
                return tokens[profile.Provider].Revoke(token) ? Results.Ok() : Error(HttpStatusCode.BadRequest, "invalid_token", "Token expired or revoked");
            }).DisableAntiforgery().WithMetadata(surface);
    }

    private static IResult Authorize(HttpRequest request, StandardOAuthProfile profile)
    {
        var o = profile.Options(request.HttpContext.RequestServices);
        var q = request.Query;
        // An unknown app or an unregistered redirect URI is an error page, never a redirect (RFC 6749 §4.1.2.1).
        if (q["client_id"] != o.ClientId) return ConsentPage.Error("Unknown app", "The OAuth client was not found (client_id).", HttpStatusCode.BadRequest);
        if (!o.RedirectAllowed(q["redirect_uri"].ToString())) return ConsentPage.Error("redirect_uri_mismatch", "The redirect URI in the request does not match the ones registered.", HttpStatusCode.BadRequest);
        if (q["response_type"] != "code") return Back(q["redirect_uri"].ToString(), q["state"], "unsupported_response_type", "Only response_type=code is supported.");
        if (string.IsNullOrWhiteSpace(q["scope"])) return Back(q["redirect_uri"].ToString(), q["state"], "invalid_scope", "No scope was requested.");
        if (!string.IsNullOrEmpty(q["code_challenge"]) && q["code_challenge_method"] != "S256")
            return Back(q["redirect_uri"].ToString(), q["state"], "invalid_request", "Only code_challenge_method=S256 is supported.");
        var account = string.IsNullOrEmpty(q["login_hint"]) ? o.Account : q["login_hint"].ToString();
        return ConsentPage.Render(request, request.Path.Value + "/decision", profile.Brand, profile.Color, account, q["scope"].ToString());
    }

    private static async Task<IResult> DecideAsync(HttpRequest request, StandardOAuthProfile profile, SandboxTokens tokens, TimeProvider time)
    {
        var o = profile.Options(request.HttpContext.RequestServices);
        var form = await request.ReadFormAsync();
        var redirectUri = form["redirect_uri"].ToString();
        if (form["client_id"] != o.ClientId || !o.RedirectAllowed(redirectUri)) return ConsentPage.Error("Unknown app", "Invalid client_id or redirect_uri.", HttpStatusCode.BadRequest);
        var state = string.IsNullOrEmpty(form["state"]) ? null : form["state"].ToString();
        if (form["decision"] != "grant") return Back(redirectUri, state, "access_denied", "The user denied the request.");
        var account = form["account"].ToString().Trim();
        if (account.Length is 0 or > 254 || !account.Contains('@')) return ConsentPage.Error("Which account?", "Type the account's address.", HttpStatusCode.BadRequest);
        var scopes = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var offline = profile.AsksOffline(new QueryCollection(form.ToDictionary(f => f.Key, f => f.Value)));
        var challenge = form["code_challenge"].ToString();
        var code = tokens[profile.Provider].IssueCode(new Grant(o.ClientId, account, scopes, offline), redirectUri, challenge.Length > 0 ? challenge : null,
            time.GetUtcNow().AddSeconds(o.CodeSeconds));
        return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, new Dictionary<string, string?> { ["code"] = code, ["state"] = state }));
    }

    private static async Task<IResult> TokenAsync(HttpRequest request, StandardOAuthProfile profile, SandboxTokens tokens, TimeProvider time)
    {
        if (!request.HasFormContentType) return Error(HttpStatusCode.BadRequest, "invalid_request", "The body must be application/x-www-form-urlencoded.");
        var o = profile.Options(request.HttpContext.RequestServices);
        var form = await request.ReadFormAsync();
        var (clientId, secret) = ClientOf(request, form);
        if (clientId != o.ClientId || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(o.ClientSecret), Encoding.UTF8.GetBytes(secret ?? "")))
            return Error(HttpStatusCode.Unauthorized, "invalid_client", "Client authentication failed.");
        var store = tokens[profile.Provider];
        var now = time.GetUtcNow();
        Grant grant;
        string? refresh = null;
        switch (form["grant_type"].ToString())
        {
            case "authorization_code":
                var (redeemed, problem) = store.RedeemCode(form["code"].ToString(), clientId, form["redirect_uri"].ToString(), form["code_verifier"], now);
                if (redeemed is null)
                    return Error(HttpStatusCode.BadRequest, "invalid_grant", problem switch
                    {
                        IssuedTokens.CodeProblem.RedirectMismatch => "redirect_uri does not match the authorization request.",
                        IssuedTokens.CodeProblem.VerifierMismatch => "code_verifier does not match the code_challenge.",
                        _ => "The authorization code is invalid, expired or already used.",
                    });
                grant = redeemed;
                if (grant.Offline) refresh = store.IssueRefresh(grant, profile.RefreshPrefix);
                break;
            case "refresh_token":
                var presented = form["refresh_token"].ToString();
                if (store.UseRefresh(presented, profile.RotateRefreshTokens) is not { } known)
                    return Error(HttpStatusCode.BadRequest, "invalid_grant", "The refresh token is invalid, expired or revoked.");
                grant = known;
                if (profile.RotateRefreshTokens) refresh = store.IssueRefresh(grant, profile.RefreshPrefix);
                break;
            case "":
                return Error(HttpStatusCode.BadRequest, "invalid_request", "grant_type is required.");
            default:
                return Error(HttpStatusCode.BadRequest, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token.");
        }
        var access = store.IssueAccess(grant, TimeSpan.FromSeconds(o.AccessTokenSeconds), now, profile.AccessPrefix);
        var body = new Dictionary<string, object> { ["access_token"] = access, ["token_type"] = "Bearer", ["scope"] = string.Join(' ', grant.Scopes) };
        if (profile.SendsExpiresIn) body["expires_in"] = o.AccessTokenSeconds;
        if (refresh is not null) body["refresh_token"] = refresh;
        foreach (var (key, value) in profile.ExtraTokenFields?.Invoke(request, grant, o) ?? []) body[key] = value;
        // RFC 6749 §5.1: token answers must not be cached.
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        request.HttpContext.Response.Headers.Pragma = "no-cache";
        return Results.Json(body);
    }

    private static (string? ClientId, string? Secret) ClientOf(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())).Split(':', 2);
                if (pair.Length == 2) return (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1]));
            }
            catch (FormatException) { }
        }
        return (form["client_id"].ToString(), form["client_secret"].ToString());
    }

    private static IResult Back(string redirectUri, string? state, string error, string description) =>
        Results.Redirect(QueryHelpers.AddQueryString(redirectUri, new Dictionary<string, string?> { ["error"] = error, ["error_description"] = description, ["state"] = state }));

    public static IResult Error(HttpStatusCode status, string error, string description) =>
        Results.Json(new { error, error_description = description }, statusCode: (int)status);

    /// <summary>The bearer token of a request, if any.</summary>
    public static string? BearerOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }
}
