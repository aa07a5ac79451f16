using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Crm.Core.Integrations.HubSpot;
using Crm.Core.Integrations.Webhooks;

namespace Crm.Infrastructure.Integrations.HubSpot;

/// <summary>HubSpot's OAuth v1 endpoints over a typed HttpClient (its base address is the configured API, the sandbox in development).</summary>
public sealed class HubSpotAuthClient(HttpClient http, HubSpotAppSettings settings) : IHubSpotAuth
{
    public async Task<HubSpotTokens> ExchangeCodeAsync(string code, string redirectUri, string codeVerifier, CancellationToken ct)
    {
        using var response = await http.PostAsync("oauth/v1/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = settings.ClientId ?? "", ["client_secret"] = settings.ClientSecret ?? "",
            ["redirect_uri"] = redirectUri, ["code"] = code, ["code_verifier"] = codeVerifier,
        }), ct);
        var token = await ReadAsync<TokenResponse>(response, ct);
        return new HubSpotTokens(token.AccessToken, token.RefreshToken, token.ExpiresIn, token.HubId, token.Scopes ?? []);
    }

    public async Task<HubSpotTokenInfo> TokenInfoAsync(string accessToken, CancellationToken ct)
    {
        using var response = await http.GetAsync("oauth/v1/access-tokens/" + Uri.EscapeDataString(accessToken), ct);
        var info = await ReadAsync<TokenInfoResponse>(response, ct);
        return new HubSpotTokenInfo(info.HubId, info.HubDomain ?? "", info.User ?? "", info.UserId, info.Scopes ?? []);
    }

    public async Task RevokeRefreshTokenAsync(string refreshToken, CancellationToken ct)
    {
        using var response = await http.DeleteAsync("oauth/v1/refresh-tokens/" + Uri.EscapeDataString(refreshToken), ct);
        if (response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.NotFound) return;
        await ReadAsync<ErrorResponse>(response, ct);
    }

    /// <summary>The body as <typeparamref name="T"/>, or HubSpot's error (status and message) as an exception — never the request's secrets.</summary>
    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
            return await response.Content.ReadFromJsonAsync<T>(ct) ?? throw new HubSpotAuthException((int)response.StatusCode, null, "HubSpot answered with an empty body.");
        string? error = null, message = null;
        try
        {
            var body = await response.Content.ReadFromJsonAsync<ErrorResponse>(ct);
            (error, message) = (body?.Status, body?.Message);
        }
        catch (JsonException) { }
        throw new HubSpotAuthException((int)response.StatusCode, error, $"HubSpot refused the request ({(int)response.StatusCode}{(error is null ? "" : " " + error)}): {message ?? "no details"}");
    }

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken, [property: JsonPropertyName("refresh_token")] string RefreshToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn, [property: JsonPropertyName("hub_id")] long? HubId,
        [property: JsonPropertyName("scopes")] List<string>? Scopes);

    private sealed record TokenInfoResponse(
        [property: JsonPropertyName("hub_id")] long HubId, [property: JsonPropertyName("hub_domain")] string? HubDomain,
        [property: JsonPropertyName("user")] string? User, [property: JsonPropertyName("user_id")] long? UserId,
        [property: JsonPropertyName("scopes")] List<string>? Scopes);

    private sealed record ErrorResponse([property: JsonPropertyName("status")] string? Status, [property: JsonPropertyName("message")] string? Message);
}
