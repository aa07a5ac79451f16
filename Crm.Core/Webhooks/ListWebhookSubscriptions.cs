using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Webhooks;

public sealed class ListWebhookSubscriptionsHandler(ICrmDbFactory dbFactory)
{
    public async Task<IReadOnlyList<WebhookSubscriptionView>> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var rows = await db.WebhookSubscriptions.AsNoTracking().OrderBy(s => s.Id).ToListAsync(ct);
        return rows.Select(WebhookSubscriptionView.Of).ToList();
    }
}
