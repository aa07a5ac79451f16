using System.Text.Json.Serialization;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.OAuth;
using Crm.Core.Integrations.Salesforce;
using Crm.Infrastructure.Integrations.OAuth;
using Microsoft.AspNetCore.WebUtilities;

namespace Crm.Infrastructure.Integrations.Salesforce;

/// <summary>
/// Salesforce's web server flow (/services/oauth2/authorize, token, revoke, userinfo on the login host). The token
/// answer names the org's <c>instance_url</c>, where every API call goes; it has no <c>expires_in</c>, so a session is
/// used until Salesforce answers 401 and then refreshed.
/// </summary>
public sealed class SalesforceOAuthClient(HttpClient http, SalesforceAppSettings settings) : IOAuthProvider
{
    public string Provider => IntegrationProviders.Salesforce;

    public bool IsConfigured => !string.IsNullOrEmpty(settings.ClientId) && !string.IsNullOrEmpty(settings.ClientSecret);

    private string Url(string path) => settings.LoginUrl.TrimEnd('/') + path;

    public string AuthorizeUrl(OAuthStart start, string redirectUri, IntegrationType type) =>
        QueryHelpers.AddQueryString(Url("/services/oauth2/authorize"), new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = settings.ClientId, ["redirect_uri"] = redirectUri, ["scope"] = settings.Scopes,
            ["state"] = start.State, ["code_challenge"] = start.CodeChallenge, ["code_challenge_method"] = start.CodeChallengeMethod,
        });

    public Task<OAuthTokens> ExchangeCodeAsync(string code, string redirectUri, string codeVerifier, CancellationToken ct) =>
        OAuthResponses.RedeemCodeAsync(http, Provider, Url("/services/oauth2/token"), settings.ClientId, settings.ClientSecret, code, redirectUri, codeVerifier, ct);

    public Task<OAuthTokens> RefreshAsync(string refreshToken, CancellationToken ct) =>
        OAuthResponses.RefreshAsync(http, Provider, Url("/services/oauth2/token"), settings.ClientId, settings.ClientSecret, refreshToken, ct);

    public async Task<ConnectedAccount> WhoAmIAsync(OAuthTokens tokens, CancellationToken ct)
    {
        using var response = await OAuthResponses.SendAsync(http, Provider, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, Url("/services/oauth2/userinfo"));
            request.Headers.Authorization = new("Bearer", tokens.AccessToken);
            return request;
        }, ct);
        var me = await OAuthResponses.ReadAsync<UserInfo>(response, Provider, ct);
        if (string.IsNullOrEmpty(me.OrganizationId))
            throw new OAuthProviderException(Provider, (int)response.StatusCode, null, "Salesforce did not say which org this is.");
        var instance = tokens.InstanceUrl ?? me.Urls?.Custom ?? "";
        return new ConnectedAccount(me.OrganizationId, $"org {me.OrganizationId} at {instance}, connected by {me.PreferredUsername ?? me.Email}", tokens.InstanceUrl);
    }

    public async Task<bool> RevokeAsync(ConnectionSecrets secrets, CancellationToken ct)
    {
        var token = secrets.RefreshToken ?? secrets.AccessToken;
        if (string.IsNullOrEmpty(token)) return true;
        using var response = await OAuthResponses.SendAsync(http, Provider, () => new HttpRequestMessage(HttpMethod.Post, Url("/services/oauth2/revoke"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }),
        }, ct);
        if (response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.BadRequest) return true;
        throw await OAuthResponses.ErrorOfAsync(response, Provider, ct);
    }

    private sealed record UserInfo(
        [property: JsonPropertyName("organization_id")] string? OrganizationId, [property: JsonPropertyName("preferred_username")] string? PreferredUsername,
        [property: JsonPropertyName("email")] string? Email, [property: JsonPropertyName("urls")] Urls? Urls);

    private sealed record Urls([property: JsonPropertyName("custom_domain")] string? Custom);
}
