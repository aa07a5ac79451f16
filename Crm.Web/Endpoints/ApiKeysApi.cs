using Crm.Core.ApiKeys;
using Crm.Web.Auth;

namespace Crm.Web.Endpoints;

/// <summary>The workspace's API keys (admins only): listed without their secrets, created (the secret shown once), revoked.</summary>
public static class ApiKeysApi
{
    public static RouteGroupBuilder MapApiKeysApi(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/api-keys").WithTags("API keys").RequireAuthorization(CrmClaims.AdminPolicy);
        keys.MapGet("/", async (ListApiKeysHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)))
            .WithName("ListApiKeys").WithSummary("The workspace's API keys: name, prefix, role, who made it, last use, revoked; never the secret");
        keys.MapPost("/", async (NewApiKeyInput input, CreateApiKeyHandler handler, CancellationToken ct) =>
            {
                var created = await handler.HandleAsync(input, ct);
                return TypedResults.Created($"/api/v1/api-keys/{created.Key.Id}", created);
            })
            .WithName("CreateApiKey").WithSummary("Create a key with a role (rep or admin); its secret is in the answer, and only there");
        keys.MapDeleteById<RevokeApiKeyHandler>("/{id:long}", (handler, id, ct) => handler.HandleAsync(id, ct))
            .WithName("RevokeApiKey").WithSummary("Revoke a key: the next request made with it gets 401; it stays listed as revoked");
        return api;
    }
}
