using System.Text.Json;
using Crm.Core.Common;

namespace Crm.Core.Webhooks;

/// <summary>"Send test event": a <c>webhook.test</c> event to this endpoint alone, delivered and logged like any other.</summary>
public sealed class SendTestWebhookHandler(ICrmDbFactory dbFactory, TimeProvider time)
{
    public async Task<long> HandleAsync(long subscriptionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var subscription = await db.WebhookSubscriptions.GetAsync(subscriptionId, "Webhook endpoint", ct);
        if (!subscription.IsActive)
            throw new ValidationFailedException("subscription", "The endpoint is turned off; turn it on before sending to it.");
        var now = time.GetUtcNow();
        var message = new OutboxEvent
        {
            EventId = OutboxEvent.NewEventId(), Type = WebhookEventTypes.Test, OccurredAt = now, DispatchedAt = now,
            Data = JsonSerializer.Serialize(new { message = "A test event sent from the CRM's webhook settings.", subscriptionId }),
        };
        var delivery = new WebhookDelivery
        {
            SubscriptionId = subscriptionId, Event = message, EventId = message.EventId, EventType = message.Type, CreatedAt = now, NextAttemptAt = now,
        };
        db.OutboxEvents.Add(message);
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(ct);
        return delivery.Id;
    }
}
