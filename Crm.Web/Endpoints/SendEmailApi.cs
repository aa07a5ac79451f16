using Crm.Core.Email;

namespace Crm.Web.Endpoints;

public static class SendEmailApi
{
    public static RouteGroupBuilder MapSendEmailApi(this RouteGroupBuilder api)
    {
        api.MapPost("/email/send", async (SendEmailInput input, SendEmailHandler handler, CancellationToken ct) =>
            {
                var sent = await handler.HandleAsync(input, ct);
                return TypedResults.Created($"/api/v1/activities/{sent.Id}", sent);
            })
            .WithTags("Email").WithName("SendEmail")
            .WithSummary("Send an email to a contact from your own connected mailbox (merge fields, reply in thread, tracked unless track is false)");
        return api;
    }
}
