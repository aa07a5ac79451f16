using Crm.Core.Email;
using Crm.Web.Auth;

namespace Crm.Web.Endpoints;

/// <summary>The workspace's email logging rules and logging address.</summary>
public static class EmailSettingsApi
{
    public static RouteGroupBuilder MapEmailSettingsApi(this RouteGroupBuilder api)
    {
        var email = api.MapGroup("/email").WithTags("Email");
        email.MapGet("/settings", async (GetEmailSettingsHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)))
            .WithName("GetEmailSettings").WithSummary("The logging address (everyone), and the logging rules (their details for admins)");
        email.MapPut("/settings", async (EmailSettingsInput input, UpdateEmailSettingsHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(input, ct)))
            .RequireAuthorization(CrmClaims.AdminPolicy)
            .WithName("UpdateEmailSettings").WithSummary("Change the logging rules: auto-create, bulk mail, body sharing, the never-log list (admins only)");
        email.MapPost("/logging-address/rotate", async (RotateLoggingAddressHandler handler, CancellationToken ct) => TypedResults.Ok(new LoggingAddressAnswer(await handler.HandleAsync(ct))))
            .RequireAuthorization(CrmClaims.AdminPolicy)
            .WithName("RotateLoggingAddress").WithSummary("Replace the logging address; the old one stops at once (admins only)");
        return api;
    }
}
