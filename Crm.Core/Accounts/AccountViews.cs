using Crm.Core.Common;

namespace Crm.Core.Accounts;

public sealed record AccountListItem(
    long Id, string Name, string? Domain, string? Industry, string? City, string? Country,
    long? OwnerId, string? OwnerName, int ContactCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record AccountDetails(
    long Id, string Name, string? Domain, string? Phone, string? Industry,
    string? Street, string? City, string? Region, string? PostalCode, string? Country,
    long? OwnerId, string? OwnerName, IReadOnlyDictionary<string, string> CustomFields,
    int Version, ChangeSource CreatedSource, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public AccountInput ToInput() => new()
    {
        Name = Name, Domain = Domain, Phone = Phone, Industry = Industry, Street = Street, City = City,
        Region = Region, PostalCode = PostalCode, Country = Country, OwnerId = OwnerId,
        CustomFields = CustomFields.ToDictionary(kv => kv.Key, kv => (string?)kv.Value),
    };
}
