using Crm.Core.Common;
using Crm.Core.Integrations.Webhooks;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Integrations;

/// <summary>
/// Stores verified events once: the ones already there are left out, and the unique index (provider, event id) settles
/// two deliveries of the same event racing each other — the loser stores what is still new, one by one.
/// </summary>
public sealed class WebhookInbox(CrmDatabase database, DatabaseRetry retry) : IWebhookInbox
{
    public Task<int> StoreAsync(IReadOnlyList<WebhookEvent> events, CancellationToken ct) =>
        retry.RunAsync(async t =>
        {
            try
            {
                return await InsertNewAsync(events, t);
            }
            catch (DbUpdateException)
            {
                // Another delivery stored some of them between the check and the insert.
                var stored = 0;
                foreach (var single in events)
                {
                    try
                    {
                        stored += await InsertNewAsync([Copy(single)], t);
                    }
                    catch (DbUpdateException)
                    {
                        // Stored by the other delivery meanwhile: a duplicate.
                    }
                }
                return stored;
            }
        }, ct);

    private async Task<int> InsertNewAsync(IReadOnlyList<WebhookEvent> events, CancellationToken ct)
    {
        await using var db = database.Create(Actor.Anonymous);
        var provider = events[0].Provider;
        var ids = events.Select(e => e.EventId).ToList();
        var known = await db.WebhookEvents.Where(e => e.Provider == provider && ids.Contains(e.EventId)).Select(e => e.EventId).ToListAsync(ct);
        var fresh = events.Where(e => !known.Contains(e.EventId)).Select(Copy).ToList();
        if (fresh.Count == 0) return 0;
        db.WebhookEvents.AddRange(fresh);
        await db.SaveChangesAsync(ct);
        return fresh.Count;
    }

    /// <summary>A fresh row each attempt: a failed insert leaves ids on the ones it tried.</summary>
    private static WebhookEvent Copy(WebhookEvent e) => new()
    {
        Provider = e.Provider, EventId = e.EventId, Account = e.Account, Type = e.Type, Payload = e.Payload, ReceivedAt = e.ReceivedAt, Status = e.Status,
    };
}
