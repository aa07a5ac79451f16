using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Crm.Core.Integrations.Webhooks;

/// <summary>A Google channel notification's headers (X-Goog-*).</summary>
public sealed record GoogleChannelHeaders(string? ChannelId, string? Token, string? ResourceId, string? ResourceState, string? MessageNumber, string? ResourceUri);

/// <summary>
/// Push notifications of Microsoft Graph subscriptions and Google watch channels: each is ours only when its channel is
/// known and its secret (Graph's <c>clientState</c>, Google's channel token) matches — then it is stored in the inbox
/// once, without the secret, for the inbox job; anything else is refused and kept nowhere.
/// </summary>
public sealed class ReceivePushNotificationsHandler(IWebhookChannels channels, IWebhookInbox inbox, TimeProvider time)
{
    public const int MaxNotifications = 100;

    public async Task<WebhookReceipt> GraphAsync(string body, CancellationToken ct = default)
    {
        JsonArray? items;
        try
        {
            items = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 16 })?["value"] as JsonArray;
        }
        catch (JsonException)
        {
            return new WebhookReceipt(WebhookOutcome.Malformed, Problem: "The body is not a Graph notification collection.");
        }
        if (items is null || items.Count == 0) return new WebhookReceipt(WebhookOutcome.Malformed, Problem: "The body has no notifications (\"value\").");
        if (items.Count > MaxNotifications) return new WebhookReceipt(WebhookOutcome.Malformed, Problem: $"A delivery holds at most {MaxNotifications} notifications.");

        var now = time.GetUtcNow();
        var events = new List<WebhookEvent>();
        var refused = 0;
        foreach (var node in items)
        {
            if (node is not JsonObject item || item["subscriptionId"]?.GetValueKind() != JsonValueKind.String) { refused++; continue; }
            var subscription = item["subscriptionId"]!.GetValue<string>();
            var state = item["clientState"]?.GetValueKind() == JsonValueKind.String ? item["clientState"]!.GetValue<string>() : null;
            var channel = subscription.Length <= 200 ? await channels.FindAsync("microsoft", subscription, ct) : null;
            if (channel is null || !channel.SecretMatches(state)) { refused++; continue; }
            item.Remove("clientState");
            var payload = item.ToJsonString();
            if (payload.Length > WebhookLimits.MaxEventBytes) { refused++; continue; }
            var type = Text(item, "lifecycleEvent") ?? Text(item, "changeType");
            events.Add(new WebhookEvent
            {
                Provider = "microsoft", EventId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload))),
                Account = channel.IntegrationId.ToString(CultureInfo.InvariantCulture), WorkspaceId = channel.WorkspaceId, Type = Cut(type, 100),
                Payload = payload, ReceivedAt = now, Status = WebhookEventStatus.Received,
            });
        }
        if (events.Count == 0) return new WebhookReceipt(WebhookOutcome.Unauthorized, Problem: "No notification of this delivery belongs to a subscription of ours with the right clientState.");
        var unique = events.DistinctBy(e => e.EventId).ToList();
        var stored = await inbox.StoreAsync(unique, ct);
        return new WebhookReceipt(WebhookOutcome.Accepted, stored, events.Count - stored, refused > 0 ? $"{refused} notification(s) refused." : null);
    }

    public async Task<WebhookReceipt> GoogleAsync(GoogleChannelHeaders headers, CancellationToken ct = default)
    {
        if (headers.ChannelId is not { Length: > 0 and <= 200 } channelId || headers.ResourceState is not { Length: > 0 and <= 32 } state)
            return new WebhookReceipt(WebhookOutcome.Malformed, Problem: "X-Goog-Channel-ID and X-Goog-Resource-State are required.");
        var channel = await channels.FindAsync("google", channelId, ct);
        if (channel is null || !channel.SecretMatches(headers.Token) || channel.ResourceId is not null && channel.ResourceId != headers.ResourceId)
            return new WebhookReceipt(WebhookOutcome.Unauthorized, Problem: "This notification is not from a channel of ours (channel, token or resource differ).");
        var number = long.TryParse(headers.MessageNumber, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
        var payload = JsonSerializer.Serialize(new { channelId, resourceId = headers.ResourceId, resourceState = state, messageNumber = number, resourceUri = Cut(headers.ResourceUri, 1000) });
        var stored = await inbox.StoreAsync([new WebhookEvent
        {
            Provider = "google", EventId = $"{channelId}:{number.ToString(CultureInfo.InvariantCulture)}", Account = channel.IntegrationId.ToString(CultureInfo.InvariantCulture),
            WorkspaceId = channel.WorkspaceId, Type = state, Payload = payload, ReceivedAt = time.GetUtcNow(), Status = WebhookEventStatus.Received,
        }], ct);
        return new WebhookReceipt(WebhookOutcome.Accepted, stored, 1 - stored);
    }

    /// <summary>
    /// A Gmail change through Cloud Pub/Sub push: the envelope's base64 <c>data</c> names the mailbox and its history id;
    /// each watched connection of that mailbox gets one event (keyed by Pub/Sub's message id, so a redelivery is one).
    /// The push subscription's token (in its endpoint's query) is the credential, compared in constant time.
    /// </summary>
    public async Task<WebhookReceipt> GmailAsync(string body, string? presentedToken, string? expectedToken, CancellationToken ct = default)
    {
        if (expectedToken is not { Length: > 0 }) return new WebhookReceipt(WebhookOutcome.NotConfigured, Problem: "Gmail push is not configured (Integrations:Google:GmailPushToken).");
        if (presentedToken is not { Length: > 0 and <= 512 }
            || !CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presentedToken)), SHA256.HashData(Encoding.UTF8.GetBytes(expectedToken))))
            return new WebhookReceipt(WebhookOutcome.Unauthorized, Problem: "The push token is missing or wrong.");
        string? messageId, address, historyId;
        try
        {
            var message = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 16 })?["message"] as JsonObject;
            messageId = message is null ? null : Text(message, "messageId") ?? Text(message, "message_id");
            var data = message is null ? null : Text(message, "data");
            var change = data is { Length: <= 4096 } ? JsonNode.Parse(Convert.FromBase64String(data)) as JsonObject : null;
            address = change is null ? null : Text(change, "emailAddress");
            historyId = change?["historyId"] is JsonValue value ? value.ToJsonString().Trim('"') : null;
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return new WebhookReceipt(WebhookOutcome.Malformed, Problem: "The body is not a Pub/Sub push of a Gmail change.");
        }
        if (messageId is not { Length: > 0 and <= 200 } || address is not { Length: > 0 and <= 320 })
            return new WebhookReceipt(WebhookOutcome.Malformed, Problem: "A Gmail push names its Pub/Sub message and the mailbox (emailAddress).");
        var watched = await channels.FindByResourceAsync("gmail", address.Trim().ToLowerInvariant(), ct);
        // Not (or no longer) watched here: acknowledged, so Pub/Sub does not retry it for days.
        if (watched.Count == 0) return new WebhookReceipt(WebhookOutcome.Accepted, 0, 0, "No mailbox connection watches this address.");
        var payload = JsonSerializer.Serialize(new { emailAddress = address, historyId = Cut(historyId, 40) });
        var now = time.GetUtcNow();
        var events = watched.Select(channel => new WebhookEvent
        {
            Provider = "gmail", EventId = $"{messageId}:{channel.IntegrationId.ToString(CultureInfo.InvariantCulture)}",
            Account = channel.IntegrationId.ToString(CultureInfo.InvariantCulture), WorkspaceId = channel.WorkspaceId, Type = "history", Payload = payload,
            ReceivedAt = now, Status = WebhookEventStatus.Received,
        }).ToList();
        var stored = await inbox.StoreAsync(events, ct);
        return new WebhookReceipt(WebhookOutcome.Accepted, stored, events.Count - stored);
    }

    private static string? Text(JsonObject item, string name) => item[name]?.GetValueKind() == JsonValueKind.String ? item[name]!.GetValue<string>() : null;

    private static string? Cut(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
