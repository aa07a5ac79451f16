using System.ComponentModel.DataAnnotations;
using Crm.Core.Common;

namespace Crm.Core.Deals;

public sealed class DealInput : IValidatableObject
{
    [Required(ErrorMessage = "Enter the deal name."), MaxLength(FieldLimits.LongName)] public string? Name { get; set; }
    [Range(typeof(decimal), "0", "999999999999", ErrorMessage = "Amount must be between 0 and 999,999,999,999."), MaxDecimals(2)] public decimal? Amount { get; set; }
    [MaxLength(FieldLimits.Currency)] public string? Currency { get; set; }
    /// <summary>Null: the workspace's default pipeline.</summary>
    public long? PipelineId { get; set; }
    /// <summary>Null: the pipeline's first stage.</summary>
    public long? StageId { get; set; }
    public DateOnly? CloseDate { get; set; }
    /// <summary>Null: the stage's probability.</summary>
    [Range(0, 100, ErrorMessage = "Probability must be between 0 and 100.")] public int? Probability { get; set; }
    public long? OwnerId { get; set; }
    public long? AccountId { get; set; }
    [MaxLength(50, ErrorMessage = "A deal can have at most 50 contacts.")] public List<long>? ContactIds { get; set; }
    /// <summary>Custom field values by key; a null or empty value clears the field.</summary>
    [ListLimits(FieldLimits.MaxCustomFields, FieldLimits.CustomFieldValue)] public Dictionary<string, string?>? CustomFields { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Name) && Name is not null)
            yield return new ValidationResult("Enter the deal name.", [nameof(Name)]);
        if (Text.Clean(Currency) is { } currency && (currency.Length != 3 || !currency.All(char.IsAsciiLetter)))
            yield return new ValidationResult("Currency must be a three-letter ISO 4217 code such as USD or EUR.", [nameof(Currency)]);
    }
}
