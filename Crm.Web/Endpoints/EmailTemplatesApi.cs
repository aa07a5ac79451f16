using Crm.Core.Email;

namespace Crm.Web.Endpoints;

/// <summary>Email templates: the caller's own and the workspace's shared ones (sharing, and changing shared ones, is an admin's).</summary>
public static class EmailTemplatesApi
{
    public static RouteGroupBuilder MapEmailTemplatesApi(this RouteGroupBuilder api)
    {
        var templates = api.MapGroup("/email/templates").WithTags("Email");
        templates.MapGet("", async (ListEmailTemplatesHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)))
            .WithName("ListEmailTemplates").WithSummary("The email templates you may use: the workspace's shared ones and your own");
        templates.MapPost("", async (EmailTemplateInput input, SaveEmailTemplateHandler handler, CancellationToken ct) =>
            {
                var saved = await handler.CreateAsync(input, ct);
                return TypedResults.Created($"/api/v1/email/templates/{saved.Id}", saved);
            })
            .WithName("CreateEmailTemplate").WithSummary("Save a template {\"name\",\"subject\",\"body\",\"shared\"} (merge fields as in sending; shared: admins only)");
        templates.MapPut("/{id:long}", async (long id, EmailTemplateInput input, SaveEmailTemplateHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.UpdateAsync(id, input, ct)))
            .WithName("UpdateEmailTemplate").WithSummary("Change a template of yours (a shared one: admins only)");
        templates.MapDeleteById<DeleteEmailTemplateHandler>("/{id:long}", (handler, id, ct) => handler.HandleAsync(id, ct))
            .WithName("DeleteEmailTemplate").WithSummary("Delete a template of yours (a shared one: admins only)");
        return api;
    }
}
