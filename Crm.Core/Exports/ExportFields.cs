using System.Linq.Expressions;
using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.CustomFields;
using Crm.Core.Deals;
using Crm.Core.Fields;
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
    public const string CustomPrefix = RecordFields.CustomPrefix;

    private static ExportField F<T, TValue>(string key, string header, ExportKind kind, Expression<Func<T, TValue>> value, bool isDefault = true, ExportGroup group = ExportGroup.Record) =>
        new(key, header, kind, group, isDefault, value);

    private static ExportField R<T, TValue>(string key, string header, ExportKind kind, Expression<Func<T, TValue>> value, bool isDefault = true) =>
        new(key, header, kind, ExportGroup.Related, isDefault, value);

    public static readonly IReadOnlyList<ExportField> Contact = Of(RecordFields.Contact);

    public static readonly IReadOnlyList<ExportField> Account = Of(RecordFields.Account);

    public static readonly IReadOnlyList<ExportField> Deal = Of(RecordFields.Deal);

    private static ExportField[] Of(IReadOnlyList<RecordField> fields) => fields.Where(f => f.Export is not null).Select(f => f.ToExportField()).ToArray();

    // Activities are not records with fields people edit, so their columns are listed here rather than in RecordFields.
    public static readonly IReadOnlyList<ExportField> Activity =
    [
        F<Activity, long>("id", "Record ID", ExportKind.Integer, a => a.Id),
        F<Activity, ActivityType>("type", "Type", ExportKind.Text, a =>
            a is NoteActivity ? ActivityType.Note : a is TaskActivity ? ActivityType.Task : a is CallActivity ? ActivityType.Call : a is EmailActivity ? ActivityType.Email : ActivityType.Meeting),
        F<Activity, DateTimeOffset>("occurredAt", "Occurred At", ExportKind.DateTime, a => a.OccurredAt),
        F<Activity, string?>("subject", "Subject", ExportKind.Text, a =>
            a is TaskActivity ? ((TaskActivity)a).Title : a is EmailActivity ? ((EmailActivity)a).Subject : a is MeetingActivity ? ((MeetingActivity)a).Title : null),
        // An email's body is not exported: a workspace can keep bodies to the people whose mailbox had them, and a
        // file leaves every rule behind.
        F<Activity, string?>("details", "Details", ExportKind.Text, a =>
            a is NoteActivity ? ((NoteActivity)a).Body : a is TaskActivity ? ((TaskActivity)a).Notes : a is CallActivity ? ((CallActivity)a).Notes
            : a is MeetingActivity ? ((MeetingActivity)a).Description : null),
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

    /// <summary>The catalog of an object type, with the workspace's custom fields of that type (activities have none).</summary>
    public static IReadOnlyList<ExportField> For(ExportObject type, IEnumerable<CustomFieldView>? customFields = null) => type switch
    {
        ExportObject.Contact => [.. Contact, .. CustomOf(RecordType.Contact, customFields)],
        ExportObject.Account => [.. Account, .. CustomOf(RecordType.Account, customFields)],
        ExportObject.Deal => [.. Deal, .. CustomOf(RecordType.Deal, customFields)],
        _ => Activity,
    };

    private static IEnumerable<ExportField> CustomOf(RecordType type, IEnumerable<CustomFieldView>? customFields) =>
        (customFields ?? []).Where(f => f.RecordType == type).Select(Custom);

    /// <summary>A custom field's column; its header is the label our import shows for it.</summary>
    public static ExportField Custom(CustomFieldView field) => RecordFields.Custom(field).ToExportField();

    public static IReadOnlyList<string> Defaults(ExportObject type) => For(type).Where(f => f.Default).Select(f => f.Key).ToList();

    public static string Plural(ExportObject type) => type switch
    {
        ExportObject.Contact => "contacts",
        ExportObject.Account => "accounts",
        ExportObject.Deal => "deals",
        _ => "activities",
    };
}
