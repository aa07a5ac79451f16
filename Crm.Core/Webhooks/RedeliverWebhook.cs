using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Webhooks;

/// <summary>The same event (same id, so a receiver can tell) sent again to the same endpoint, as a new delivery in the log.</summary>
public sealed class RedeliverWebhookHandler(ICrmDbFactory dbFactory, TimeProvider time)
{
    public async Task<long> HandleAsync(long subscriptionId, long deliveryId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var subscription = await db.WebhookSubscriptions.GetAsync(subscriptionId, "Webhook endpoint", ct);
        var original = await db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == subscriptionId).GetAsync(deliveryId, "Webhook delivery", ct);
        if (!subscription.IsActive)
            throw new ValidationFailedException("subscription", "The endpoint is turned off; turn it on before sending to it again.");
        var now = time.GetUtcNow();
        var again = new WebhookDelivery
        {
            SubscriptionId = subscriptionId, OutboxEventId = original.OutboxEventId, EventId = original.EventId, EventType = original.EventType,
            RecordKey = original.RecordKey, CreatedAt = now, NextAttemptAt = now,
        };
        db.WebhookDeliveries.Add(again);
        await db.SaveChangesAsync(ct);
        return again.Id;
    }
}
