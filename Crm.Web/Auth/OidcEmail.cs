using System.Security.Claims;
using Crm.Core.Common;

namespace Crm.Web.Auth;

/// <summary>The email address a single sign-on proves, or none: an unverified address never signs anyone in.</summary>
public static class OidcEmail
{
    public static string? Of(ClaimsPrincipal? principal, OidcSettings settings)
    {
        if (principal is null) return null;
        foreach (var claim in settings.EmailClaims)
        {
            var value = principal.FindFirstValue(claim)?.Trim();
            if (string.IsNullOrEmpty(value) || !EmailAddresses.IsValid(value)) continue;
            if (claim == "email" && settings.RequireVerifiedEmail && !IsVerified(principal)) return null;
            return value;
        }
        return null;
    }

    private static bool IsVerified(ClaimsPrincipal principal) =>
        string.Equals(principal.FindFirstValue("email_verified"), "true", StringComparison.OrdinalIgnoreCase);
}
