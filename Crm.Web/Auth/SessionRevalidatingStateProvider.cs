using System.Security.Claims;
using Crm.Infrastructure.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Crm.Web.Auth;

/// <summary>An open circuit re-checks its user every minute; a deactivated or re-roled user, or a session whose password was reset, loses the page.</summary>
public sealed class SessionRevalidatingStateProvider(ILoggerFactory loggerFactory, Memberships memberships)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    /// <remarks>A circuit cannot take a renewed cookie: a changed role ends it, and the reload carries the renewed session.</remarks>
    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var user = authenticationState.User;
        var state = await SessionValidator.CheckAsync(user, memberships, cancellationToken);
        return state is not null && state.Member.Role.ToString() == user.FindFirstValue(ClaimTypes.Role);
    }
}
