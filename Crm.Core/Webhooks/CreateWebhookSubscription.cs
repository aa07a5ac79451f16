using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Webhooks;

/// <summary>An admin adds an endpoint: its URL checked (https, public addresses), its events, a new secret shown once.</summary>
public sealed class CreateWebhookSubscriptionHandler(ICrmDbFactory dbFactory, IWebhookTargetPolicy targets, IWebhookSecretProtector secrets, TimeProvider time)
{
    public async Task<WebhookSubscriptionWithSecret> HandleAsync(WebhookSubscriptionInput input, string source = WebhookSources.Api, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var types = WebhookSubscriptionRules.EventTypes(input.EventTypes);
        var description = WebhookSubscriptionRules.Description(input.Description);
        var url = await WebhookSubscriptionRules.UrlAsync(targets, input.Url, ct);
        if (await db.WebhookSubscriptions.CountAsync(ct) >= WebhookLimits.SubscriptionsPerWorkspace)
            throw new ValidationFailedException(nameof(WebhookSubscriptionInput.Url), $"A workspace has at most {WebhookLimits.SubscriptionsPerWorkspace} webhook endpoints; remove one first.");
        var secret = StandardWebhookSignature.NewSecret();
        var now = time.GetUtcNow();
        var subscription = new WebhookSubscription
        {
            Url = url, Description = description, EventTypes = types, IsActive = input.IsActive ?? true, ProtectedSecret = secrets.Protect(secret),
            Source = source, CreatedByUserId = db.Actor.UserId,
        };
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync(ct);
        return new WebhookSubscriptionWithSecret(WebhookSubscriptionView.Of(subscription), secret);
    }
}
