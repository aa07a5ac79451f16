using System.ComponentModel.DataAnnotations;
using Crm.Core.Common;

namespace Crm.Core.Contacts;

/// <summary>What a person or API client sends to create or replace a contact. The edit form binds to it.</summary>
public sealed class ContactInput : IValidatableObject
{
    [MaxLength(FieldLimits.Name)] public string? FirstName { get; set; }
    [MaxLength(FieldLimits.Name)] public string? LastName { get; set; }
    [MaxLength(FieldLimits.Email), EmailFormat] public string? Email { get; set; }
    [ListLimits(FieldLimits.MaxAdditionalEmails, FieldLimits.Email), EmailFormat] public List<string>? AdditionalEmails { get; set; }
    [MaxLength(FieldLimits.Phone), PhoneFormat] public string? Phone { get; set; }
    [MaxLength(FieldLimits.Title)] public string? JobTitle { get; set; }
    public long? AccountId { get; set; }
    public Lifecycle Lifecycle { get; set; }
    [Range(0, 1000, ErrorMessage = "Lead score must be between 0 and 1000.")] public int? LeadScore { get; set; }
    [MaxLength(FieldLimits.ShortCode)] public string? ScoreTier { get; set; }
    public long? OwnerId { get; set; }
    [MaxLength(FieldLimits.Name)] public string? Source { get; set; }
    [MaxLength(FieldLimits.LongName)] public string? SourceDetail { get; set; }
    [MaxLength(FieldLimits.Url), HttpUrl] public string? LinkedInUrl { get; set; }
    [MaxLength(FieldLimits.Street)] public string? Street { get; set; }
    [MaxLength(FieldLimits.City)] public string? City { get; set; }
    [MaxLength(FieldLimits.City)] public string? Region { get; set; }
    [MaxLength(FieldLimits.PostalCode)] public string? PostalCode { get; set; }
    [MaxLength(FieldLimits.City)] public string? Country { get; set; }
    [ListLimits(FieldLimits.MaxCustomFields, FieldLimits.CustomFieldValue)] public Dictionary<string, string?>? CustomFields { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The seed: a contact needs at least one identifier.
        if (string.IsNullOrWhiteSpace(FirstName) && string.IsNullOrWhiteSpace(LastName) && string.IsNullOrWhiteSpace(Email))
            yield return new ValidationResult("Enter a first name, a last name or an email.", [nameof(FirstName), nameof(LastName), nameof(Email)]);
        if (!Enum.IsDefined(Lifecycle))
            yield return new ValidationResult("Lifecycle must be lead, mql, sql, opportunity or customer.", [nameof(Lifecycle)]);
    }
}
