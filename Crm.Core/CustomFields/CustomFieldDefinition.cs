using System.Globalization;
using System.Text.RegularExpressions;
using Crm.Core.Common;

namespace Crm.Core.CustomFields;

public enum CustomFieldType
{
    Text = 0,
    Number = 1,
    Date = 2,
    Boolean = 3,
}

/// <summary>A workspace-defined field of contacts, accounts or deals; values live on the record.</summary>
public sealed partial class CustomFieldDefinition : Entity, IWorkspaceOwned, ITimestamped
{
    /// <summary>Record types whose records keep custom field values.</summary>
    public static bool Holds(RecordType type) => type is RecordType.Contact or RecordType.Account or RecordType.Deal;

    public long WorkspaceId { get; set; }
    public RecordType RecordType { get; set; }
    /// <summary>Stable machine name (lower-case letters, digits, underscores) used in the API and in imports.</summary>
    public string Key { get; set; } = "";
    public string Label { get; set; } = "";
    public CustomFieldType Type { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public static bool IsValidKey(string key) => KeyPattern().IsMatch(key);

    /// <summary>Checks and normalises a value for this field; returns an error message or null.</summary>
    public string? Normalize(string value, out string normalized)
    {
        normalized = value.Trim();
        switch (Type)
        {
            case CustomFieldType.Number:
                // No thousands separators: "1,5" is a decimal comma mistake, not fifteen.
                if (!decimal.TryParse(normalized, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                    return $"{Label} must be a number (use a dot for decimals).";
                normalized = number.ToString(CultureInfo.InvariantCulture);
                return null;
            case CustomFieldType.Date:
                if (!DateOnly.TryParseExact(normalized, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    return $"{Label} must be a date written as yyyy-mm-dd.";
                normalized = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                return null;
            case CustomFieldType.Boolean:
                if (!bool.TryParse(normalized, out var flag)) return $"{Label} must be true or false.";
                normalized = flag ? "true" : "false";
                return null;
            default:
                return normalized.Length > FieldLimits.CustomFieldValue
                    ? $"{Label} must be at most {FieldLimits.CustomFieldValue} characters."
                    : null;
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex KeyPattern();
}
