using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Webhooks;

/// <summary>A Zap turned off: its REST hook removed (Zapier's own endpoints only).</summary>
public sealed class UnsubscribeZapierHookHandler(ICrmDbFactory dbFactory, DeleteWebhookSubscriptionHandler delete)
{
    public async Task HandleAsync(long id, CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            Roles.EnsureAdmin(db.Actor);
            // Only Zapier's own endpoints: a Zap cannot remove one an admin set up.
            if (!await db.WebhookSubscriptions.AnyAsync(s => s.Id == id && s.Source == WebhookSources.Zapier, ct)) throw new NotFoundException("Zapier hook", id);
        }
        await delete.HandleAsync(id, ct);
    }
}
