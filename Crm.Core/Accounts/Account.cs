using Crm.Core.Common;
using Crm.Core.Users;

namespace Crm.Core.Accounts;

/// <summary>A company.</summary>
public sealed class Account : Entity, ITrackedRecord, Duplicates.IMergeable
{
    public long WorkspaceId { get; set; }
    public string Name { get; set; } = "";
    /// <summary>Bare host name, lower-case, without scheme or "www." (acme.com).</summary>
    public string? Domain { get; set; }
    public string? Phone { get; set; }
    public string? Industry { get; set; }
    public string? Street { get; set; }
    public string? City { get; set; }
    public string? Region { get; set; }
    public string? PostalCode { get; set; }
    public string? Country { get; set; }
    public long? OwnerId { get; set; }
    public User? Owner { get; set; }
    /// <summary>Values of the workspace's account custom fields, by key.</summary>
    public Dictionary<string, string> CustomFields { get; set; } = [];

    public int Version { get; set; }
    public long? CreatedByUserId { get; set; }
    public ChangeSource CreatedSource { get; set; }
    public long? CreatedByImportId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    /// <summary>Set on a record merged into another: it stays as a tombstone pointing at the winner.</summary>
    public long? MergedIntoId { get; set; }
    public RecordType RecordType => RecordType.Account;
}
