using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Users;

namespace Crm.Core.Contacts;

public sealed class Contact : Entity, ITrackedRecord, Duplicates.IMergeable
{
    public long WorkspaceId { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    /// <summary>Primary email, trimmed and lower-case.</summary>
    public string? Email { get; set; }
    public List<string> AdditionalEmails { get; set; } = [];
    public string? Phone { get; set; }
    public string? JobTitle { get; set; }
    public long? AccountId { get; set; }
    public Account? Account { get; set; }
    public Lifecycle Lifecycle { get; set; }
    public int? LeadScore { get; set; }
    public string? ScoreTier { get; set; }
    public long? OwnerId { get; set; }
    public User? Owner { get; set; }
    public string? Source { get; set; }
    public string? SourceDetail { get; set; }
    public string? LinkedInUrl { get; set; }
    public string? Street { get; set; }
    public string? City { get; set; }
    public string? Region { get; set; }
    public string? PostalCode { get; set; }
    public string? Country { get; set; }
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
    public RecordType RecordType => RecordType.Contact;

    public string DisplayName => ContactNames.Display(FirstName, LastName, Email);
}

public static class ContactNames
{
    public static string Display(string? firstName, string? lastName, string? email)
    {
        var name = $"{firstName} {lastName}".Trim();
        return name.Length > 0 ? name : email ?? "(no name)";
    }
}
