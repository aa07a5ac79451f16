using System.Text.Json.Serialization;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Google;
using Crm.Core.Integrations.OAuth;
using Crm.Infrastructure.Integrations.OAuth;
using Microsoft.AspNetCore.WebUtilities;

namespace Crm.Infrastructure.Integrations.Google;

/// <summary>
/// Google's OAuth 2.0 for web server apps: the consent page with <c>access_type=offline</c> and <c>prompt=consent</c> (so
/// a refresh token comes back on every connect), the token endpoint, revoke, and OpenID Connect userinfo for the address.
/// </summary>
public sealed class GoogleOAuthClient(HttpClient http, GoogleAppSettings settings) : IOAuthProvider
{
    public string Provider => IntegrationProviders.Google;

    public bool IsConfigured => !string.IsNullOrEmpty(settings.ClientId) && !string.IsNullOrEmpty(settings.ClientSecret);

    public string AuthorizeUrl(OAuthStart start, string redirectUri, IntegrationType type) =>
        QueryHelpers.AddQueryString(settings.AuthorizeUrl, new Dictionary<string, string?>
        {
            ["client_id"] = settings.ClientId, ["redirect_uri"] = redirectUri, ["response_type"] = "code",
            ["scope"] = type == IntegrationType.Calendar ? settings.CalendarScopes : settings.MailScopes,
            ["access_type"] = "offline", ["prompt"] = "consent", ["include_granted_scopes"] = "true", ["state"] = start.State,
            ["code_challenge"] = start.CodeChallenge, ["code_challenge_method"] = start.CodeChallengeMethod,
        });

    public Task<OAuthTokens> ExchangeCodeAsync(string code, string redirectUri, string codeVerifier, CancellationToken ct) =>
        OAuthResponses.RedeemCodeAsync(http, Provider, settings.TokenUrl, settings.ClientId, settings.ClientSecret, code, redirectUri, codeVerifier, ct);

    public Task<OAuthTokens> RefreshAsync(string refreshToken, CancellationToken ct) =>
        OAuthResponses.RefreshAsync(http, Provider, settings.TokenUrl, settings.ClientId, settings.ClientSecret, refreshToken, ct);

    public async Task<ConnectedAccount> WhoAmIAsync(OAuthTokens tokens, CancellationToken ct)
    {
        using var response = await OAuthResponses.SendAsync(http, Provider, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, settings.UserInfoUrl);
            request.Headers.Authorization = new("Bearer", tokens.AccessToken);
            return request;
        }, ct);
        var me = await OAuthResponses.ReadAsync<UserInfo>(response, Provider, ct);
        if (string.IsNullOrEmpty(me.Subject) || string.IsNullOrEmpty(me.Email))
            throw new OAuthProviderException(Provider, (int)response.StatusCode, null, "Google did not say which account this is (no subject or email).");
        return new ConnectedAccount(me.Subject, me.Email);
    }

    /// <summary>Revoking the refresh token revokes the whole grant (its access tokens too).</summary>
    public async Task<bool> RevokeAsync(ConnectionSecrets secrets, CancellationToken ct)
    {
        var token = secrets.RefreshToken ?? secrets.AccessToken;
        if (string.IsNullOrEmpty(token)) return true;
        using var response = await OAuthResponses.SendAsync(http, Provider, () => new HttpRequestMessage(HttpMethod.Post, settings.RevokeUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }),
        }, ct);
        // 400 invalid_token: Google no longer knows it (already revoked or expired) — the outcome wanted.
        if (response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.BadRequest) return true;
        throw await OAuthResponses.ErrorOfAsync(response, Provider, ct);
    }

    private sealed record UserInfo([property: JsonPropertyName("sub")] string? Subject, [property: JsonPropertyName("email")] string? Email,
        [property: JsonPropertyName("name")] string? Name);
}
