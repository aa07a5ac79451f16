using Crm.Core.Common;
using Crm.Core.Users;

namespace Crm.Core.ApiKeys;

/// <summary>
/// A per-workspace key for the REST API. Only a SHA-256 hash of the secret is stored; the prefix identifies the
/// key in lists and lets authentication find it without scanning.
/// </summary>
public sealed class ApiKey : Entity, IWorkspaceOwned
{
    public long WorkspaceId { get; set; }
    public string Name { get; set; } = "";
    public string Prefix { get; set; } = "";
    public string SecretHash { get; set; } = "";
    public UserRole Role { get; set; }
    public long? CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public bool IsActive => RevokedAt is null;
}
