using System.Security.Claims;
using Crm.Infrastructure.Identity;

namespace Crm.Web.Auth;

/// <summary>What a session is worth now: the member it names, re-read on every request and every minute in a circuit.</summary>
public sealed record SessionState(Membership Member, string SecurityStamp, bool MustRenew);

/// <summary>
/// One check for cookies and open circuits: the member must still be active and joined (deactivation ends sessions at
/// once), and the session must carry the person's current security stamp — a password change or reset ends every
/// other session, except the one the person changed their own password from. A changed role or name is renewed.
/// </summary>
public static class SessionValidator
{
    public static async Task<SessionState?> CheckAsync(ClaimsPrincipal principal, Memberships memberships, CancellationToken ct)
    {
        if (principal.GetLong(CrmClaims.WorkspaceId) is not { } workspaceId || principal.GetLong(CrmClaims.UserId) is not { } userId) return null;
        var check = await memberships.CheckAsync(workspaceId, userId, ct);
        if (check is not { Member.CanSignIn: true }) return null;

        var stamp = principal.FindFirstValue(CrmClaims.SecurityStamp);
        var session = principal.FindFirstValue(CrmClaims.SessionId);
        var stampChanged = stamp != check.SecurityStamp;
        if (stampChanged && (session is null || session != check.KeptSessionId)) return null;

        var mustRenew = stampChanged
                        || check.Member.Role.ToString() != principal.FindFirstValue(ClaimTypes.Role)
                        || check.Member.Name != principal.Identity?.Name;
        return new SessionState(check.Member, check.SecurityStamp, mustRenew);
    }
}
