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
    public DateTimeOffset? LastSignInAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
