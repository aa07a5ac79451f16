using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Webhooks;

/// <summary>What Zapier's REST Hook trigger sends when a Zap is turned on: where to post, and for which event.</summary>
public sealed class ZapierSubscribeInput
{
    public string? TargetUrl { get; set; }
    public string? Event { get; set; }
}

public sealed record ZapierSubscription(long Id, string Event, string TargetUrl);

/// <summary>
/// Zapier's REST hooks: a Zap turned on subscribes its hook URL to one event (an endpoint like any other, marked as
/// Zapier's, its secret unused by Zapier), and turned off unsubscribes it. Admins' API keys only, as any endpoint.
/// </summary>
public sealed class SubscribeZapierHookHandler(CreateWebhookSubscriptionHandler create)
{
    public async Task<ZapierSubscription> HandleAsync(ZapierSubscribeInput input, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(input.Event)) throw new ValidationFailedException("event", "Name the event to subscribe to.");
        var created = await create.HandleAsync(new WebhookSubscriptionInput { Url = input.TargetUrl, EventTypes = [input.Event.Trim()], Description = "Zapier" }, WebhookSources.Zapier, ct);
        return new ZapierSubscription(created.Subscription.Id, input.Event.Trim(), created.Subscription.Url);
    }
}
