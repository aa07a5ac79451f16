using Crm.Core.Common;

namespace Crm.Core.Users;

/// <summary>A member of a workspace. How they sign in (password, SSO) is kept elsewhere; this is who they are here.</summary>
public sealed class User : Entity, IWorkspaceOwned, ITimestamped
{
    public long WorkspaceId { get; set; }
    public string Name { get; set; } = "";
    /// <summary>Lower-case; unique within the workspace.</summary>
    public string Email { get; set; } = "";
    public UserRole Role { get; set; }
    public bool IsActive { get; set; } = true;
    /// <summary>
    /// Added with an email that already belonged to someone (in this CRM): an invitation. The person signs in where
    /// they did until they accept it; it never becomes a way into their sessions without them.
    /// </summary>
    public bool InvitationPending { get; set; }
    public long? InvitedByUserId { get; set; }
    public DateTimeOffset? LastSignInAt { get; set; }
    /// <summary>The IANA time zone pages show this user's times in (taken from the browser at first, changeable); null: UTC.</summary>
    public string? TimeZone { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
