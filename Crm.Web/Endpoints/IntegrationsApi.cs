using Crm.Core.Integrations.Connections;

namespace Crm.Web.Endpoints;

public static class IntegrationsApi
{
    public static RouteGroupBuilder MapIntegrationsApi(this RouteGroupBuilder api)
    {
        var integrations = api.MapGroup("/integrations").WithTags("Integrations");
        integrations.MapGet("/", async (ListIntegrationsHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)))
            .WithName("ListIntegrations")
            .WithSummary("Connections and their health: every one for admins, your own mailbox and calendar otherwise; secrets are never returned");
        integrations.MapPost("/{id:long}/disconnect", async (long id, DisconnectIntegrationHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, ct)))
            .WithName("DisconnectIntegration")
            .WithSummary("Revoke the grant at the provider where it can be, delete the tokens, and mark the connection disconnected (admins, or the owner of a mailbox or calendar)");
        return api;
    }
}
