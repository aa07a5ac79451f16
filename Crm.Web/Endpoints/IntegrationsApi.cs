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
        return api;
    }
}
