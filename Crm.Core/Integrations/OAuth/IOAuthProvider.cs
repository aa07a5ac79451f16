using Crm.Core.Integrations.Connections;

namespace Crm.Core.Integrations.OAuth;

/// <summary>Tokens a provider issued. Never logged: <see cref="ToString"/> names no token.</summary>
/// <param name="RefreshToken">Null when the provider sent none (a refresh that does not rotate keeps the old one).</param>
/// <param name="ExpiresInSeconds">Null when the provider does not say (Salesforce): the token is used until a 401.</param>
/// <param name="InstanceUrl">Where the account's API lives, when it varies (Salesforce).</param>
public sealed record OAuthTokens(string AccessToken, string? RefreshToken, int? ExpiresInSeconds, IReadOnlyList<string> Scopes, string? InstanceUrl = null)
{
    public override string ToString() => $"OAuthTokens {{ expires in {ExpiresInSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} s, refresh token {(RefreshToken is null ? "none" : "present")} }}";
}

/// <summary>The account a token belongs to, as the provider's "who am I" call names it.</summary>
/// <param name="Id">The provider's id of it (HubSpot portal, Salesforce org, Google subject, Microsoft object id): webhooks find the connection by it.</param>
public sealed record ConnectedAccount(string Id, string Name, string? InstanceUrl = null);

/// <summary>
/// A provider refused or failed an OAuth request: its status and its own error name. <see cref="GrantRejected"/> means
/// the grant itself is gone (revoked consent, expired or rotated-out refresh token): only a person reconnecting fixes it.
/// </summary>
public sealed class OAuthProviderException(string provider, int statusCode, string? error, string message) : Exception(message)
{
    public string Provider { get; } = provider;
    /// <summary>0 when the provider could not be reached.</summary>
    public int StatusCode { get; } = statusCode;
    public string? Error { get; } = error;

    public bool GrantRejected => Error is "invalid_grant" or "BAD_REFRESH_TOKEN" or "unauthorized_client" or "invalid_client_id";
    public bool Transient => StatusCode is 0 or 408 or 429 or >= 500;
}

/// <summary>
/// One provider's OAuth 2.0 endpoints (authorization code with PKCE, refresh, revoke) and its "who am I" call. Keyed
/// by the provider's short name (<see cref="IntegrationProviders"/>).
/// </summary>
public interface IOAuthProvider
{
    string Provider { get; }

    /// <summary>The app's client id and secret are configured.</summary>
    bool IsConfigured { get; }

    /// <summary>The provider's consent page for this attempt, asking for the scopes <paramref name="type"/> needs.</summary>
    string AuthorizeUrl(OAuthStart start, string redirectUri, IntegrationType type);

    Task<OAuthTokens> ExchangeCodeAsync(string code, string redirectUri, string codeVerifier, CancellationToken ct);

    Task<OAuthTokens> RefreshAsync(string refreshToken, CancellationToken ct);

    Task<ConnectedAccount> WhoAmIAsync(OAuthTokens tokens, CancellationToken ct);

    /// <summary>Revokes the grant; false when the provider has no revoke endpoint (Microsoft). One it no longer knows is fine.</summary>
    Task<bool> RevokeAsync(ConnectionSecrets secrets, CancellationToken ct);
}
