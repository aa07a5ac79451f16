using Crm.Core.Webhooks;

namespace Crm.Web.Endpoints;

/// <summary>
/// Zapier's REST Hook subscribe/unsubscribe calls, and the events feed pollers read (Zapier's polling fallback, Make):
/// admins' API keys, as every webhook route.
/// </summary>
public static class ZapierHooksApi
{
    public static RouteGroupBuilder MapZapierHooksApi(this RouteGroupBuilder api)
    {
        var hooks = api.MapGroup("/webhooks").WithTags("Webhooks");
        hooks.MapPost("/zapier", async (ZapierSubscribeInput input, SubscribeZapierHookHandler handler, CancellationToken ct) =>
            {
                var created = await handler.HandleAsync(input, ct);
                return TypedResults.Created($"/api/v1/webhooks/zapier/{created.Id}", created);
            })
            .WithName("SubscribeZapierHook").WithSummary("Zapier REST hook subscribe: post {targetUrl, event}; events of that type are posted to targetUrl until unsubscribed");
        hooks.MapDeleteById<UnsubscribeZapierHookHandler>("/zapier/{id:long}", (handler, id, ct) => handler.HandleAsync(id, ct))
            .WithName("UnsubscribeZapierHook").WithSummary("Zapier REST hook unsubscribe");
        hooks.MapGet("/events", async (string? type, long? before, int? limit, ListWebhookEventsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(type, before, limit ?? 50, ct)))
            .WithName("ListWebhookEvents")
            .WithSummary("Recent events, newest first, shaped as deliveries are (type= filters; before= the previous page's next): for pollers that cannot receive webhooks");
        return api;
    }
}
