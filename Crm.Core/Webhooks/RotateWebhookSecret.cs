using Crm.Core.Common;

namespace Crm.Core.Webhooks;

/// <summary>
/// A new secret, shown once; the old one keeps signing next to it for <see cref="WebhookLimits.RotationOverlap"/>
/// (deliveries carry both signatures), so the receiver can switch without refusing a delivery.
/// </summary>
public sealed class RotateWebhookSecretHandler(ICrmDbFactory dbFactory, IWebhookSecretProtector secrets, TimeProvider time)
{
    public async Task<WebhookSubscriptionWithSecret> HandleAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var subscription = await db.WebhookSubscriptions.GetAsync(id, "Webhook endpoint", ct);
        var secret = StandardWebhookSignature.NewSecret();
        subscription.ProtectedPreviousSecret = subscription.ProtectedSecret;
        subscription.PreviousSecretExpiresAt = time.GetUtcNow() + WebhookLimits.RotationOverlap;
        subscription.ProtectedSecret = secrets.Protect(secret);
        await db.SaveChangesAsync(ct);
        return new WebhookSubscriptionWithSecret(WebhookSubscriptionView.Of(subscription), secret);
    }
}
