using System.Text.Json.Serialization;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Graph;
using Crm.Core.Integrations.OAuth;
using Crm.Infrastructure.Integrations.OAuth;
using Microsoft.AspNetCore.WebUtilities;

namespace Crm.Infrastructure.Integrations.Graph;

/// <summary>
/// The Microsoft identity platform v2.0 (authorize and token endpoints of the configured tenant) and Graph's <c>/me</c>
/// for the user principal name. Microsoft rotates refresh tokens: each refresh answers with a new one, stored at once.
/// It has no revoke endpoint for a single app's grant: disconnect deletes the tokens and says where to remove the app.
/// </summary>
public sealed class MicrosoftOAuthClient(HttpClient http, MicrosoftAppSettings settings) : IOAuthProvider
{
    public string Provider => IntegrationProviders.Microsoft;

    public bool IsConfigured => !string.IsNullOrEmpty(settings.ClientId) && !string.IsNullOrEmpty(settings.ClientSecret);

    public string AuthorizeUrl(OAuthStart start, string redirectUri, IntegrationType type) =>
        QueryHelpers.AddQueryString(settings.AuthorizeUrl, new Dictionary<string, string?>
        {
            ["client_id"] = settings.ClientId, ["response_type"] = "code", ["redirect_uri"] = redirectUri, ["response_mode"] = "query",
            ["scope"] = type == IntegrationType.Calendar ? settings.CalendarScopes : settings.MailScopes, ["state"] = start.State,
            ["code_challenge"] = start.CodeChallenge, ["code_challenge_method"] = start.CodeChallengeMethod, ["prompt"] = "select_account",
        });

    public Task<OAuthTokens> ExchangeCodeAsync(string code, string redirectUri, string codeVerifier, CancellationToken ct) =>
        OAuthResponses.RedeemCodeAsync(http, Provider, settings.TokenUrl, settings.ClientId, settings.ClientSecret, code, redirectUri, codeVerifier, ct);

    public Task<OAuthTokens> RefreshAsync(string refreshToken, CancellationToken ct) =>
        OAuthResponses.RefreshAsync(http, Provider, settings.TokenUrl, settings.ClientId, settings.ClientSecret, refreshToken, ct);

    public async Task<ConnectedAccount> WhoAmIAsync(OAuthTokens tokens, CancellationToken ct)
    {
        using var response = await OAuthResponses.SendAsync(http, Provider, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, settings.GraphBaseUrl.TrimEnd('/') + "/me?$select=id,userPrincipalName,mail,displayName");
            request.Headers.Authorization = new("Bearer", tokens.AccessToken);
            return request;
        }, ct);
        var me = await OAuthResponses.ReadAsync<Me>(response, Provider, ct);
        if (string.IsNullOrEmpty(me.Id) || string.IsNullOrEmpty(me.UserPrincipalName))
            throw new OAuthProviderException(Provider, (int)response.StatusCode, null, "Microsoft Graph did not say which account this is.");
        return new ConnectedAccount(me.Id, me.UserPrincipalName);
    }

    public Task<bool> RevokeAsync(ConnectionSecrets secrets, CancellationToken ct) => Task.FromResult(false);

    private sealed record Me([property: JsonPropertyName("id")] string? Id, [property: JsonPropertyName("userPrincipalName")] string? UserPrincipalName,
        [property: JsonPropertyName("mail")] string? Mail, [property: JsonPropertyName("displayName")] string? DisplayName);
}
