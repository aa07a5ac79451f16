using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Webhooks;

public sealed class GetWebhookSubscriptionHandler(ICrmDbFactory dbFactory)
{
    public async Task<WebhookSubscriptionView> HandleAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        return WebhookSubscriptionView.Of(await db.WebhookSubscriptions.AsNoTracking().GetAsync(id, "Webhook endpoint", ct));
    }
}
