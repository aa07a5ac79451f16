using System.Text.Json.Nodes;
using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Webhooks;

/// <param name="Next">Pass as <c>before</c> for older events; null on the last page.</param>
public sealed record WebhookEventPage(IReadOnlyList<JsonObject> Events, long? Next);

/// <summary>
/// The workspace's recent events, newest first, as deliveries carry them (admins): what a poller (Zapier's polling
/// fallback, Make) reads when it cannot receive webhooks. Kept as long as the outbox keeps them (7 days).
/// </summary>
public sealed class ListWebhookEventsHandler(ICrmDbFactory dbFactory)
{
    public const int MaxLimit = 100;

    public async Task<WebhookEventPage> HandleAsync(string? type, long? before, int limit = 50, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        if (type is not null && !WebhookEventTypes.IsKnown(type))
            throw new ValidationFailedException("type", $"Unknown event type. Known: {string.Join(", ", WebhookEventTypes.All)}.");
        var query = db.OutboxEvents.AsNoTracking().Where(e => e.Type != WebhookEventTypes.Test);
        if (type is not null) query = query.Where(e => e.Type == type);
        if (before is { } cursor) query = query.Where(e => e.Id < cursor);
        var events = await query.OrderByDescending(e => e.Id).Take(Math.Clamp(limit, 1, MaxLimit)).ToListAsync(ct);
        return new WebhookEventPage(events.Select(WebhookPayload.Of).ToList(), events.Count == Math.Clamp(limit, 1, MaxLimit) ? events[^1].Id : null);
    }
}
