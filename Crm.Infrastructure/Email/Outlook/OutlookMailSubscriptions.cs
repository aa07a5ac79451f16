using Crm.Core.Integrations.Graph;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Integrations.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace Crm.Infrastructure.Email.Outlook;

/// <summary>
/// Graph change notifications for a mailbox's Inbox and Sent Items, kept while <see cref="MicrosoftAppSettings.NotificationUrl"/>
/// is set: made on the first sync (Graph checks the URL by its validation handshake), renewed by each sync once less
/// than a day is left (3 days at a time; Graph allows 7 for mail), made again when Graph no longer knows one. A
/// notification only starts the mailbox's sync, which reads what changed from its delta links — so a lost or late one
/// costs nothing but time, and polling goes on underneath. The clientState is a secret per subscription, kept hashed.
/// </summary>
public sealed class OutlookMailSubscriptions(GraphMailClient graph, IWebhookChannels channels, MicrosoftAppSettings settings, TimeProvider time,
    ILogger<OutlookMailSubscriptions> log)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(3);
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(1);
    private static readonly string[] Folders = ["inbox", "sentitems"];

    /// <summary>Makes or renews what is due; a failure is logged and leaves the mailbox to polling. Returns the live subscriptions.</summary>
    public async Task<int> EnsureAsync(ConnectionRef connection, CancellationToken ct)
    {
        if (settings.NotificationUrl is not { Length: > 0 } url) return 0;
        var now = time.GetUtcNow();
        var existing = await channels.OfConnectionAsync(connection, ct);
        var live = 0;
        foreach (var folder in Folders)
        {
            var resource = $"me/mailFolders('{folder}')/messages";
            var channel = existing.Where(c => c.ResourceId == resource).MaxBy(c => c.ExpiresAt);
            if (channel is not null && channel.ExpiresAt - now > RenewBefore)
            {
                live++;
                continue;
            }
            try
            {
                if (channel is not null && channel.ExpiresAt > now && await RenewAsync(channel, now, ct))
                {
                    live++;
                    continue;
                }
                if (channel is not null) await channels.CloseAsync(connection.Provider, channel.ChannelId, ct);
                var secret = WebhookChannel.NewSecret();
                var created = await graph.Client.Subscriptions.PostAsync(new Subscription
                {
                    ChangeType = "created", NotificationUrl = url, Resource = resource, ExpirationDateTime = now + Lifetime, ClientState = secret,
                }, cancellationToken: ct);
                if (created?.Id is not { Length: > 0 } id) continue;
                await channels.AddAsync(connection, id, resource, secret, created.ExpirationDateTime ?? now + Lifetime, ct);
                live++;
            }
            catch (Exception e) when (e is ODataError or Microsoft.Kiota.Abstractions.ApiException or Core.Integrations.Calls.ProviderApiException or HttpRequestException)
            {
                log.LogWarning("Outlook change notifications for connection {Connection} ({Folder}) could not be set up; the mailbox is polled: {Message}",
                    connection.IntegrationId, folder, e.Message);
            }
        }
        return live;
    }

    /// <returns>False when Graph no longer knows the subscription (it is made again).</returns>
    private async Task<bool> RenewAsync(WebhookChannel channel, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            var renewed = await graph.Client.Subscriptions[channel.ChannelId].PatchAsync(new Subscription { ExpirationDateTime = now + Lifetime }, cancellationToken: ct);
            await channels.RenewAsync(channel.Provider, channel.ChannelId, renewed?.ExpirationDateTime ?? now + Lifetime, ct);
            return true;
        }
        catch (ODataError e) when (e.ResponseStatusCode == 404)
        {
            return false;
        }
    }
}
