using Crm.Core.Common;

namespace Crm.Core.Webhooks;

/// <summary>An admin changes an endpoint's URL, events or description, or turns it off and on again.</summary>
public sealed class UpdateWebhookSubscriptionHandler(ICrmDbFactory dbFactory, IWebhookTargetPolicy targets, TimeProvider time)
{
    public async Task<WebhookSubscriptionView> HandleAsync(long id, WebhookSubscriptionInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var subscription = await db.WebhookSubscriptions.GetAsync(id, "Webhook endpoint", ct);
        if (input.EventTypes is not null) subscription.EventTypes = WebhookSubscriptionRules.EventTypes(input.EventTypes);
        if (input.Description is not null) subscription.Description = WebhookSubscriptionRules.Description(input.Description);
        if (input.Url is not null) subscription.Url = await WebhookSubscriptionRules.UrlAsync(targets, input.Url, ct);
        if (input.IsActive is { } active && active != subscription.IsActive)
        {
            subscription.IsActive = active;
            // Turned back on: its failures start again from nothing; turned off by a person: said so.
            if (active) (subscription.DisabledReason, subscription.DisabledAt, subscription.FailingSince) = (null, null, null);
            else (subscription.DisabledReason, subscription.DisabledAt) = ("Turned off by an admin.", time.GetUtcNow());
        }
        await db.SaveChangesAsync(ct);
        return WebhookSubscriptionView.Of(subscription);
    }
}
