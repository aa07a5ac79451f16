namespace Crm.Core.Integrations.Connections;

/// <summary>A connection's secrets, encrypted at rest; read only by the code that calls the provider.</summary>
public interface IConnectionSecrets
{
    /// <summary>Stores (or replaces) the secrets of a connection of the actor's workspace.</summary>
    Task SaveAsync(long integrationId, ConnectionSecrets secrets, DateTimeOffset? accessTokenExpiresAt, CancellationToken ct = default);

    /// <summary>The secrets of a connection of the actor's workspace; null when it has none (or is another workspace's).</summary>
    Task<ConnectionSecrets?> ReadAsync(long integrationId, CancellationToken ct = default);

    /// <summary>Forgets them (disconnect).</summary>
    Task DeleteAsync(long integrationId, CancellationToken ct = default);
}
