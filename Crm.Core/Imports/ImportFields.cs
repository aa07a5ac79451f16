using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Fields;

namespace Crm.Core.Imports;

public enum ImportFieldKind
{
    Text, Email, EmailList, Phone, Url, Domain, Date, Integer, Money, Percent, Decimal, Boolean, Picklist, Currency,
    /// <summary>Our own record id (exports carry it, so re-imports match by it).</summary>
    Id,
    /// <summary>"Ada Lovelace" or "Lovelace, Ada", split into first and last name.</summary>
    FullName,
    /// <summary>An account found (or created) by company name.</summary>
    AccountName,
    /// <summary>An account found (or created) by domain.</summary>
    AccountDomain,
    /// <summary>A user found by email or name.</summary>
    Owner,
    Pipeline,
    Stage,
    /// <summary>Contacts linked to a deal, found by email.</summary>
    ContactEmails,
    /// <summary>Yes/no: the row is a company, not a person (Odoo's "Is a company"): it becomes or links an account.</summary>
    CompanyFlag,
}

/// <summary>A field a column can be mapped to.</summary>
public sealed record ImportField(string Key, string Label, ImportFieldKind Kind, int MaxLength = 0, bool CanMatch = false, params string[] Synonyms)
{
    public bool AllowsSeveralColumns => Kind is ImportFieldKind.EmailList or ImportFieldKind.ContactEmails;
    public bool IsCustom => Key.StartsWith(ImportFields.CustomPrefix, StringComparison.Ordinal);
}

/// <summary>The fields of each record type an import can fill (those of <see cref="RecordFields"/> with an import side), with the header names other systems use for them.</summary>
public static class ImportFields
{
    public const string CustomPrefix = RecordFields.CustomPrefix;

    public static readonly IReadOnlyList<string> LifecycleValues = Lifecycles.InOrder.Select(n => n.ToString().ToLowerInvariant()).ToArray();

    public static readonly IReadOnlyList<ImportField> Contact = Of(RecordFields.Contact);

    public static readonly IReadOnlyList<ImportField> Account = Of(RecordFields.Account);

    public static readonly IReadOnlyList<ImportField> Deal = Of(RecordFields.Deal);

    private static ImportField[] Of(IReadOnlyList<RecordField> fields) => fields.Where(f => f.Import is not null).Select(f => f.ToImportField()).ToArray();

    public static IReadOnlyList<ImportField> For(RecordType type) => type switch
    {
        RecordType.Contact => Contact,
        RecordType.Account => Account,
        RecordType.Deal => Deal,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>The catalog plus the workspace's custom fields of that record type.</summary>
    /// <remarks>Only for a type whose records keep custom values: a column mapped to one elsewhere would be dropped.</remarks>
    public static IReadOnlyList<ImportField> For(RecordType type, IEnumerable<CustomFields.CustomFieldView> customFields) =>
        [.. For(type), .. (CustomFields.CustomFieldDefinition.Holds(type) ? customFields.Select(Custom) : [])];

    public static ImportField Custom(CustomFields.CustomFieldView field) => RecordFields.Custom(field).ToImportField();

    /// <summary>The default match field: email for contacts, domain then name for accounts, name for deals.</summary>
    public static string DefaultMatchField(RecordType type, IEnumerable<string?> mappedFields)
    {
        var mapped = mappedFields.ToHashSet();
        return type switch
        {
            RecordType.Contact => "email",
            RecordType.Account => mapped.Contains("domain") ? "domain" : "name",
            _ => mapped.Contains("id") ? "id" : "name",
        };
    }
}
