using Crm.Core.Common;

namespace Crm.Core.Contacts;

public sealed record ContactListItem(
    long Id,
    string? FirstName,
    string? LastName,
    string? Email,
    string? Phone,
    string? JobTitle,
    long? AccountId,
    string? AccountName,
    Lifecycle Lifecycle,
    int? LeadScore,
    long? OwnerId,
    string? OwnerName,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public string DisplayName => ContactNames.Display(FirstName, LastName, Email);
}

public sealed record ContactDetails(
    long Id,
    string? FirstName,
    string? LastName,
    string? Email,
    IReadOnlyList<string> AdditionalEmails,
    string? Phone,
    string? JobTitle,
    long? AccountId,
    string? AccountName,
    Lifecycle Lifecycle,
    int? LeadScore,
    string? ScoreTier,
    long? OwnerId,
    string? OwnerName,
    string? Source,
    string? SourceDetail,
    string? LinkedInUrl,
    string? Street,
    string? City,
    string? Region,
    string? PostalCode,
    string? Country,
    IReadOnlyDictionary<string, string> CustomFields,
    int Version,
    ChangeSource CreatedSource,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public string DisplayName => ContactNames.Display(FirstName, LastName, Email);

    public ContactInput ToInput() => new()
    {
        FirstName = FirstName, LastName = LastName, Email = Email, AdditionalEmails = [.. AdditionalEmails],
        Phone = Phone, JobTitle = JobTitle, AccountId = AccountId, Lifecycle = Lifecycle, LeadScore = LeadScore,
        ScoreTier = ScoreTier, OwnerId = OwnerId, Source = Source, SourceDetail = SourceDetail, LinkedInUrl = LinkedInUrl,
        Street = Street, City = City, Region = Region, PostalCode = PostalCode, Country = Country,
        CustomFields = CustomFields.ToDictionary(kv => kv.Key, kv => (string?)kv.Value),
    };
}
