using Crm.Core.Common;
using Crm.Core.Integrations;

namespace Crm.Web.Endpoints;

/// <summary>Links between our records and their ids in other systems (what sync matches by).</summary>
public static class ExternalLinksApi
{
    public static RouteGroupBuilder MapExternalLinksApi(this RouteGroupBuilder api)
    {
        foreach (var (path, type) in new[] { ("contacts", RecordType.Contact), ("accounts", RecordType.Account), ("deals", RecordType.Deal) })
        {
            var name = type.ToString();
            api.MapGet($"/{path}/{{id:long}}/external-links", async (long id, ListExternalLinksHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(type, id, ct)))
                .WithTags("External links").WithName($"List{name}ExternalLinks").WithSummary($"The {path[..^1]}'s ids in other systems");
            api.MapPost($"/{path}/{{id:long}}/external-links", async (long id, ExternalLinkInput input, LinkExternalRecordHandler handler, CancellationToken ct) =>
                {
                    var link = await handler.HandleAsync(type, id, input, ct);
                    return TypedResults.Created($"/api/v1/{path}/{id}/external-links", link);
                })
                .WithTags("External links").WithName($"Link{name}").WithSummary($"Link the {path[..^1]} to its id in another system (409 if that id leads to another record)");
        }
        api.MapDeleteById<UnlinkExternalRecordHandler>("/external-links/{id:long}", (handler, id, ct) => handler.HandleAsync(id, ct)).WithTags("External links").WithName("Unlink").WithSummary("Unlink a record from its copy in a connected system (neither is deleted)");
        api.MapGet("/external-links/resolve", async (string provider, string? type, string externalId, ResolveExternalLinkHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(provider, ApiEnums.Parse<RecordType>(type, "type") ?? RecordType.Contact, externalId, ct)))
            .WithTags("External links").WithName("ResolveExternalId").WithSummary("Which record another system's id means here — the record kept, if it was merged");
        return api;
    }
}
