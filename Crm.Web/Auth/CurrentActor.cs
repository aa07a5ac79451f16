using System.Security.Claims;
using Crm.Core.Common;
using Crm.Core.Users;
using Crm.Infrastructure.Identity;
using Microsoft.AspNetCore.Components.Authorization;

namespace Crm.Web.Auth;

/// <summary>
/// Holds who the current scope runs as. HTTP requests fill it from the authenticated user (middleware);
/// Blazor circuits leave it empty and are read from their authentication state.
/// </summary>
public sealed class ActorAccessor
{
    public ClaimsPrincipal? Principal { get; set; }
    public ChangeSource Source { get; set; } = ChangeSource.User;
    internal (Actor Actor, long At)? Cached { get; set; }
}

/// <summary>
/// Resolves the actor from the principal: an API key acts with its own role; a user acts with the role and
/// active flag stored now (not the ones in the cookie), re-read at most every two seconds per scope.
/// </summary>
public sealed class CurrentActor(ActorAccessor accessor, ExplicitActor explicitActor, IServiceProvider services, Memberships memberships, TimeProvider time) : ICurrentActor
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    public async ValueTask<Actor> GetAsync(CancellationToken ct = default)
    {
        if (explicitActor.Value is { } fixedActor) return fixedActor;
        var now = time.GetTimestamp();
        if (accessor.Cached is { } cached && time.GetElapsedTime(cached.At, now) < CacheFor) return cached.Actor;

        var principal = accessor.Principal;
        if (principal is null && services.GetService<AuthenticationStateProvider>() is { } provider)
            principal = (await provider.GetAuthenticationStateAsync()).User;
        var actor = await ResolveAsync(principal, accessor.Source, ct);
        accessor.Cached = (actor, now);
        return actor;
    }

    private async Task<Actor> ResolveAsync(ClaimsPrincipal? principal, ChangeSource source, CancellationToken ct)
    {
        if (principal?.Identity?.IsAuthenticated != true || principal.GetLong(CrmClaims.WorkspaceId) is not { } workspaceId) return Actor.Anonymous;
        if (principal.GetLong(CrmClaims.ApiKeyId) is { } keyId)
        {
            var role = Enum.TryParse<UserRole>(principal.FindFirstValue(ClaimTypes.Role), out var r) ? r : UserRole.Rep;
            return new Actor(workspaceId, null, role, ChangeSource.Api, $"api-key:{keyId}");
        }
        if (principal.GetLong(CrmClaims.UserId) is not { } userId) return Actor.Anonymous;
        var member = await memberships.FindAsync(workspaceId, userId, ct);
        return member is { IsActive: true } ? new Actor(workspaceId, userId, member.Role, source) : Actor.Anonymous;
    }
}

public static class ActorMiddleware
{
    /// <summary>After authentication: the request's principal becomes the scope's actor; API calls are recorded as such.</summary>
    public static IApplicationBuilder UseCurrentActor(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var accessor = context.RequestServices.GetRequiredService<ActorAccessor>();
            accessor.Principal = context.User;
            accessor.Source = ApiProblems.IsApi(context.Request) ? ChangeSource.Api : ChangeSource.User;
            return next(context);
        });
}
