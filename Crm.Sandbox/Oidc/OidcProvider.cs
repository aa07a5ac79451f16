using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Crm.Sandbox.Oidc;

/// <summary>
/// A minimal OpenID Connect provider (authorization code flow with PKCE), following OpenID Connect Core 1.0,
/// Discovery 1.0 and RFC 6749/7636: discovery, an authorize endpoint with a user picker, a token endpoint issuing
/// RS256-signed id tokens, JWKS, userinfo and end-session.
/// </summary>
public static class OidcProvider
{
    public static void MapOidcProvider(this IEndpointRouteBuilder app)
    {
        var oidc = app.MapGroup("/oidc");
        oidc.MapGet("/.well-known/openid-configuration", Discovery);
        oidc.MapGet("/jwks", (OidcState state) => Results.Json(new { keys = new[] { state.PublicJwk } }));
        oidc.MapGet("/authorize", Authorize);
        oidc.MapPost("/authorize/decision", DecideAsync).DisableAntiforgery();
        oidc.MapPost("/token", TokenAsync).DisableAntiforgery();
        oidc.MapGet("/userinfo", UserInfo);
        oidc.MapGet("/logout", EndSession);
    }

    private static string Issuer(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}/oidc";

    private static IResult Discovery(HttpRequest request)
    {
        var issuer = Issuer(request);
        return Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer,
            ["authorization_endpoint"] = issuer + "/authorize",
            ["token_endpoint"] = issuer + "/token",
            ["userinfo_endpoint"] = issuer + "/userinfo",
            ["jwks_uri"] = issuer + "/jwks",
            ["end_session_endpoint"] = issuer + "/logout",
            ["response_types_supported"] = new[] { "code" },
            ["response_modes_supported"] = new[] { "query", "form_post" },
            ["grant_types_supported"] = new[] { "authorization_code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["scopes_supported"] = new[] { "openid", "profile", "email" },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post" },
            ["claims_supported"] = new[] { "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "email", "email_verified", "name" },
            ["code_challenge_methods_supported"] = new[] { "S256", "plain" },
        });
    }

    private static IResult Authorize(HttpRequest request, IOptions<OidcSandboxOptions> options)
    {
        var q = request.Query;
        var client = options.Value.Clients.FirstOrDefault(c => c.ClientId == q["client_id"]);
        var redirectUri = q["redirect_uri"].ToString();
        // RFC 6749 §4.1.2.1: with an unknown client or redirect URI, tell the person, never redirect.
        if (client is null) return ErrorPage("Unknown client_id.");
        if (!RedirectAllowed(client.RedirectUris, redirectUri, options.Value.AllowAnyLoopbackPort)) return ErrorPage("redirect_uri is not registered for this client.");

        var state = q["state"].ToString();
        var responseMode = q["response_mode"].ToString();
        if (q["response_type"] != "code") return ErrorRedirect(redirectUri, "unsupported_response_type", "Only the authorization code flow is supported.", state, responseMode);
        if (!q["scope"].ToString().Split(' ').Contains("openid")) return ErrorRedirect(redirectUri, "invalid_scope", "The openid scope is required.", state, responseMode);
        var method = q["code_challenge_method"].ToString();
        if (!string.IsNullOrEmpty(q["code_challenge"]) && method is not ("" or "S256" or "plain"))
            return ErrorRedirect(redirectUri, "invalid_request", "Unsupported code_challenge_method.", state, responseMode);

        var hidden = new StringBuilder();
        foreach (var name in new[] { "client_id", "redirect_uri", "state", "nonce", "code_challenge", "code_challenge_method", "scope", "response_mode" })
            hidden.Append($"<input type=\"hidden\" name=\"{name}\" value=\"{Html(q[name])}\">");
        var people = new StringBuilder();
        foreach (var user in options.Value.Users)
            people.Append($"<button type=\"submit\" name=\"subject\" value=\"{Html(user.Subject)}\" data-subject=\"{Html(user.Subject)}\" data-email=\"{Html(user.Email)}\">{Html(user.Name)} <small>{Html(user.Email)}{(user.EmailVerified ? "" : " (not verified)")}</small></button>");

        return Results.Content($$"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sandbox sign-in</title>
            <style>body{font-family:system-ui,sans-serif;background:#f4f4f8;display:flex;justify-content:center;padding-top:10vh}
            main{background:#fff;padding:2rem;border-radius:8px;box-shadow:0 2px 10px #0002;width:min(420px,92vw)}
            button{display:block;width:100%;text-align:left;margin:.4rem 0;padding:.7rem;border:1px solid #ccc;border-radius:4px;background:#fafafa;cursor:pointer}
            small{color:#666;display:block}input[type=email]{width:100%;padding:.6rem;box-sizing:border-box}</style></head>
            <body><main><h1>Sandbox identity provider</h1><p>Sign in to <b>{{Html(client.ClientId)}}</b> as:</p>
            <form method="post" action="{{request.PathBase}}/oidc/authorize/decision">{{hidden}}{{people}}
            <p>or another email:</p><input type="email" name="other_email" id="other-email" placeholder="someone@example.com">
            <button type="submit" name="email" value="" id="use-other">Continue with this email</button>
            <button type="submit" name="deny" value="1" id="deny">Cancel</button></form></main></body></html>
            """, "text/html; charset=utf-8");
    }

    private static async Task<IResult> DecideAsync(HttpRequest request, IOptions<OidcSandboxOptions> options, OidcState state, TimeProvider time)
    {
        var form = await request.ReadFormAsync();
        var client = options.Value.Clients.FirstOrDefault(c => c.ClientId == form["client_id"]);
        var redirectUri = form["redirect_uri"].ToString();
        if (client is null || !RedirectAllowed(client.RedirectUris, redirectUri, options.Value.AllowAnyLoopbackPort)) return ErrorPage("Invalid client or redirect_uri.");
        var responseMode = form["response_mode"].ToString();
        var stateValue = form["state"].ToString();
        if (form["deny"] == "1") return ErrorRedirect(redirectUri, "access_denied", "The user cancelled the sign-in.", stateValue, responseMode);

        // A listed person by their subject (two may share an address, one of them unverified), or a typed address.
        var listed = options.Value.Users.FirstOrDefault(u => u.Subject == form["subject"].ToString());
        var email = (listed?.Email ?? (string.IsNullOrWhiteSpace(form["email"]) ? form["other_email"].ToString() : form["email"].ToString())).Trim();
        if (email.Length == 0) return ErrorPage("Choose a person or type an email.");
        var user = listed ?? options.Value.Users.FirstOrDefault(u => string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase) && u.EmailVerified)
                   ?? new OidcUser { Subject = "sandbox-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email.ToLowerInvariant())))[..16], Email = email, Name = email };

        var now = time.GetUtcNow();
        var code = OidcState.NewSecret();
        state.Codes[code] = new AuthorizationCode(client.ClientId, redirectUri, NullIfEmpty(form["nonce"]), NullIfEmpty(form["code_challenge"]),
            string.IsNullOrEmpty(form["code_challenge_method"]) ? "plain" : form["code_challenge_method"].ToString(),
            user, form["scope"].ToString(), now.AddSeconds(options.Value.CodeLifetimeSeconds));

        var parameters = new Dictionary<string, string?> { ["code"] = code, ["state"] = NullIfEmpty(stateValue), ["iss"] = Issuer(request) };
        return Respond(redirectUri, parameters, responseMode);
    }

    private static async Task<IResult> TokenAsync(HttpRequest request, IOptions<OidcSandboxOptions> options, OidcState state, TimeProvider time)
    {
        var form = await request.ReadFormAsync();
        var (clientId, clientSecret) = ClientCredentials(request, form);
        var client = options.Value.Clients.FirstOrDefault(c => c.ClientId == clientId);
        if (client is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(client.ClientSecret), Encoding.UTF8.GetBytes(clientSecret ?? "")))
            return TokenError("invalid_client", "Client authentication failed.", StatusCodes.Status401Unauthorized);
        if (form["grant_type"] != "authorization_code") return TokenError("unsupported_grant_type", "Only authorization_code is supported.");
        if (!state.Codes.TryRemove(form["code"].ToString(), out var code)) return TokenError("invalid_grant", "The code is unknown or was already used.");

        var now = time.GetUtcNow();
        if (code.ExpiresAt < now) return TokenError("invalid_grant", "The code has expired.");
        if (code.ClientId != client.ClientId) return TokenError("invalid_grant", "The code was issued to another client.");
        if (code.RedirectUri != form["redirect_uri"]) return TokenError("invalid_grant", "redirect_uri does not match the authorization request.");
        if (code.CodeChallenge is not null && !PkceMatches(code, form["code_verifier"].ToString())) return TokenError("invalid_grant", "PKCE verification failed.");

        var issuer = Issuer(request);
        var claims = new List<Claim>
        {
            new("sub", code.User.Subject), new("email", code.User.Email), new("email_verified", code.User.EmailVerified ? "true" : "false", ClaimValueTypes.Boolean),
            new("name", code.User.Name), new("auth_time", now.ToUnixTimeSeconds().ToString(), ClaimValueTypes.Integer64),
        };
        if (code.Nonce is not null) claims.Add(new Claim("nonce", code.Nonce));
        var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = client.ClientId,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.AddSeconds(options.Value.IdTokenLifetimeSeconds).UtcDateTime,
            SigningCredentials = new SigningCredentials(state.SigningKey, SecurityAlgorithms.RsaSha256),
        });
        var accessToken = OidcState.NewSecret();
        state.AccessTokens[accessToken] = new AccessToken(code.User, client.ClientId, now.AddHours(1));

        request.HttpContext.Response.Headers.CacheControl = "no-store";
        request.HttpContext.Response.Headers.Pragma = "no-cache";
        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = accessToken, ["token_type"] = "Bearer", ["expires_in"] = 3600, ["id_token"] = idToken, ["scope"] = code.Scope,
        });
    }

    private static IResult UserInfo(HttpRequest request, OidcState state, TimeProvider time)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || !state.AccessTokens.TryGetValue(header[7..].Trim(), out var token)
            || token.ExpiresAt < time.GetUtcNow())
        {
            request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }
        return Results.Json(new { sub = token.User.Subject, email = token.User.Email, email_verified = token.User.EmailVerified, name = token.User.Name });
    }

    private static IResult EndSession(HttpRequest request, IOptions<OidcSandboxOptions> options)
    {
        var target = request.Query["post_logout_redirect_uri"].ToString();
        var allowed = options.Value.Clients.Any(c => RedirectAllowed(c.PostLogoutRedirectUris, target, options.Value.AllowAnyLoopbackPort));
        return allowed
            ? Results.Redirect(QueryHelpers(target, new Dictionary<string, string?> { ["state"] = NullIfEmpty(request.Query["state"]) }))
            : Results.Content("<!DOCTYPE html><p>You are signed out of the sandbox.</p>", "text/html; charset=utf-8");
    }

    private static (string? Id, string? Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = decoded.IndexOf(':');
                // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
                if (colon > 0) return (WebUtility.UrlDecode(decoded[..colon]), WebUtility.UrlDecode(decoded[(colon + 1)..]));
            }
            catch (FormatException)
            {
                return (null, null);
            }
        }
        return (form["client_id"], form["client_secret"]);
    }

    private static bool PkceMatches(AuthorizationCode code, string verifier)
    {
        if (verifier.Length is < 43 or > 128) return false;
        var expected = code.CodeChallengeMethod == "S256"
            ? Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))
            : verifier;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(code.CodeChallenge!));
    }

    private static bool RedirectAllowed(IEnumerable<string> registered, string candidate, bool anyLoopbackPort)
    {
        if (!Uri.TryCreate(candidate, UriKind.Absolute, out var uri) || uri.Fragment.Length > 0) return false;
        foreach (var entry in registered)
        {
            if (entry == candidate) return true;
            if (anyLoopbackPort && uri.IsLoopback && Uri.TryCreate(entry, UriKind.Absolute, out var known) && known.IsLoopback
                && known.Scheme == uri.Scheme && known.AbsolutePath == uri.AbsolutePath)
                return true;
        }
        return false;
    }

    private static IResult Respond(string redirectUri, Dictionary<string, string?> parameters, string responseMode)
    {
        if (responseMode != "form_post") return Results.Redirect(QueryHelpers(redirectUri, parameters));
        var fields = string.Concat(parameters.Where(p => p.Value is not null).Select(p => $"<input type=\"hidden\" name=\"{Html(p.Key)}\" value=\"{Html(p.Value)}\">"));
        return Results.Content($"<!DOCTYPE html><html><body onload=\"document.forms[0].submit()\"><form method=\"post\" action=\"{Html(redirectUri)}\">{fields}<noscript><button>Continue</button></noscript></form></body></html>",
            "text/html; charset=utf-8");
    }

    private static IResult ErrorRedirect(string redirectUri, string error, string description, string state, string responseMode) =>
        Respond(redirectUri, new Dictionary<string, string?> { ["error"] = error, ["error_description"] = description, ["state"] = NullIfEmpty(state) }, responseMode);

    private static IResult ErrorPage(string message) =>
        Results.Content($"<!DOCTYPE html><html><body><h1>Sign-in error</h1><p id=\"error\">{Html(message)}</p></body></html>", "text/html; charset=utf-8", statusCode: 400);

    private static IResult TokenError(string error, string description, int status = StatusCodes.Status400BadRequest) =>
        Results.Json(new { error, error_description = description }, statusCode: status);

    private static string QueryHelpers(string uri, Dictionary<string, string?> parameters) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(uri, parameters.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value));

    private static string Html(string? value) => HtmlEncoder.Default.Encode(value ?? "");

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
