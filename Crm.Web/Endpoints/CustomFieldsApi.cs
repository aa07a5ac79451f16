using Crm.Core.Common;
using Crm.Core.CustomFields;
using Crm.Web.Auth;

namespace Crm.Web.Endpoints;

/// <summary>Custom fields of contacts, accounts and deals: everyone reads them (their values are in the records' customFields), admins add and remove them.</summary>
public static class CustomFieldsApi
{
    public static RouteGroupBuilder MapCustomFieldsApi(this RouteGroupBuilder api)
    {
        var fields = api.MapGroup("/custom-fields").WithTags("Custom fields");
        fields.MapGet("/", async (string? recordType, ListCustomFieldsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(ApiEnums.Parse<RecordType>(recordType, "recordType") ?? RecordType.Contact, ct)))
            .WithName("ListCustomFields").WithSummary("The custom fields of one record type (contact unless recordType says account or deal)");
        fields.MapPost("/", async (NewCustomFieldInput input, CreateCustomFieldHandler handler, CancellationToken ct) =>
            {
                var field = await handler.HandleAsync(input, ct);
                return TypedResults.Created($"/api/v1/custom-fields/{field.Id}", field);
            })
            .RequireAuthorization(CrmClaims.AdminPolicy)
            .WithName("CreateCustomField").WithSummary("Add a custom field (text, number, date or boolean) to contacts, accounts or deals (admins); the key is derived from the label when not given");
        fields.MapDeleteById<DeleteCustomFieldHandler>("/{id:long}", (handler, id, ct) => handler.HandleAsync(id, ct))
            .RequireAuthorization(CrmClaims.AdminPolicy)
            .WithName("DeleteCustomField").WithSummary("Remove a custom field (admins); its values stay on the records and come back if the key is defined again");
        return api;
    }
}
