using System.ComponentModel.DataAnnotations;
using Crm.Core.Common;

namespace Crm.Core.Accounts;

public sealed class AccountInput : IValidatableObject
{
    [Required(ErrorMessage = "Enter the company name."), MaxLength(FieldLimits.LongName)] public string? Name { get; set; }
    [MaxLength(FieldLimits.LongName)] public string? Domain { get; set; }
    [MaxLength(FieldLimits.Phone), PhoneFormat] public string? Phone { get; set; }
    [MaxLength(FieldLimits.Name)] public string? Industry { get; set; }
    [MaxLength(FieldLimits.Street)] public string? Street { get; set; }
    [MaxLength(FieldLimits.City)] public string? City { get; set; }
    [MaxLength(FieldLimits.City)] public string? Region { get; set; }
    [MaxLength(FieldLimits.PostalCode)] public string? PostalCode { get; set; }
    [MaxLength(FieldLimits.City)] public string? Country { get; set; }
    public long? OwnerId { get; set; }
    /// <summary>Custom field values by key; a null or empty value clears the field.</summary>
    [ListLimits(FieldLimits.MaxCustomFields, FieldLimits.CustomFieldValue)] public Dictionary<string, string?>? CustomFields { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Name) && Name is not null)
            yield return new ValidationResult("Enter the company name.", [nameof(Name)]);
        if (Domains.Normalize(Domain) is { } domain && !Domains.IsValid(domain))
            yield return new ValidationResult("Enter a domain like acme.com.", [nameof(Domain)]);
    }
}
