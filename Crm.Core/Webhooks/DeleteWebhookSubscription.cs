using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Webhooks;

/// <summary>An endpoint removed: nothing more is sent to it; what it still had pending is given up (the log keeps it).</summary>
public sealed class DeleteWebhookSubscriptionHandler(ICrmDbFactory dbFactory, TimeProvider time)
{
    public async Task HandleAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var subscription = await db.WebhookSubscriptions.GetAsync(id, "Webhook endpoint", ct);
        var now = time.GetUtcNow();
        await db.WebhookDeliveries.Where(d => d.SubscriptionId == id && d.Status == WebhookDeliveryStatus.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.Status, WebhookDeliveryStatus.Failed).SetProperty(d => d.CompletedAt, now)
                .SetProperty(d => d.LastError, "The endpoint was removed."), ct);
        db.WebhookSubscriptions.Remove(subscription);
        await db.SaveChangesAsync(ct);
    }
}
