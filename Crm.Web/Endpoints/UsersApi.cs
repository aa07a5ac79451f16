using Crm.Core.Users;
using Crm.Web.Auth;

namespace Crm.Web.Endpoints;

public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users").RequireAuthorization(CrmClaims.AdminPolicy);
        users.MapGet("/", async (ListUsersHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)))
            .WithName("ListUsers").WithSummary("List the workspace's users (admins only)");
        users.MapPost("/", async (NewUserInput input, CreateUserHandler handler, CancellationToken ct) =>
            {
                var user = await handler.HandleAsync(input, ct);
                return TypedResults.Created($"/api/v1/users/{user.Id}", user);
            })
            .WithName("CreateUser").WithSummary("Add a user (admins only); without a password they sign in through SSO");
        return api;
    }
}
