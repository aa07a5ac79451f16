using Crm.Core.Common;
using Crm.Core.Contacts;

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
}

/// <summary>A field a column can be mapped to.</summary>
public sealed record ImportField(string Key, string Label, ImportFieldKind Kind, int MaxLength = 0, bool CanMatch = false, params string[] Synonyms)
{
    public bool AllowsSeveralColumns => Kind is ImportFieldKind.EmailList or ImportFieldKind.ContactEmails;
    public bool IsCustom => Key.StartsWith(ImportFields.CustomPrefix, StringComparison.Ordinal);
}

/// <summary>The fields of each record type an import can fill, with the header names other systems use for them.</summary>
public static class ImportFields
{
    public const string CustomPrefix = "custom.";

    public static readonly IReadOnlyList<string> LifecycleValues = Enum.GetNames<Lifecycle>().Select(n => n.ToLowerInvariant()).ToArray();

    // Business and work addresses come before home ones: when a file has both, a CRM wants where the person works.
    private static readonly ImportField[] Address =
    [
        new("street", "Street", ImportFieldKind.Text, FieldLimits.Street, false, "street", "street address", "address", "address line 1", "address 1 street", "address 1 formatted",
            "mailing street", "billing street", "business street", "work address", "home street", "home address", "street 1", "address street", "mailingstreet", "billingstreet"),
        new("city", "City", ImportFieldKind.Text, FieldLimits.City, false, "city", "town", "address 1 city", "mailing city", "billing city", "business city", "work city", "home city", "mailingcity", "billingcity"),
        new("region", "Region / state", ImportFieldKind.Text, FieldLimits.City, false, "state", "region", "state region", "province", "state province", "county", "address 1 region",
            "mailing state", "billing state", "business state", "work state", "home state", "mailingstate", "billingstate"),
        new("postalCode", "Postal code", ImportFieldKind.Text, FieldLimits.PostalCode, false, "postal code", "postcode", "zip", "zip code", "zipcode", "address 1 postal code",
            "mailing postal code", "billing postal code", "business postal code", "work zip", "work zipcode", "home zip", "home zipcode", "mailingpostalcode", "billingpostalcode"),
        new("country", "Country", ImportFieldKind.Text, FieldLimits.City, false, "country", "country region", "address 1 country", "mailing country", "billing country",
            "business country region", "work country", "home country", "mailingcountry", "billingcountry", "nation"),
    ];

    private static readonly ImportField Owner = new("owner", "Owner (email or name)", ImportFieldKind.Owner, 0, false,
        "owner", "owner email", "contact owner", "account owner", "company owner", "deal owner", "record owner", "assigned to", "sales rep", "hubspot owner", "person owner");

    public static readonly IReadOnlyList<ImportField> Contact =
    [
        new("id", "Record ID", ImportFieldKind.Id, 0, true, "record id", "id", "contact id", "crm id"),
        new("firstName", "First name", ImportFieldKind.Text, FieldLimits.Name, false, "first name", "firstname", "given name", "first", "forename", "name first", "person first name"),
        new("lastName", "Last name", ImportFieldKind.Text, FieldLimits.Name, false, "last name", "lastname", "surname", "family name", "last", "name last", "person last name"),
        new("fullName", "Full name (split into first and last)", ImportFieldKind.FullName, FieldLimits.Name * 2, false, "name", "full name", "display name", "contact name", "person name", "fullname"),
        new("email", "Email", ImportFieldKind.Email, FieldLimits.Email, true, "email", "e mail", "email address", "e mail address", "e mail 1 value", "email 1", "email 1 value",
            "primary email", "work email", "business email", "email work", "person email", "contact email", "mail", "email home"),
        new("additionalEmails", "Other emails", ImportFieldKind.EmailList, FieldLimits.Email, false, "other emails", "additional emails", "secondary email", "other email",
            "personal email", "e mail 2 address", "e mail 3 address", "e mail 2 value", "e mail 3 value", "e mail 4 value", "email 2", "email 3", "email other", "email work"),
        new("phone", "Phone", ImportFieldKind.Phone, FieldLimits.Phone, true, "phone", "phone number", "primary phone", "mobile", "mobile phone", "mobile number", "mobile phone number",
            "business phone", "work phone", "telephone", "phone 1 value", "cell", "cell phone", "person phone", "home phone", "phone work"),
        new("jobTitle", "Job title", ImportFieldKind.Text, FieldLimits.Title, false, "job title", "title", "position", "job", "role", "organization title", "organization 1 title", "occupation"),
        new("company", "Company (account by name)", ImportFieldKind.AccountName, FieldLimits.LongName, false, "company", "company name", "organization", "organization name",
            "organization 1 name", "account", "account name", "employer", "associated company", "related company", "person organization", "company 1"),
        new("companyDomain", "Company domain (account by domain)", ImportFieldKind.AccountDomain, FieldLimits.LongName, false, "company domain", "company domain name", "domain", "company website"),
        new("lifecycle", "Lifecycle stage", ImportFieldKind.Picklist, 0, false, "lifecycle", "lifecycle stage", "lifecyclestage", "stage", "contact stage"),
        new("leadScore", "Lead score", ImportFieldKind.Integer, 0, false, "lead score", "score", "hubspot score", "hubspotscore", "lead rating score"),
        new("scoreTier", "Score tier / lead status", ImportFieldKind.Text, FieldLimits.ShortCode, false, "score tier", "lead status", "hs lead status", "rating", "lead rating", "tier"),
        Owner,
        new("source", "Source", ImportFieldKind.Text, FieldLimits.Name, false, "source", "lead source", "original source", "original source type", "hs analytics source", "leadsource"),
        new("sourceDetail", "Source detail", ImportFieldKind.Text, FieldLimits.LongName, false, "source detail", "original source drill down 1", "hs analytics source data 1", "lead source detail"),
        new("linkedInUrl", "LinkedIn URL", ImportFieldKind.Url, FieldLimits.Url, true, "linkedin", "linkedin url", "linkedin profile", "linkedin profile url", "url", "profile url", "linkedin bio"),
        .. Address,
    ];

    public static readonly IReadOnlyList<ImportField> Account =
    [
        new("id", "Record ID", ImportFieldKind.Id, 0, true, "record id", "id", "account id", "company id"),
        new("name", "Name", ImportFieldKind.Text, FieldLimits.LongName, true, "name", "company", "company name", "account name", "organization", "organization name", "account", "business name"),
        new("domain", "Domain / website", ImportFieldKind.Domain, FieldLimits.LongName, true, "domain", "company domain name", "website", "website url", "web site", "company website", "url", "web page", "homepage"),
        new("phone", "Phone", ImportFieldKind.Phone, FieldLimits.Phone, false, "phone", "phone number", "company phone", "main phone", "telephone"),
        new("industry", "Industry", ImportFieldKind.Text, FieldLimits.Name, false, "industry", "sector", "vertical"),
        .. Address,
        Owner,
    ];

    public static readonly IReadOnlyList<ImportField> Deal =
    [
        new("id", "Record ID", ImportFieldKind.Id, 0, true, "record id", "id", "deal id", "opportunity id"),
        new("name", "Deal name", ImportFieldKind.Text, FieldLimits.LongName, true, "deal name", "dealname", "opportunity name", "opportunity", "name", "deal", "title"),
        new("amount", "Amount", ImportFieldKind.Money, 0, false, "amount", "deal amount", "value", "deal value", "opportunity amount"),
        new("currency", "Currency", ImportFieldKind.Currency, FieldLimits.Currency, false, "currency", "currency code", "deal currency", "currencyisocode", "deal currency code"),
        new("pipeline", "Pipeline (by name)", ImportFieldKind.Pipeline, 0, false, "pipeline", "deal pipeline"),
        new("stage", "Stage (by name)", ImportFieldKind.Stage, 0, false, "stage", "deal stage", "dealstage", "stage name", "stagename", "sales stage"),
        new("closeDate", "Close date", ImportFieldKind.Date, 0, false, "close date", "closedate", "expected close date", "close"),
        new("probability", "Probability %", ImportFieldKind.Percent, 0, false, "probability", "deal probability", "hs deal stage probability", "win probability"),
        Owner,
        new("company", "Company (account by name)", ImportFieldKind.AccountName, FieldLimits.LongName, false, "company", "company name", "account", "account name", "associated company", "organization"),
        new("companyDomain", "Company domain (account by domain)", ImportFieldKind.AccountDomain, FieldLimits.LongName, false, "company domain", "company domain name", "domain"),
        new("contactEmails", "Contacts (by email)", ImportFieldKind.ContactEmails, FieldLimits.Email, false, "contact email", "contact emails", "contact", "associated contact", "person email", "contacts"),
    ];

    public static IReadOnlyList<ImportField> For(RecordType type) => type switch
    {
        RecordType.Contact => Contact,
        RecordType.Account => Account,
        RecordType.Deal => Deal,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>The catalog plus the workspace's custom fields of that record type.</summary>
    public static IReadOnlyList<ImportField> For(RecordType type, IEnumerable<CustomFields.CustomFieldView> customFields) =>
        [.. For(type), .. customFields.Select(Custom)];

    public static ImportField Custom(CustomFields.CustomFieldView field) =>
        new(CustomPrefix + field.Key, field.Label + " (custom)", field.Type switch
        {
            CustomFields.CustomFieldType.Number => ImportFieldKind.Decimal,
            CustomFields.CustomFieldType.Date => ImportFieldKind.Date,
            CustomFields.CustomFieldType.Boolean => ImportFieldKind.Boolean,
            _ => ImportFieldKind.Text,
        }, FieldLimits.CustomFieldValue, field.Type == CustomFields.CustomFieldType.Text, field.Label, field.Key);

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
