using Crm.Core.Webhooks;

namespace Crm.Web.Endpoints;

/// <summary>
/// Outbound webhooks (admins only; reps get 403, another workspace's endpoints 404): endpoints, their secrets (shown
/// once, at creation and rotation), the delivery log with redelivery, and a test event.
/// </summary>
public static class WebhookSubscriptionsApi
{
    public static RouteGroupBuilder MapWebhookSubscriptionsApi(this RouteGroupBuilder api)
    {
        var hooks = api.MapGroup("/webhooks/subscriptions").WithTags("Webhooks");
        hooks.MapGet("/", async (ListWebhookSubscriptionsHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)))
            .WithName("ListWebhookSubscriptions").WithSummary("The workspace's webhook endpoints, with why any is turned off");
        hooks.MapGet("/event-types", () => TypedResults.Ok(WebhookEventTypes.All))
            .WithName("ListWebhookEventTypes").WithSummary("Every event type an endpoint can subscribe to");
        hooks.MapGet("/{id:long}", async (long id, GetWebhookSubscriptionHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, ct)))
            .WithName("GetWebhookSubscription").WithSummary("One webhook endpoint");
        hooks.MapPost("/", async (WebhookSubscriptionInput input, CreateWebhookSubscriptionHandler handler, CancellationToken ct) =>
            {
                var created = await handler.HandleAsync(input, WebhookSources.Api, ct);
                return TypedResults.Created($"/api/v1/webhooks/subscriptions/{created.Subscription.Id}", created);
            })
            .WithName("CreateWebhookSubscription")
            .WithSummary("Add an endpoint (https, public address) for some event types; its signing secret is in the answer, and only there");
        hooks.MapPatch("/{id:long}", async (long id, WebhookSubscriptionInput input, UpdateWebhookSubscriptionHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(id, input, ct)))
            .WithName("UpdateWebhookSubscription").WithSummary("Change an endpoint's URL, event types or description, or turn it off and on");
        hooks.MapDeleteById<DeleteWebhookSubscriptionHandler>("/{id:long}", (handler, id, ct) => handler.HandleAsync(id, ct))
            .WithName("DeleteWebhookSubscription").WithSummary("Remove an endpoint; what it still had waiting is not sent");
        hooks.MapPost("/{id:long}/rotate-secret", async (long id, RotateWebhookSecretHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, ct)))
            .WithName("RotateWebhookSecret")
            .WithSummary("A new signing secret (in the answer, only there); the old one keeps signing beside it for 24 hours");
        hooks.MapPost("/{id:long}/test", async (long id, SendTestWebhookHandler handler, CancellationToken ct) =>
                TypedResults.Accepted($"/api/v1/webhooks/subscriptions/{id}/deliveries", new QueuedDelivery(await handler.HandleAsync(id, ct))))
            .WithName("SendTestWebhook").WithSummary("Send a webhook.test event to this endpoint; it shows in the delivery log");
        hooks.MapGet("/{id:long}/deliveries", async (long id, string? search, long? before, int? pageSize, ListWebhookDeliveriesHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(id, search, before, pageSize ?? 50, ct)))
            .WithName("ListWebhookDeliveries")
            .WithSummary("The endpoint's delivery log, newest first (before=id pages on): each request, the answer's status and first KB, duration, attempt; search by event id, type or record (contact:42)");
        hooks.MapPost("/{id:long}/deliveries/{deliveryId:long}/redeliver", async (long id, long deliveryId, RedeliverWebhookHandler handler, CancellationToken ct) =>
                TypedResults.Accepted($"/api/v1/webhooks/subscriptions/{id}/deliveries", new QueuedDelivery(await handler.HandleAsync(id, deliveryId, ct))))
            .WithName("RedeliverWebhook").WithSummary("Send the same event (same id) to the endpoint again");
        return api;
    }
}
