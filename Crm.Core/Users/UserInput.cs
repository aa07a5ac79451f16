using System.ComponentModel.DataAnnotations;
using Crm.Core.Common;

namespace Crm.Core.Users;

public sealed class NewUserInput
{
    [Required(ErrorMessage = "Enter the person's name."), MaxLength(FieldLimits.Name)] public string? Name { get; set; }
    [Required(ErrorMessage = "Enter an email address."), MaxLength(FieldLimits.Email), EmailFormat] public string? Email { get; set; }
    public UserRole Role { get; set; } = UserRole.Rep;
    /// <summary>Optional: without one, the user signs in through SSO only.</summary>
    [MaxLength(128)] public string? Password { get; set; }
}

public sealed record UserView(long Id, string Name, string Email, UserRole Role, bool IsActive, DateTimeOffset? LastSignInAt, DateTimeOffset CreatedAt,
    bool InvitationPending = false);

/// <summary>What owner pickers show: the workspace's active users.</summary>
public sealed record UserOption(long Id, string Name, string Email);
