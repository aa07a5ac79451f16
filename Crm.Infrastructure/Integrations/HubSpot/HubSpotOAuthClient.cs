using System.Globalization;
using System.Text.Json.Serialization;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.OAuth;
using Crm.Core.Integrations.Webhooks;
using Crm.Infrastructure.Integrations.OAuth;
using Microsoft.AspNetCore.WebUtilities;

namespace Crm.Infrastructure.Integrations.HubSpot;

/// <summary>
/// HubSpot's OAuth v1 (install page, /oauth/v1/token, token metadata, refresh-token revoke) over a typed HttpClient whose
/// base address is the configured API (the sandbox in development). HubSpot's refresh tokens do not rotate.
/// </summary>
public sealed class HubSpotOAuthClient(HttpClient http, HubSpotAppSettings settings) : IOAuthProvider
{
    public string Provider => IntegrationProviders.HubSpot;

    public bool IsConfigured => !string.IsNullOrEmpty(settings.ClientId) && !string.IsNullOrEmpty(settings.ClientSecret);

    public string AuthorizeUrl(OAuthStart start, string redirectUri, IntegrationType type) =>
        QueryHelpers.AddQueryString(settings.AuthorizeUrl, new Dictionary<string, string?>
        {
            ["client_id"] = settings.ClientId, ["redirect_uri"] = redirectUri, ["scope"] = settings.Scopes, ["state"] = start.State,
            ["code_challenge"] = start.CodeChallenge, ["code_challenge_method"] = start.CodeChallengeMethod,
        });

    public Task<OAuthTokens> ExchangeCodeAsync(string code, string redirectUri, string codeVerifier, CancellationToken ct) =>
        OAuthResponses.RedeemCodeAsync(http, Provider, "oauth/v1/token", settings.ClientId, settings.ClientSecret, code, redirectUri, codeVerifier, ct);

    public Task<OAuthTokens> RefreshAsync(string refreshToken, CancellationToken ct) =>
        OAuthResponses.RefreshAsync(http, Provider, "oauth/v1/token", settings.ClientId, settings.ClientSecret, refreshToken, ct);

    /// <summary>The token's metadata: the portal (hub) and the user who installed the app.</summary>
    public async Task<ConnectedAccount> WhoAmIAsync(OAuthTokens tokens, CancellationToken ct)
    {
        using var response = await OAuthResponses.SendAsync(http, Provider, () => new HttpRequestMessage(HttpMethod.Get, "oauth/v1/access-tokens/" + Uri.EscapeDataString(tokens.AccessToken)), ct);
        var info = await OAuthResponses.ReadAsync<TokenInfo>(response, Provider, ct);
        return new ConnectedAccount(info.HubId.ToString(CultureInfo.InvariantCulture), $"{info.HubDomain} (portal {info.HubId}), connected by {info.User}");
    }

    public async Task<bool> RevokeAsync(ConnectionSecrets secrets, CancellationToken ct)
    {
        if (secrets.RefreshToken is not { Length: > 0 } refresh) return true;
        using var response = await OAuthResponses.SendAsync(http, Provider, () => new HttpRequestMessage(HttpMethod.Delete, "oauth/v1/refresh-tokens/" + Uri.EscapeDataString(refresh)), ct);
        if (response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.NotFound) return true;
        throw await OAuthResponses.ErrorOfAsync(response, Provider, ct);
    }

    private sealed record TokenInfo(
        [property: JsonPropertyName("hub_id")] long HubId, [property: JsonPropertyName("hub_domain")] string? HubDomain,
        [property: JsonPropertyName("user")] string? User, [property: JsonPropertyName("user_id")] long? UserId);
}
