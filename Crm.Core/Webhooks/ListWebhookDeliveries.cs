using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Webhooks;

public sealed record WebhookAttemptView(int Number, DateTimeOffset AttemptedAt, int DurationMs, int? StatusCode, string? ResponseBody, string? Error);

public sealed record WebhookDeliveryView(long Id, string EventId, string EventType, string? RecordKey, WebhookDeliveryStatus Status, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? CompletedAt, int? LastStatusCode, string? LastError, string RequestBody,
    IReadOnlyList<WebhookAttemptView> AttemptLog);

/// <summary>An endpoint's delivery log, newest first, searchable by event id, event type or record ("contact:42").</summary>
public sealed class ListWebhookDeliveriesHandler(ICrmDbFactory dbFactory)
{
    public const int MaxPageSize = 100;

    public async Task<IReadOnlyList<WebhookDeliveryView>> HandleAsync(long subscriptionId, string? search, long? before = null, int pageSize = 50, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        await db.WebhookSubscriptions.AsNoTracking().GetAsync(subscriptionId, "Webhook endpoint", ct);
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == subscriptionId);
        if (search?.Trim() is { Length: > 0 } term)
        {
            term = term[..Math.Min(term.Length, 200)];
            query = query.Where(d => d.EventId == term || d.RecordKey == term || d.EventType == term);
        }
        if (before is { } cursor) query = query.Where(d => d.Id < cursor);
        var deliveries = await query.OrderByDescending(d => d.Id).Take(Math.Clamp(pageSize, 1, MaxPageSize))
            .Select(d => new { Delivery = d, Body = d.Event!.Data }).ToListAsync(ct);
        var ids = deliveries.Select(d => d.Delivery.Id).ToList();
        var attempts = (await db.WebhookAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).OrderBy(a => a.Number).ToListAsync(ct))
            .ToLookup(a => a.DeliveryId);
        return deliveries.Select(x =>
        {
            var d = x.Delivery;
            var log = attempts[d.Id].Select(a => new WebhookAttemptView(a.Number, a.AttemptedAt, a.DurationMs, a.StatusCode, a.ResponseBody, a.Error)).ToList();
            var sent = attempts[d.Id].LastOrDefault()?.RequestBody ?? "";
            return new WebhookDeliveryView(d.Id, d.EventId, d.EventType, d.RecordKey, d.Status, d.Attempts, d.CreatedAt,
                d.Status == WebhookDeliveryStatus.Pending ? d.NextAttemptAt : null, d.CompletedAt, d.LastStatusCode, d.LastError, sent, log);
        }).ToList();
    }
}
