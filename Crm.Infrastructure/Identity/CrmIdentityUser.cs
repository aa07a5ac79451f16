using Microsoft.AspNetCore.Identity;

namespace Crm.Infrastructure.Identity;

/// <summary>A password sign-in (ASP.NET Core Identity: hash, lockout, security stamp) for one CRM user.</summary>
public sealed class CrmIdentityUser : IdentityUser<long>
{
    public long CrmUserId { get; set; }
}
