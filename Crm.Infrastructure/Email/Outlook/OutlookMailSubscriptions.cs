using Crm.Core.Integrations.Graph;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Integrations.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace Crm.Infrastructure.Email.Outlook;

/// <summary>
/// Graph change notifications for a mailbox's Inbox and Sent Items (and a calendar connection's chosen calendars), kept while <see cref="MicrosoftAppSettings.NotificationUrl"/>
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
    public Task<int> EnsureAsync(ConnectionRef connection, CancellationToken ct) =>
        EnsureAsync(connection, Folders.Select(f => ($"me/mailFolders('{f}')/messages", "created")).ToList(), ct);

    /// <summary>
    /// A calendar connection's subscriptions: one per chosen calendar on its events (created, updated, deleted);
    /// those of calendars no longer chosen are deleted at Graph and forgotten.
    /// </summary>
    public async Task<int> EnsureCalendarsAsync(ConnectionRef connection, IReadOnlyList<string> calendarIds, CancellationToken ct)
    {
        var wanted = calendarIds.Select(id => ($"me/calendars/{id}/events", "created,updated,deleted")).ToList();
        if (settings.NotificationUrl is { Length: > 0 })
            foreach (var stale in (await channels.OfConnectionAsync(connection, ct)).Where(c => wanted.All(w => w.Item1 != c.ResourceId)))
            {
                try
                {
                    await graph.Client.Subscriptions[stale.ChannelId].DeleteAsync(cancellationToken: ct);
                }
                catch (Exception e) when (e is ODataError or Microsoft.Kiota.Abstractions.ApiException or Core.Integrations.Calls.ProviderApiException or HttpRequestException)
                {
                    log.LogInformation("An Outlook subscription of connection {Connection} could not be deleted (it expires on its own): {Message}", connection.IntegrationId, e.Message);
                }
                await channels.CloseAsync(connection.Provider, stale.ChannelId, ct);
            }
        return await EnsureAsync(connection, wanted, ct);
    }

    private async Task<int> EnsureAsync(ConnectionRef connection, IReadOnlyList<(string Resource, string ChangeType)> wanted, CancellationToken ct)
    {
        if (settings.NotificationUrl is not { Length: > 0 } url) return 0;
        var now = time.GetUtcNow();
        var existing = await channels.OfConnectionAsync(connection, ct);
        var live = 0;
        foreach (var (resource, changeType) in wanted)
        {
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
                    ChangeType = changeType, NotificationUrl = url, Resource = resource, ExpirationDateTime = now + Lifetime, ClientState = secret,
                }, cancellationToken: ct);
                if (created?.Id is not { Length: > 0 } id) continue;
                await channels.AddAsync(connection, id, resource, secret, created.ExpirationDateTime ?? now + Lifetime, ct);
                live++;
            }
            catch (Exception e) when (e is ODataError or Microsoft.Kiota.Abstractions.ApiException or Core.Integrations.Calls.ProviderApiException or HttpRequestException)
            {
                log.LogWarning("Outlook change notifications for connection {Connection} ({Resource}) could not be set up; it is polled: {Message}",
                    connection.IntegrationId, resource, e.Message);
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
