using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Crm.Core.Integrations.OAuth;

namespace Crm.Infrastructure.Integrations.OAuth;

/// <summary>
/// Reading OAuth 2.0 answers (RFC 6749 §5): the token response, and the error response (<c>error</c>,
/// <c>error_description</c>) turned into <see cref="OAuthProviderException"/> — whose message never holds what was sent.
/// </summary>
public static class OAuthResponses
{
    public sealed record Token(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("expires_in")] JsonElement? ExpiresIn,
        [property: JsonPropertyName("scope")] string? Scope,
        [property: JsonPropertyName("scopes")] List<string>? ScopeList,
        [property: JsonPropertyName("instance_url")] string? InstanceUrl,
        [property: JsonPropertyName("id")] string? Id);

    private sealed record Error(
        [property: JsonPropertyName("error")] string? Code, [property: JsonPropertyName("error_description")] string? Description,
        [property: JsonPropertyName("status")] string? Status, [property: JsonPropertyName("message")] string? Message);

    /// <summary>The authorization code grant with its PKCE verifier (RFC 6749 §4.1.3, RFC 7636 §4.5), client secret in the form.</summary>
    public static Task<OAuthTokens> RedeemCodeAsync(HttpClient http, string provider, string url, string? clientId, string? clientSecret,
        string code, string redirectUri, string codeVerifier, CancellationToken ct) =>
        PostTokenAsync(http, provider, url, new()
        {
            ["grant_type"] = "authorization_code", ["client_id"] = clientId ?? "", ["client_secret"] = clientSecret ?? "",
            ["redirect_uri"] = redirectUri, ["code"] = code, ["code_verifier"] = codeVerifier,
        }, ct);

    /// <summary>The refresh token grant (RFC 6749 §6).</summary>
    public static Task<OAuthTokens> RefreshAsync(HttpClient http, string provider, string url, string? clientId, string? clientSecret, string refreshToken, CancellationToken ct) =>
        PostTokenAsync(http, provider, url, new()
        {
            ["grant_type"] = "refresh_token", ["client_id"] = clientId ?? "", ["client_secret"] = clientSecret ?? "", ["refresh_token"] = refreshToken,
        }, ct);

    /// <summary>Posts a form to a token endpoint; a network failure is a transient <see cref="OAuthProviderException"/> too.</summary>
    public static async Task<OAuthTokens> PostTokenAsync(HttpClient http, string provider, string url, Dictionary<string, string> form, CancellationToken ct)
    {
        using var response = await SendAsync(http, provider, () => new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) }, ct);
        var token = await ReadAsync<Token>(response, provider, ct);
        if (string.IsNullOrEmpty(token.AccessToken)) throw new OAuthProviderException(provider, (int)response.StatusCode, null, $"{Names.Of(provider)} sent no access token.");
        int? expires = token.ExpiresIn is { } e ? e.ValueKind == JsonValueKind.Number ? e.GetInt32() : int.TryParse(e.GetString(), out var s) ? s : null : null;
        var scopes = token.ScopeList ?? (token.Scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        return new OAuthTokens(token.AccessToken, string.IsNullOrEmpty(token.RefreshToken) ? null : token.RefreshToken, expires, scopes, token.InstanceUrl);
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, string provider, Func<HttpRequestMessage> request, CancellationToken ct)
    {
        try
        {
            using var message = request();
            return await http.SendAsync(message, ct);
        }
        catch (HttpRequestException e)
        {
            throw new OAuthProviderException(provider, 0, null, $"{Names.Of(provider)} could not be reached ({e.HttpRequestError}).");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new OAuthProviderException(provider, 0, null, $"{Names.Of(provider)} did not answer in time.");
        }
    }

    /// <summary>The body as <typeparamref name="T"/>, or the provider's error (status and its error name) as an exception.</summary>
    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, string provider, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            try
            {
                return await response.Content.ReadFromJsonAsync<T>(ct) ?? throw new OAuthProviderException(provider, (int)response.StatusCode, null, $"{Names.Of(provider)} answered with an empty body.");
            }
            catch (JsonException)
            {
                throw new OAuthProviderException(provider, (int)response.StatusCode, null, $"{Names.Of(provider)} answered with something that is not JSON.");
            }
        }
        throw await ErrorOfAsync(response, provider, ct);
    }

    public static async Task<OAuthProviderException> ErrorOfAsync(HttpResponseMessage response, string provider, CancellationToken ct)
    {
        string? code = null, text = null;
        try
        {
            var body = await response.Content.ReadFromJsonAsync<Error>(ct);
            (code, text) = (body?.Code ?? body?.Status, body?.Description ?? body?.Message);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException) { }
        // Only the provider's own words, and only the first 300 characters of them.
        if (text is { Length: > 300 }) text = text[..300] + "…";
        return new OAuthProviderException(provider, (int)response.StatusCode, code,
            $"{Names.Of(provider)} refused the request ({(int)response.StatusCode}{(code is null ? "" : " " + code)}): {text ?? "no details"}");
    }

    private static class Names
    {
        public static string Of(string provider) => provider switch
        {
            "hubspot" => "HubSpot", "google" => "Google", "microsoft" => "Microsoft", "salesforce" => "Salesforce", _ => provider,
        };
    }
}
