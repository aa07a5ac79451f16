using System.Linq.Expressions;
using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.CustomFields;
using Crm.Core.Deals;
using Crm.Core.Timeline;

namespace Crm.Core.Exports;

/// <summary>How a column's values are written: typed in XLSX and JSON, formatted (and guarded) text in CSV.</summary>
public enum ExportKind
{
    Text,
    /// <summary>Several texts, joined with "; " in CSV and XLSX, an array in JSON.</summary>
    TextList,
    Integer,
    Decimal,
    Date,
    DateTime,
    Boolean,
}

public enum ExportGroup
{
    /// <summary>The record's own fields.</summary>
    Record,
    /// <summary>Fields of records it points to (its account, its owner).</summary>
    Related,
    Custom,
}

/// <summary>
/// A column an export can have: its key, its header (named as our import expects it, so an exported file maps itself
/// when imported back), how it is written, and where its value comes from.
/// </summary>
public sealed record ExportField(string Key, string Header, ExportKind Kind, ExportGroup Group, bool Default, LambdaExpression? Value)
{
    public bool IsCustom => Group == ExportGroup.Custom;
}

/// <summary>The columns each object type can export, record ids included so a re-import matches by id.</summary>
public static class ExportFields
{
    public const string CustomPrefix = "custom.";

    private static ExportField F<T, TValue>(string key, string header, ExportKind kind, Expression<Func<T, TValue>> value, bool isDefault = true, ExportGroup group = ExportGroup.Record) =>
        new(key, header, kind, group, isDefault, value);

    private static ExportField R<T, TValue>(string key, string header, ExportKind kind, Expression<Func<T, TValue>> value, bool isDefault = true) =>
        new(key, header, kind, ExportGroup.Related, isDefault, value);

    public static readonly IReadOnlyList<ExportField> Contact =
    [
        F<Contact, long>("id", "Record ID", ExportKind.Integer, c => c.Id),
        F<Contact, string?>("firstName", "First Name", ExportKind.Text, c => c.FirstName),
        F<Contact, string?>("lastName", "Last Name", ExportKind.Text, c => c.LastName),
        F<Contact, string?>("email", "Email", ExportKind.Text, c => c.Email),
        F<Contact, List<string>>("additionalEmails", "Other Emails", ExportKind.TextList, c => c.AdditionalEmails, false),
        F<Contact, string?>("phone", "Phone", ExportKind.Text, c => c.Phone),
        F<Contact, string?>("jobTitle", "Job Title", ExportKind.Text, c => c.JobTitle),
        F<Contact, Lifecycle>("lifecycle", "Lifecycle Stage", ExportKind.Text, c => c.Lifecycle),
        F<Contact, int?>("leadScore", "Lead Score", ExportKind.Integer, c => c.LeadScore, false),
        F<Contact, string?>("scoreTier", "Score Tier", ExportKind.Text, c => c.ScoreTier, false),
        F<Contact, string?>("source", "Source", ExportKind.Text, c => c.Source, false),
        F<Contact, string?>("sourceDetail", "Source Detail", ExportKind.Text, c => c.SourceDetail, false),
        F<Contact, string?>("linkedInUrl", "LinkedIn URL", ExportKind.Text, c => c.LinkedInUrl, false),
        F<Contact, string?>("street", "Street", ExportKind.Text, c => c.Street, false),
        F<Contact, string?>("city", "City", ExportKind.Text, c => c.City, false),
        F<Contact, string?>("region", "Region", ExportKind.Text, c => c.Region, false),
        F<Contact, string?>("postalCode", "Postal Code", ExportKind.Text, c => c.PostalCode, false),
        F<Contact, string?>("country", "Country", ExportKind.Text, c => c.Country, false),
        F<Contact, DateTimeOffset>("createdAt", "Created At", ExportKind.DateTime, c => c.CreatedAt, false),
        F<Contact, DateTimeOffset>("updatedAt", "Updated At", ExportKind.DateTime, c => c.UpdatedAt, false),
        R<Contact, string?>("company", "Company", ExportKind.Text, c => c.Account != null ? c.Account.Name : null),
        R<Contact, string?>("companyDomain", "Company Domain", ExportKind.Text, c => c.Account != null ? c.Account.Domain : null, false),
        R<Contact, string?>("owner", "Owner", ExportKind.Text, c => c.Owner != null ? c.Owner.Email : null),
        R<Contact, string?>("ownerName", "Owner Name", ExportKind.Text, c => c.Owner != null ? c.Owner.Name : null, false),
    ];

    public static readonly IReadOnlyList<ExportField> Account =
    [
        F<Account, long>("id", "Record ID", ExportKind.Integer, a => a.Id),
        F<Account, string>("name", "Name", ExportKind.Text, a => a.Name),
        F<Account, string?>("domain", "Domain", ExportKind.Text, a => a.Domain),
        F<Account, string?>("phone", "Phone", ExportKind.Text, a => a.Phone),
        F<Account, string?>("industry", "Industry", ExportKind.Text, a => a.Industry),
        F<Account, string?>("street", "Street", ExportKind.Text, a => a.Street, false),
        F<Account, string?>("city", "City", ExportKind.Text, a => a.City),
        F<Account, string?>("region", "Region", ExportKind.Text, a => a.Region, false),
        F<Account, string?>("postalCode", "Postal Code", ExportKind.Text, a => a.PostalCode, false),
        F<Account, string?>("country", "Country", ExportKind.Text, a => a.Country),
        F<Account, DateTimeOffset>("createdAt", "Created At", ExportKind.DateTime, a => a.CreatedAt, false),
        F<Account, DateTimeOffset>("updatedAt", "Updated At", ExportKind.DateTime, a => a.UpdatedAt, false),
        R<Account, string?>("owner", "Owner", ExportKind.Text, a => a.Owner != null ? a.Owner.Email : null),
        R<Account, string?>("ownerName", "Owner Name", ExportKind.Text, a => a.Owner != null ? a.Owner.Name : null, false),
    ];

    public static readonly IReadOnlyList<ExportField> Deal =
    [
        F<Deal, long>("id", "Record ID", ExportKind.Integer, d => d.Id),
        F<Deal, string>("name", "Deal Name", ExportKind.Text, d => d.Name),
        F<Deal, decimal?>("amount", "Amount", ExportKind.Decimal, d => d.Amount),
        F<Deal, string>("currency", "Currency", ExportKind.Text, d => d.Currency),
        F<Deal, int>("probability", "Probability", ExportKind.Integer, d => d.Probability, false),
        F<Deal, DateOnly?>("closeDate", "Close Date", ExportKind.Date, d => d.CloseDate),
        F<Deal, DateTimeOffset>("createdAt", "Created At", ExportKind.DateTime, d => d.CreatedAt, false),
        F<Deal, DateTimeOffset>("updatedAt", "Updated At", ExportKind.DateTime, d => d.UpdatedAt, false),
        R<Deal, string>("pipeline", "Pipeline", ExportKind.Text, d => d.Pipeline!.Name),
        R<Deal, string>("stage", "Deal Stage", ExportKind.Text, d => d.Stage!.Name),
        R<Deal, string?>("company", "Company", ExportKind.Text, d => d.Account != null ? d.Account.Name : null),
        R<Deal, string?>("companyDomain", "Company Domain", ExportKind.Text, d => d.Account != null ? d.Account.Domain : null, false),
        R<Deal, string?>("owner", "Owner", ExportKind.Text, d => d.Owner != null ? d.Owner.Email : null),
        R<Deal, string?>("ownerName", "Owner Name", ExportKind.Text, d => d.Owner != null ? d.Owner.Name : null, false),
        R<Deal, List<string?>>("contactEmails", "Contacts", ExportKind.TextList, d => d.Contacts.Where(c => c.Contact!.Email != null).Select(c => c.Contact!.Email).ToList(), false),
    ];

    public static readonly IReadOnlyList<ExportField> Activity =
    [
        F<Activity, long>("id", "Record ID", ExportKind.Integer, a => a.Id),
        F<Activity, ActivityType>("type", "Type", ExportKind.Text, a =>
            a is NoteActivity ? ActivityType.Note : a is TaskActivity ? ActivityType.Task : a is CallActivity ? ActivityType.Call : a is EmailActivity ? ActivityType.Email : ActivityType.Meeting),
        F<Activity, DateTimeOffset>("occurredAt", "Occurred At", ExportKind.DateTime, a => a.OccurredAt),
        F<Activity, string?>("subject", "Subject", ExportKind.Text, a =>
            a is TaskActivity ? ((TaskActivity)a).Title : a is EmailActivity ? ((EmailActivity)a).Subject : a is MeetingActivity ? ((MeetingActivity)a).Title : null),
        F<Activity, string?>("details", "Details", ExportKind.Text, a =>
            a is NoteActivity ? ((NoteActivity)a).Body : a is TaskActivity ? ((TaskActivity)a).Notes : a is CallActivity ? ((CallActivity)a).Notes
            : a is EmailActivity ? ((EmailActivity)a).Body : a is MeetingActivity ? ((MeetingActivity)a).Description : null),
        F<Activity, bool?>("done", "Done", ExportKind.Boolean, a => a is TaskActivity ? ((TaskActivity)a).IsDone : null, false),
        F<Activity, DateTimeOffset?>("dueAt", "Due At", ExportKind.DateTime, a => a is TaskActivity ? ((TaskActivity)a).DueAt : null, false),
        F<Activity, ActivityDirection?>("direction", "Direction", ExportKind.Text, a =>
            a is CallActivity ? ((CallActivity)a).Direction : a is EmailActivity ? ((EmailActivity)a).Direction : null, false),
        F<Activity, int?>("durationSeconds", "Duration (s)", ExportKind.Integer, a => a is CallActivity ? ((CallActivity)a).DurationSeconds : null, false),
        F<Activity, DateTimeOffset>("createdAt", "Created At", ExportKind.DateTime, a => a.CreatedAt, false),
        R<Activity, string?>("contact", "Contact Email", ExportKind.Text, a => a.Contact != null ? a.Contact.Email : null),
        R<Activity, string?>("contactName", "Contact", ExportKind.Text, a => a.Contact != null ? (a.Contact.FirstName + " " + a.Contact.LastName).Trim() : null),
        R<Activity, string?>("company", "Company", ExportKind.Text, a => a.Account != null ? a.Account.Name : null),
        R<Activity, string?>("deal", "Deal", ExportKind.Text, a => a.Deal != null ? a.Deal.Name : null, false),
        R<Activity, string?>("owner", "Owner", ExportKind.Text, a => a.Owner != null ? a.Owner.Email : null),
    ];

    /// <summary>The catalog of an object type, with the workspace's custom fields (contacts have them).</summary>
    public static IReadOnlyList<ExportField> For(ExportObject type, IEnumerable<CustomFieldView>? customFields = null) => type switch
    {
        ExportObject.Contact => [.. Contact, .. (customFields ?? []).Where(f => f.RecordType == RecordType.Contact).Select(Custom)],
        ExportObject.Account => Account,
        ExportObject.Deal => Deal,
        _ => Activity,
    };

    /// <summary>A custom field's column; its header is the label our import shows for it.</summary>
    public static ExportField Custom(CustomFieldView field) =>
        new(CustomPrefix + field.Key, field.Label + " (custom)", field.Type switch
        {
            CustomFieldType.Number => ExportKind.Decimal,
            CustomFieldType.Date => ExportKind.Date,
            CustomFieldType.Boolean => ExportKind.Boolean,
            _ => ExportKind.Text,
        }, ExportGroup.Custom, false, null);

    public static IReadOnlyList<string> Defaults(ExportObject type) => For(type).Where(f => f.Default).Select(f => f.Key).ToList();

    public static string Plural(ExportObject type) => type switch
    {
        ExportObject.Contact => "contacts",
        ExportObject.Account => "accounts",
        ExportObject.Deal => "deals",
        _ => "activities",
    };
}
