namespace Crm.Core.Integrations.HubSpot;

/// <summary>Tokens HubSpot issued for a portal.</summary>
public sealed record HubSpotTokens(string AccessToken, string RefreshToken, int ExpiresInSeconds, long? HubId, IReadOnlyList<string> Scopes)
{
    public override string ToString() => $"HubSpotTokens {{ hub {HubId}, expires in {ExpiresInSeconds} s }}";
}

/// <summary>Who a token belongs to: the portal (hub) and the user who installed the app.</summary>
public sealed record HubSpotTokenInfo(long HubId, string HubDomain, string User, long? UserId, IReadOnlyList<string> Scopes);

/// <summary>HubSpot refused or failed a request: its status code and its own error name and message.</summary>
public sealed class HubSpotAuthException(int statusCode, string? error, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
    /// <summary>HubSpot's status name (BAD_AUTH_CODE, BAD_REFRESH_TOKEN, …), when it gave one.</summary>
    public string? Error { get; } = error;
}

/// <summary>HubSpot's OAuth endpoints: the code exchange and the token's "who am I".</summary>
public interface IHubSpotAuth
{
    Task<HubSpotTokens> ExchangeCodeAsync(string code, string redirectUri, string codeVerifier, CancellationToken ct);

    Task<HubSpotTokenInfo> TokenInfoAsync(string accessToken, CancellationToken ct);

    /// <summary>Revokes the refresh token (and with it the app's access to the portal); one HubSpot no longer knows is fine.</summary>
    Task RevokeRefreshTokenAsync(string refreshToken, CancellationToken ct);
}
