using System.Security.Claims;
using Crm.Infrastructure.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Crm.Web.Auth;

/// <summary>An open circuit re-checks its user every minute; a deactivated or re-roled user loses the page.</summary>
public sealed class SessionRevalidatingStateProvider(ILoggerFactory loggerFactory, Memberships memberships)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var user = authenticationState.User;
        if (user.GetLong(CrmClaims.WorkspaceId) is not { } workspaceId || user.GetLong(CrmClaims.UserId) is not { } userId) return false;
        var member = await memberships.FindAsync(workspaceId, userId, cancellationToken);
        return member is { IsActive: true } && member.Role.ToString() == user.FindFirstValue(ClaimTypes.Role);
    }
}
