using System.Collections.Concurrent;
using System.Security.Claims;
using Crm.Core.Common;
using Crm.Core.Users;
using Crm.Web.Auth;
using Crm.Web.Components.Shared;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.EntityFrameworkCore;

namespace Crm.Web.TimeZones;

/// <summary>Each user's time zone, read once from the database and kept until they change it.</summary>
public sealed class UserTimeZones(IServiceScopeFactory scopes)
{
    private readonly ConcurrentDictionary<long, TimeZoneInfo> _zones = new();

    public async ValueTask<TimeZoneInfo> OfAsync(ClaimsPrincipal user)
    {
        if (!long.TryParse(user.FindFirst(CrmClaims.UserId)?.Value, out var userId) || !long.TryParse(user.FindFirst(CrmClaims.WorkspaceId)?.Value, out var workspaceId))
            return TimeZoneInfo.Utc;
        if (_zones.TryGetValue(userId, out var zone)) return zone;
        await using var scope = scopes.CreateAsyncScope();
        await using var db = scope.ServiceProvider.GetRequiredService<Crm.Infrastructure.Persistence.CrmDatabase>().Create(Actor.System(workspaceId));
        var id = await db.CrmUsers.AsNoTracking().Where(u => u.Id == userId).Select(u => u.TimeZone).SingleOrDefaultAsync();
        return _zones[userId] = Crm.Core.Users.TimeZones.Find(id) ?? TimeZoneInfo.Utc;
    }

    /// <summary>After a change: the next page or click reads it again.</summary>
    public void Forget(long userId) => _zones.TryRemove(userId, out _);
}

/// <summary>
/// Pages show times in the signed-in person's zone (<see cref="Labels.When"/>): set for each request (the first,
/// static render) and for each activity of an interactive circuit (clicks, navigation, and the work they start).
/// </summary>
public sealed class TimeZoneCircuitHandler(AuthenticationStateProvider authentication, UserTimeZones zones) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            var state = await authentication.GetAuthenticationStateAsync();
            Labels.UseZone(await zones.OfAsync(state.User));
            await next(context);
        };
}

public static class TimeZoneSetup
{
    public static IServiceCollection AddUserTimeZones(this IServiceCollection services)
    {
        services.AddSingleton<UserTimeZones>();
        services.AddScoped<CircuitHandler, TimeZoneCircuitHandler>();
        return services;
    }

    public static IApplicationBuilder UseUserTimeZones(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.User.Identity?.IsAuthenticated == true)
            Labels.UseZone(await context.RequestServices.GetRequiredService<UserTimeZones>().OfAsync(context.User));
        await next(context);
    });
}
