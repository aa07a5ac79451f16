using Microsoft.AspNetCore.Identity;

namespace Crm.Infrastructure.Identity;

/// <summary>A password sign-in (ASP.NET Core Identity: hash, lockout, security stamp) for one CRM user.</summary>
public sealed class CrmIdentityUser : IdentityUser<long>
{
    public long CrmUserId { get; set; }

    /// <summary>
    /// The one session that survives this person changing their own password (the one they changed it from); every
    /// other session of theirs ended with the new security stamp.
    /// </summary>
    public string? KeptSessionId { get; set; }
}
