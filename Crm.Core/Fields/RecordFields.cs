using System.Linq.Expressions;
using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.CustomFields;
using Crm.Core.Deals;
using Crm.Core.Exports;
using Crm.Core.Imports;

namespace Crm.Core.Fields;

/// <summary>
/// The fields of contacts, accounts and deals — the one list that import header matching, export columns, the
/// accessors imports and merges use, and the labels of history and merges are read from. Adding a field is one entry
/// here. The order is the order exports write columns in and pickers list fields in.
/// </summary>
public static class RecordFields
{
    public const string CustomPrefix = "custom.";

    private static readonly string[] OwnerSynonyms =
        ["owner", "owner email", "contact owner", "account owner", "company owner", "deal owner", "record owner", "assigned to", "sales rep", "hubspot owner", "person owner"];

    // Business and work addresses come before home ones: when a file has both, a CRM wants where the person works.
    private static IEnumerable<RecordField> Address<T>(Expression<Func<T, string?>> street, Action<T, string?> setStreet, Expression<Func<T, string?>> city, Action<T, string?> setCity,
        Expression<Func<T, string?>> region, Action<T, string?> setRegion, Expression<Func<T, string?>> postalCode, Action<T, string?> setPostalCode,
        Expression<Func<T, string?>> country, Action<T, string?> setCountry, bool exportedByDefault) where T : ITrackedRecord =>
    [
        Declare<T>.Property("street", "Street", street, setStreet)
            .Imported(ImportFieldKind.Text, FieldLimits.Street, false, null, "street", "street address", "address", "address line 1", "address 1 street", "address 1 formatted",
                "mailing street", "billing street", "business street", "work address", "home street", "home address", "street 1", "address street", "mailingstreet", "billingstreet")
            .Exported("Street", ExportKind.Text, false),
        Declare<T>.Property("city", "City", city, setCity)
            .Imported(ImportFieldKind.Text, FieldLimits.City, false, null, "city", "town", "address 1 city", "mailing city", "billing city", "business city", "work city", "home city",
                "mailingcity", "billingcity")
            .Exported("City", ExportKind.Text, exportedByDefault),
        Declare<T>.Property("region", "Region", region, setRegion)
            .Imported(ImportFieldKind.Text, FieldLimits.City, false, "Region / state", "state", "region", "state region", "province", "state province", "county", "address 1 region",
                "mailing state", "billing state", "business state", "work state", "home state", "mailingstate", "billingstate")
            .Exported("Region", ExportKind.Text, false),
        Declare<T>.Property("postalCode", "Postal code", postalCode, setPostalCode)
            .Imported(ImportFieldKind.Text, FieldLimits.PostalCode, false, null, "postal code", "postcode", "zip", "zip code", "zipcode", "address 1 postal code",
                "mailing postal code", "billing postal code", "business postal code", "work zip", "work zipcode", "home zip", "home zipcode", "mailingpostalcode", "billingpostalcode")
            .Exported("Postal Code", ExportKind.Text, false),
        Declare<T>.Property("country", "Country", country, setCountry)
            .Imported(ImportFieldKind.Text, FieldLimits.City, false, null, "country", "country region", "address 1 country", "mailing country", "billing country",
                "business country region", "work country", "home country", "mailingcountry", "billingcountry", "nation")
            .Exported("Country", ExportKind.Text, exportedByDefault),
    ];

    public static readonly IReadOnlyList<RecordField> Contact =
    [
        Declare<Contact>.Read("id", "Record ID", c => c.Id)
            .Imported(ImportFieldKind.Id, 0, true, null, "record id", "id", "contact id", "crm id").Exported("Record ID", ExportKind.Integer),
        Declare<Contact>.Property("firstName", "First name", c => c.FirstName, (c, v) => c.FirstName = v)
            .Imported(ImportFieldKind.Text, FieldLimits.Name, false, null, "first name", "firstname", "given name", "first", "forename", "name first", "person first name")
            .Exported("First Name", ExportKind.Text),
        Declare<Contact>.Property("lastName", "Last name", c => c.LastName, (c, v) => c.LastName = v)
            .Imported(ImportFieldKind.Text, FieldLimits.Name, false, null, "last name", "lastname", "surname", "family name", "last", "name last", "person last name")
            .Exported("Last Name", ExportKind.Text),
        Declare<Contact>.Virtual("fullName", "Full name")
            .Imported(ImportFieldKind.FullName, FieldLimits.Name * 2, false, "Full name (split into first and last)", "name", "full name", "display name", "contact name", "person name", "fullname"),
        Declare<Contact>.Property("email", "Email", c => c.Email, (c, v) => c.Email = v)
            .Imported(ImportFieldKind.Email, FieldLimits.Email, true, null, "email", "e mail", "email address", "e mail address", "e mail 1 value", "email 1", "email 1 value",
                "primary email", "work email", "business email", "email work", "person email", "contact email", "mail", "email home")
            .Exported("Email", ExportKind.Text),
        Declare<Contact>.Property("additionalEmails", "Other emails", c => c.AdditionalEmails, (c, v) => c.AdditionalEmails = v ?? [])
            .Imported(ImportFieldKind.EmailList, FieldLimits.Email, false, null, "other emails", "additional emails", "secondary email", "other email",
                "personal email", "e mail 2 address", "e mail 3 address", "e mail 2 value", "e mail 3 value", "e mail 4 value", "email 2", "email 3", "email other", "email work")
            .Exported("Other Emails", ExportKind.TextList, false),
        Declare<Contact>.Property("phone", "Phone", c => c.Phone, (c, v) => c.Phone = v)
            .Imported(ImportFieldKind.Phone, FieldLimits.Phone, true, null, "phone", "phone number", "primary phone", "mobile", "mobile phone", "mobile number", "mobile phone number",
                "business phone", "work phone", "telephone", "phone 1 value", "cell", "cell phone", "person phone", "home phone", "phone work")
            .Exported("Phone", ExportKind.Text),
        Declare<Contact>.Property("jobTitle", "Job title", c => c.JobTitle, (c, v) => c.JobTitle = v)
            .Imported(ImportFieldKind.Text, FieldLimits.Title, false, null, "job title", "title", "position", "job", "role", "organization title", "organization 1 title", "occupation")
            .Exported("Job Title", ExportKind.Text),
        Declare<Contact>.Property("lifecycle", "Lifecycle", c => c.Lifecycle, (c, v) => c.Lifecycle = v)
            .Imported(ImportFieldKind.Picklist, 0, false, "Lifecycle stage", "lifecycle", "lifecycle stage", "lifecyclestage", "stage", "contact stage")
            .Exported("Lifecycle Stage", ExportKind.Text),
        Declare<Contact>.Property("leadScore", "Lead score", c => c.LeadScore, (c, v) => c.LeadScore = v)
            .Imported(ImportFieldKind.Integer, 0, false, null, "lead score", "score", "hubspot score", "hubspotscore", "lead rating score")
            .Exported("Lead Score", ExportKind.Integer, false),
        Declare<Contact>.Property("scoreTier", "Score tier", c => c.ScoreTier, (c, v) => c.ScoreTier = v)
            .Imported(ImportFieldKind.Text, FieldLimits.ShortCode, false, "Score tier / lead status", "score tier", "lead status", "hs lead status", "rating", "lead rating", "tier")
            .Exported("Score Tier", ExportKind.Text, false),
        Declare<Contact>.Property("source", "Source", c => c.Source, (c, v) => c.Source = v)
            .Imported(ImportFieldKind.Text, FieldLimits.Name, false, null, "source", "lead source", "original source", "original source type", "hs analytics source", "leadsource")
            .Exported("Source", ExportKind.Text, false),
        Declare<Contact>.Property("sourceDetail", "Source detail", c => c.SourceDetail, (c, v) => c.SourceDetail = v)
            .Imported(ImportFieldKind.Text, FieldLimits.LongName, false, null, "source detail", "original source drill down 1", "hs analytics source data 1", "lead source detail")
            .Exported("Source Detail", ExportKind.Text, false),
        Declare<Contact>.Property("linkedInUrl", "LinkedIn URL", c => c.LinkedInUrl, (c, v) => c.LinkedInUrl = v)
            .Imported(ImportFieldKind.Url, FieldLimits.Url, true, null, "linkedin", "linkedin url", "linkedin profile", "linkedin profile url", "url", "profile url", "linkedin bio")
            .Exported("LinkedIn URL", ExportKind.Text, false),
        .. Address<Contact>(c => c.Street, (c, v) => c.Street = v, c => c.City, (c, v) => c.City = v, c => c.Region, (c, v) => c.Region = v,
            c => c.PostalCode, (c, v) => c.PostalCode = v, c => c.Country, (c, v) => c.Country = v, exportedByDefault: false),
        Declare<Contact>.Read("createdAt", "Created", c => c.CreatedAt).Exported("Created At", ExportKind.DateTime, false),
        Declare<Contact>.Read("updatedAt", "Updated", c => c.UpdatedAt).Exported("Updated At", ExportKind.DateTime, false),
        Declare<Contact>.Property("company", "Account", c => c.AccountId, (c, v) => c.AccountId = v)
            .Imported(ImportFieldKind.AccountName, FieldLimits.LongName, false, "Company (account by name)", "company", "company name", "organization", "organization name",
                "organization 1 name", "account", "account name", "employer", "associated company", "related company", "person organization", "company 1")
            .Exported("Company", ExportKind.Text, true, (Expression<Func<Contact, string?>>)(c => c.Account != null ? c.Account.Name : null), ExportGroup.Related),
        Declare<Contact>.Virtual("isCompany", "Is a company")
            .Imported(ImportFieldKind.CompanyFlag, 0, false, "Row is a company (becomes an account)", "is a company", "is company", "is_company", "iscompany",
                "company flag", "is an organization", "is organization", "is organisation"),
        Declare<Contact>.Virtual("companyDomain", "Account domain")
            .Imported(ImportFieldKind.AccountDomain, FieldLimits.LongName, false, "Company domain (account by domain)", "company domain", "company domain name", "domain", "company website")
            .Exported("Company Domain", ExportKind.Text, false, (Expression<Func<Contact, string?>>)(c => c.Account != null ? c.Account.Domain : null), ExportGroup.Related),
        Declare<Contact>.Property("owner", "Owner", c => c.OwnerId, (c, v) => c.OwnerId = v)
            .Imported(ImportFieldKind.Owner, 0, false, "Owner (email or name)", OwnerSynonyms)
            .Exported("Owner", ExportKind.Text, true, (Expression<Func<Contact, string?>>)(c => c.Owner != null ? c.Owner.Email : null), ExportGroup.Related),
        Declare<Contact>.Virtual("ownerName", "Owner name")
            .Exported("Owner Name", ExportKind.Text, false, (Expression<Func<Contact, string?>>)(c => c.Owner != null ? c.Owner.Name : null), ExportGroup.Related),
        Declare<Contact>.Property("customFields", "Custom fields", c => c.CustomFields, (c, v) => c.CustomFields = v ?? []),
    ];

    public static readonly IReadOnlyList<RecordField> Account =
    [
        Declare<Account>.Read("id", "Record ID", a => a.Id)
            .Imported(ImportFieldKind.Id, 0, true, null, "record id", "id", "account id", "company id").Exported("Record ID", ExportKind.Integer),
        Declare<Account>.Property("name", "Name", a => a.Name, (a, v) => a.Name = v ?? "")
            .Imported(ImportFieldKind.Text, FieldLimits.LongName, true, null, "name", "company", "company name", "account name", "organization", "organization name", "account", "business name")
            .Exported("Name", ExportKind.Text),
        Declare<Account>.Property("domain", "Domain", a => a.Domain, (a, v) => a.Domain = v)
            .Imported(ImportFieldKind.Domain, FieldLimits.LongName, true, "Domain / website", "domain", "company domain name", "website", "website url", "web site", "company website", "url",
                "web page", "homepage")
            .Exported("Domain", ExportKind.Text),
        Declare<Account>.Property("phone", "Phone", a => a.Phone, (a, v) => a.Phone = v)
            .Imported(ImportFieldKind.Phone, FieldLimits.Phone, false, null, "phone", "phone number", "company phone", "main phone", "telephone")
            .Exported("Phone", ExportKind.Text),
        Declare<Account>.Property("industry", "Industry", a => a.Industry, (a, v) => a.Industry = v)
            .Imported(ImportFieldKind.Text, FieldLimits.Name, false, null, "industry", "sector", "vertical")
            .Exported("Industry", ExportKind.Text),
        .. Address<Account>(a => a.Street, (a, v) => a.Street = v, a => a.City, (a, v) => a.City = v, a => a.Region, (a, v) => a.Region = v,
            a => a.PostalCode, (a, v) => a.PostalCode = v, a => a.Country, (a, v) => a.Country = v, exportedByDefault: true),
        Declare<Account>.Read("createdAt", "Created", a => a.CreatedAt).Exported("Created At", ExportKind.DateTime, false),
        Declare<Account>.Read("updatedAt", "Updated", a => a.UpdatedAt).Exported("Updated At", ExportKind.DateTime, false),
        Declare<Account>.Property("owner", "Owner", a => a.OwnerId, (a, v) => a.OwnerId = v)
            .Imported(ImportFieldKind.Owner, 0, false, "Owner (email or name)", OwnerSynonyms)
            .Exported("Owner", ExportKind.Text, true, (Expression<Func<Account, string?>>)(a => a.Owner != null ? a.Owner.Email : null), ExportGroup.Related),
        Declare<Account>.Virtual("ownerName", "Owner name")
            .Exported("Owner Name", ExportKind.Text, false, (Expression<Func<Account, string?>>)(a => a.Owner != null ? a.Owner.Name : null), ExportGroup.Related),
        Declare<Account>.Property("customFields", "Custom fields", a => a.CustomFields, (a, v) => a.CustomFields = v ?? []),
    ];

    public static readonly IReadOnlyList<RecordField> Deal =
    [
        Declare<Deal>.Read("id", "Record ID", d => d.Id)
            .Imported(ImportFieldKind.Id, 0, true, null, "record id", "id", "deal id", "opportunity id").Exported("Record ID", ExportKind.Integer),
        Declare<Deal>.Property("name", "Name", d => d.Name, (d, v) => d.Name = v ?? "")
            .Imported(ImportFieldKind.Text, FieldLimits.LongName, true, "Deal name", "deal name", "dealname", "opportunity name", "opportunity", "name", "deal", "title")
            .Exported("Deal Name", ExportKind.Text),
        Declare<Deal>.Property("amount", "Amount", d => d.Amount, (d, v) => d.Amount = v)
            .Imported(ImportFieldKind.Money, 0, false, null, "amount", "deal amount", "value", "deal value", "opportunity amount")
            .Exported("Amount", ExportKind.Decimal),
        Declare<Deal>.Property("currency", "Currency", d => d.Currency, (d, v) => d.Currency = v ?? "USD")
            .Imported(ImportFieldKind.Currency, FieldLimits.Currency, false, null, "currency", "currency code", "deal currency", "currencyisocode", "deal currency code")
            .Exported("Currency", ExportKind.Text),
        Declare<Deal>.Property("probability", "Probability", d => d.Probability, (d, v) => d.Probability = v)
            .Imported(ImportFieldKind.Percent, 0, false, "Probability %", "probability", "deal probability", "hs deal stage probability", "win probability")
            .Exported("Probability", ExportKind.Integer, false),
        Declare<Deal>.Property("closeDate", "Close date", d => d.CloseDate, (d, v) => d.CloseDate = v)
            .Imported(ImportFieldKind.Date, 0, false, null, "close date", "closedate", "expected close date", "close")
            .Exported("Close Date", ExportKind.Date),
        Declare<Deal>.Read("createdAt", "Created", d => d.CreatedAt).Exported("Created At", ExportKind.DateTime, false),
        Declare<Deal>.Read("updatedAt", "Updated", d => d.UpdatedAt).Exported("Updated At", ExportKind.DateTime, false),
        Declare<Deal>.Property("pipeline", "Pipeline", d => d.PipelineId, (d, v) => d.PipelineId = v)
            .Imported(ImportFieldKind.Pipeline, 0, false, "Pipeline (by name)", "pipeline", "deal pipeline")
            .Exported("Pipeline", ExportKind.Text, true, (Expression<Func<Deal, string>>)(d => d.Pipeline!.Name), ExportGroup.Related),
        Declare<Deal>.Property("stage", "Stage", d => d.StageId, (d, v) => d.StageId = v)
            .Imported(ImportFieldKind.Stage, 0, false, "Stage (by name)", "stage", "deal stage", "dealstage", "stage name", "stagename", "sales stage")
            .Exported("Deal Stage", ExportKind.Text, true, (Expression<Func<Deal, string>>)(d => d.Stage!.Name), ExportGroup.Related),
        Declare<Deal>.Property("company", "Account", d => d.AccountId, (d, v) => d.AccountId = v)
            .Imported(ImportFieldKind.AccountName, FieldLimits.LongName, false, "Company (account by name)", "company", "company name", "account", "account name", "associated company", "organization")
            .Exported("Company", ExportKind.Text, true, (Expression<Func<Deal, string?>>)(d => d.Account != null ? d.Account.Name : null), ExportGroup.Related),
        Declare<Deal>.Virtual("companyDomain", "Account domain")
            .Imported(ImportFieldKind.AccountDomain, FieldLimits.LongName, false, "Company domain (account by domain)", "company domain", "company domain name", "domain")
            .Exported("Company Domain", ExportKind.Text, false, (Expression<Func<Deal, string?>>)(d => d.Account != null ? d.Account.Domain : null), ExportGroup.Related),
        Declare<Deal>.Property("owner", "Owner", d => d.OwnerId, (d, v) => d.OwnerId = v)
            .Imported(ImportFieldKind.Owner, 0, false, "Owner (email or name)", OwnerSynonyms)
            .Exported("Owner", ExportKind.Text, true, (Expression<Func<Deal, string?>>)(d => d.Owner != null ? d.Owner.Email : null), ExportGroup.Related),
        Declare<Deal>.Virtual("ownerName", "Owner name")
            .Exported("Owner Name", ExportKind.Text, false, (Expression<Func<Deal, string?>>)(d => d.Owner != null ? d.Owner.Name : null), ExportGroup.Related),
        Declare<Deal>.Virtual("contactEmails", "Contacts")
            .Imported(ImportFieldKind.ContactEmails, FieldLimits.Email, false, "Contacts (by email)", "contact email", "contact emails", "contact", "associated contact", "person email", "contacts")
            .Exported("Contacts", ExportKind.TextList, false,
                (Expression<Func<Deal, List<string?>>>)(d => d.Contacts.Where(c => c.Contact!.Email != null).Select(c => c.Contact!.Email).ToList()), ExportGroup.Related),
        Declare<Deal>.Property("customFields", "Custom fields", d => d.CustomFields, (d, v) => d.CustomFields = v ?? []),
    ];

    public static IReadOnlyList<RecordField> For(RecordType type) => type switch
    {
        RecordType.Contact => Contact,
        RecordType.Account => Account,
        RecordType.Deal => Deal,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>A workspace's custom field, as a field of its record type: imported and exported under its label.</summary>
    public static RecordField Custom(CustomFieldView field) => new()
    {
        Key = CustomPrefix + field.Key,
        Label = field.Label,
        Import = new RecordFieldImport(field.Type switch
        {
            CustomFieldType.Number => ImportFieldKind.Decimal,
            CustomFieldType.Date => ImportFieldKind.Date,
            CustomFieldType.Boolean => ImportFieldKind.Boolean,
            _ => ImportFieldKind.Text,
        }, FieldLimits.CustomFieldValue, field.Type == CustomFieldType.Text, field.Label + " (custom)", [field.Label, field.Key]),
        Export = new RecordFieldExport(field.Label + " (custom)", field.Type switch
        {
            CustomFieldType.Number => ExportKind.Decimal,
            CustomFieldType.Date => ExportKind.Date,
            CustomFieldType.Boolean => ExportKind.Boolean,
            _ => ExportKind.Text,
        }, false, ExportGroup.Custom, null),
    };

    /// <summary>What people call an entity property in history and merges ("AccountId" → "Account"), across record types.</summary>
    public static string LabelOf(string property) =>
        Labels.TryGetValue(property, out var label) ? label
        : System.Text.RegularExpressions.Regex.Replace(property, "(?<=[a-z])([A-Z])", " $1") switch { var s => s[0] + s[1..].ToLowerInvariant() };

    private static readonly Dictionary<string, string> Labels = Contact.Concat(Account).Concat(Deal)
        .Where(f => f.Property is not null).GroupBy(f => f.Property!).ToDictionary(g => g.Key, g => g.First().Label, StringComparer.Ordinal);
}
