using Crm.Core.Users;
using Crm.Web.Auth;

namespace Crm.Web.Endpoints;

public static class UsersApi
{
    public sealed record UpdateUserRequest(UserRole Role, bool IsActive);

    public sealed record SetPasswordRequest(string? Password);

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
        users.MapPut("/{id:long}", async (long id, UpdateUserRequest request, UpdateUserHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(id, request.Role, request.IsActive, ct)))
            .WithName("UpdateUser").WithSummary("Change a user's role or turn their access off and on (admins only; the last active admin stays one)");
        users.MapPut("/{id:long}/password", async (long id, SetPasswordRequest request, HttpContext context, SetUserPasswordHandler handler, CancellationToken ct) =>
            {
                await handler.HandleAsync(id, request.Password ?? "", context.User.FindFirst(CrmClaims.SessionId)?.Value, ct);
                return TypedResults.NoContent();
            })
            .WithName("SetUserPassword").WithSummary("Set a user's password (admins only): every session of theirs ends (yours, for your own, except this one)");
        // Reps pick owners too: the names of active users are everyone's to read.
        api.MapGet("/users/options", async (ListUserOptionsHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)))
            .WithTags("Users").WithName("ListUserOptions").WithSummary("Active users' ids, names and emails, to pick an owner (everyone)");
        return api;
    }
}
