namespace Crm.Core.Integrations.Tokens;

/// <summary>Which connection a provider call is made for (the workspace is named so that background code needs no request).</summary>
public readonly record struct ConnectionRef(long WorkspaceId, long IntegrationId, string Provider);

/// <summary>The connection's grant is gone (revoked, expired, rotated out): it is marked <c>needs_reconnect</c> and its jobs wait.</summary>
public sealed class ReconnectRequiredException(ConnectionRef connection, string message) : Exception(message)
{
    public ConnectionRef Connection { get; } = connection;
}

/// <summary>
/// A connection's access token, refreshed when it is about to expire or was refused. Refresh is single-flight per
/// connection, also across app instances: however many callers find the token expired, the provider sees one refresh
/// request, and a rotated refresh token is never sent twice.
/// </summary>
public interface IAccessTokens
{
    /// <summary>How early a token is refreshed before it expires, on use.</summary>
    static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(1);

    /// <summary>The token to call with: the stored one, or a fresh one when it expires within <see cref="RefreshMargin"/>.</summary>
    /// <exception cref="ReconnectRequiredException">The provider refused the refresh token.</exception>
    Task<string> GetAsync(ConnectionRef connection, CancellationToken ct = default);

    /// <summary>A 401 answered <paramref name="refused"/>: refreshes once, unless another caller already has.</summary>
    Task<string> RenewAsync(ConnectionRef connection, string refused, CancellationToken ct = default);

    /// <summary>Refreshes when the stored token expires before <paramref name="before"/> (the refresh job); true when it did.</summary>
    Task<bool> RefreshIfExpiringAsync(ConnectionRef connection, DateTimeOffset before, CancellationToken ct = default);
}
