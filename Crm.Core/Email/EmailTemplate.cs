using Crm.Core.Common;

namespace Crm.Core.Email;

/// <summary>
/// A saved email to start from: a name, a subject and a body with merge fields (<see cref="SendEmailHandler.MergeFields"/>).
/// A person's own (<see cref="OwnerUserId"/>), or shared with the workspace (no owner; only admins make, change or
/// delete shared ones). Nobody sees another person's own templates.
/// </summary>
public sealed class EmailTemplate : Entity, IWorkspaceOwned, ITimestamped
{
    public const int NameChars = 100;
    /// <summary>Templates a workspace may hold (its people's own and shared ones together).</summary>
    public const int PerWorkspace = 1_000;

    public long WorkspaceId { get; set; }
    /// <summary>Whose template it is; null when shared with the workspace.</summary>
    public long? OwnerUserId { get; set; }
    public string Name { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
