using System.Globalization;
using System.Security.Claims;
using Crm.Infrastructure.Identity;

namespace Crm.Web.Auth;

/// <summary>The claims a CRM session carries, and how they are built.</summary>
public static class CrmClaims
{
    public const string CookieScheme = "Crm.Cookie";
    public const string SessionCookie = ".crm.session";
    public const string ApiKeyScheme = "ApiKey";
    public const string OidcScheme = "Oidc";
    public const string SmartScheme = "Crm";
    public const string AdminPolicy = "Admin";

    public const string UserId = "crm:user";
    public const string WorkspaceId = "crm:workspace";
    public const string WorkspaceName = "crm:workspace_name";
    public const string ApiKeyId = "crm:api_key";
    public const string SignInMethod = "crm:method";
    /// <summary>The person's security stamp when the session began: a password change or reset rotates it, ending the session.</summary>
    public const string SecurityStamp = "crm:stamp";
    /// <summary>A random id per sign-in, so the one session a person changed their password from can stay.</summary>
    public const string SessionId = "crm:session";

    public static string NewSessionId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public static ClaimsPrincipal ForMember(Membership member, string method, string securityStamp, string sessionId) =>
        new(new ClaimsIdentity(
        [
            new Claim(SecurityStamp, securityStamp),
            new Claim(SessionId, sessionId),
            new Claim(ClaimTypes.NameIdentifier, member.UserId.ToString(CultureInfo.InvariantCulture)),
            new Claim(UserId, member.UserId.ToString(CultureInfo.InvariantCulture)),
            new Claim(WorkspaceId, member.WorkspaceId.ToString(CultureInfo.InvariantCulture)),
            new Claim(WorkspaceName, member.WorkspaceName),
            new Claim(ClaimTypes.Name, member.Name),
            new Claim(ClaimTypes.Email, member.Email),
            new Claim(ClaimTypes.Role, member.Role.ToString()),
            new Claim(SignInMethod, method),
        ], CookieScheme, ClaimTypes.Name, ClaimTypes.Role));

    public static ClaimsPrincipal ForApiKey(VerifiedApiKey key) =>
        new(new ClaimsIdentity(
        [
            new Claim(ApiKeyId, key.KeyId.ToString(CultureInfo.InvariantCulture)),
            new Claim(WorkspaceId, key.WorkspaceId.ToString(CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, "API key " + key.Name),
            new Claim(ClaimTypes.Role, key.Role.ToString()),
        ], ApiKeyScheme, ClaimTypes.Name, ClaimTypes.Role));

    public static long? GetLong(this ClaimsPrincipal principal, string type) =>
        long.TryParse(principal.FindFirstValue(type), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
