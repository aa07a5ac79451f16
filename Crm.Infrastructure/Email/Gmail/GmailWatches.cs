using System.Globalization;
using Crm.Core.Integrations.Calls;
using Crm.Core.Integrations.Google;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Integrations.Webhooks;
using Microsoft.Extensions.Logging;

namespace Crm.Infrastructure.Email.Gmail;

/// <summary>
/// Gmail's push for a mailbox, kept while <see cref="GoogleAppSettings.GmailPushTopic"/> is set: <c>users.watch</c> on
/// the first sync and again once a day (Google's advice; a watch lasts 7 days). The watch is recorded as a push channel
/// of the connection (provider <see cref="Provider"/>, resource = the mailbox's address), which is how a Pub/Sub push
/// naming that address finds the connections to sync. A notification only starts the sync, which reads history from its
/// cursor — a lost one costs time, not mail, and polling goes on underneath.
/// </summary>
public sealed class GmailWatches(GmailApi gmail, IWebhookChannels channels, GoogleAppSettings settings, TimeProvider time, ILogger<GmailWatches> log)
{
    public const string Provider = "gmail";
    public static readonly TimeSpan RenewEvery = TimeSpan.FromDays(1);

    /// <returns>True when the mailbox is watched.</returns>
    public async Task<bool> EnsureAsync(ConnectionRef connection, CancellationToken ct)
    {
        if (settings.GmailPushTopic is not { Length: > 0 } topic) return false;
        var channel = connection with { Provider = Provider };
        var now = time.GetUtcNow();
        var current = (await channels.OfConnectionAsync(channel, ct)).MaxBy(c => c.CreatedAt);
        if (current is not null && now - current.CreatedAt < RenewEvery && current.ExpiresAt > now) return true;
        try
        {
            var address = (await gmail.ProfileAsync(connection, ct)).EmailAddress;
            if (address is not { Length: > 0 }) return false;
            var watch = await gmail.WatchAsync(connection, topic, ct);
            var expires = long.TryParse(watch.Expiration, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : now.AddDays(7);
            var id = connection.IntegrationId.ToString(CultureInfo.InvariantCulture);
            await channels.CloseAsync(Provider, id, ct);
            // Pub/Sub's push is authenticated by the subscription's token, not by a per-channel secret: this one is never used.
            await channels.AddAsync(channel, id, address.Trim().ToLowerInvariant(), WebhookChannel.NewSecret(), expires, ct);
            return true;
        }
        catch (ProviderApiException e)
        {
            log.LogWarning("Gmail push for connection {Connection} could not be set up; the mailbox is polled: {Message}", connection.IntegrationId, e.Message);
            return false;
        }
    }
}
