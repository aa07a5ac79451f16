using System.Security.Cryptography;
using System.Text;
using Crm.Core.Common;
using Crm.Core.Integrations.Tokens;

namespace Crm.Core.Integrations.Webhooks;

/// <summary>
/// A push channel we opened at a provider for one connection: a Microsoft Graph subscription (its <c>clientState</c>)
/// or a Google watch channel (its <c>X-Goog-Channel-Token</c>). Only the secret's SHA-256 is kept: a notification is
/// ours when its channel is known, its secret hashes the same, and (Google) its resource id matches.
/// </summary>
public sealed class WebhookChannel : Entity, IWorkspaceOwned
{
    public long WorkspaceId { get; set; }
    public long IntegrationId { get; set; }
    public string Provider { get; set; } = "";
    /// <summary>Graph's subscription id, or the channel id we gave Google.</summary>
    public string ChannelId { get; set; } = "";
    /// <summary>Google's resource id for the watched collection (it names it in every notification).</summary>
    public string? ResourceId { get; set; }
    public string SecretHash { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>A new secret (256 bits, URL-safe) for a channel whose id the provider gives only once it exists.</summary>
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Compares in constant time, so timing says nothing about how much of a guess was right.</summary>
    public bool SecretMatches(string? presented) =>
        presented is { Length: > 0 and <= 512 }
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(SecretHash), Encoding.ASCII.GetBytes(HashOf(presented)));
}

/// <summary>Opens and finds push channels; the secret is returned once, to be handed to the provider, and never stored.</summary>
public interface IWebhookChannels
{
    /// <returns>The secret to send as Graph's clientState or Google's channel token.</returns>
    Task<string> OpenAsync(ConnectionRef connection, string channelId, string? resourceId, DateTimeOffset expiresAt, CancellationToken ct = default);

    /// <summary>A channel of any workspace (notifications arrive unauthenticated; the channel says whose they are).</summary>
    Task<WebhookChannel?> FindAsync(string provider, string channelId, CancellationToken ct = default);

    /// <summary>Keeps a channel the provider already made with <paramref name="secret"/> (Graph names a subscription when it creates it).</summary>
    Task AddAsync(ConnectionRef connection, string channelId, string? resourceId, string secret, DateTimeOffset expiresAt, CancellationToken ct = default);

    /// <summary>Live channels of any workspace on one resource (Gmail's pushes name the mailbox, not a channel).</summary>
    Task<IReadOnlyList<WebhookChannel>> FindByResourceAsync(string provider, string resourceId, CancellationToken ct = default);

    /// <summary>The connection's channels, live or expired.</summary>
    Task<IReadOnlyList<WebhookChannel>> OfConnectionAsync(ConnectionRef connection, CancellationToken ct = default);

    Task RenewAsync(string provider, string channelId, DateTimeOffset expiresAt, CancellationToken ct = default);

    Task CloseAsync(string provider, string channelId, CancellationToken ct = default);
}
