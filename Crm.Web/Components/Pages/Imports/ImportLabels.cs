using Crm.Core.Common;
using Crm.Core.Imports;
using MudBlazor;

namespace Crm.Web.Components.Pages.Imports;

/// <summary>How imports read on screen.</summary>
public static class ImportLabels
{
    public static string Of(ImportStatus status) => status switch
    {
        ImportStatus.Draft => "Not started",
        ImportStatus.Queued => "Queued",
        ImportStatus.Running => "Running",
        ImportStatus.Completed => "Completed",
        ImportStatus.Failed => "Failed",
        ImportStatus.Cancelled => "Cancelled",
        ImportStatus.RollingBack => "Rolling back",
        _ => "Rolled back",
    };

    public static Color ColorOf(ImportStatus status) => status switch
    {
        ImportStatus.Completed => Color.Success,
        ImportStatus.Failed => Color.Error,
        ImportStatus.Cancelled or ImportStatus.RolledBack => Color.Default,
        ImportStatus.Draft => Color.Default,
        _ => Color.Info,
    };

    public static string Plural(RecordType type) => type switch
    {
        RecordType.Contact => "contacts",
        RecordType.Account => "accounts",
        _ => "deals",
    };

    public static string Of(DuplicateStrategy strategy) => strategy switch
    {
        DuplicateStrategy.Skip => "Skip duplicates",
        DuplicateStrategy.Update => "Update duplicates",
        DuplicateStrategy.CreateNew => "Always create new",
        DuplicateStrategy.Merge => "Fill empty fields only",
        _ => "Update only, never create",
    };

    public static string Explain(DuplicateStrategy strategy) => strategy switch
    {
        DuplicateStrategy.Skip => "A row that matches an existing record is left out; the record stays as it is.",
        DuplicateStrategy.Update => "A matching record gets the file's non-empty values; empty cells never erase anything.",
        DuplicateStrategy.CreateNew => "Every row becomes a new record, even when one with the same key exists.",
        DuplicateStrategy.Merge => "A matching record keeps its values; only its empty fields are filled from the file.",
        _ => "Matching records are updated; rows that match nothing are skipped, so nothing new is created.",
    };

    public static string Of(PlannedAction action) => action switch
    {
        PlannedAction.Create => "Create",
        PlannedAction.Update => "Update",
        PlannedAction.Skip => "Skip",
        _ => "Error",
    };

    public static Color ColorOf(PlannedAction action) => action switch
    {
        PlannedAction.Create => Color.Success,
        PlannedAction.Update => Color.Info,
        PlannedAction.Skip => Color.Default,
        _ => Color.Error,
    };

    public static string Of(ImportErrorType type) => type switch
    {
        ImportErrorType.Required => "Missing required value",
        ImportErrorType.Format => "Wrong format",
        ImportErrorType.Length => "Too long",
        ImportErrorType.Picklist => "Unknown option",
        ImportErrorType.Duplicate => "Duplicate in file",
        ImportErrorType.Reference => "Unknown reference",
        ImportErrorType.NoMatch => "No matching record",
        ImportErrorType.Row => "Unreadable row",
        _ => type.ToString(),
    };

    public static string Size(long bytes) => Crm.Web.Components.Shared.Labels.Bytes(bytes);

    public static string Duration(TimeSpan? duration) => duration switch
    {
        null => "—",
        { TotalSeconds: < 1 } => "under a second",
        { TotalMinutes: < 1 } d => $"{d.TotalSeconds:0} s",
        { TotalHours: < 1 } d => $"{(int)d.TotalMinutes} min {d.Seconds} s",
        var d => $"{(int)d.Value.TotalHours} h {d.Value.Minutes} min",
    };


    /// <summary>The field kinds whose values depend on a format or culture the user may need to choose.</summary>
    public static bool TakesDateFormat(ImportFieldKind kind) => kind == ImportFieldKind.Date;
    public static bool TakesNumberCulture(ImportFieldKind kind) => kind is ImportFieldKind.Money or ImportFieldKind.Decimal or ImportFieldKind.Percent or ImportFieldKind.Integer;
    public static bool TakesPhoneCountry(ImportFieldKind kind) => kind == ImportFieldKind.Phone;

    public static readonly (string? Value, string Label)[] DateFormats =
    [
        (null, "Detect (ISO, Excel, or an unambiguous day/month)"), ("iso", "ISO 2024-03-31"), ("us", "US 03/31/2024"), ("eu", "EU 31/03/2024"),
        ("excel", "Excel serial number"), ("dd.MM.yyyy", "31.03.2024"), ("yyyy/MM/dd", "2024/03/31"),
    ];

    public static readonly (string? Value, string Label)[] NumberCultures =
    [
        (null, "Detect (1,234.56 or 1234,56)"), ("en-US", "1,234.56 (English)"), ("de-DE", "1.234,56 (German)"), ("fr-FR", "1 234,56 (French)"),
        ("de-CH", "1'234.56 (Swiss)"),
    ];

    public static readonly (string Value, string Label)[] Encodings =
    [
        ("utf-8", "UTF-8"), ("utf-16le", "UTF-16 LE"), ("utf-16be", "UTF-16 BE"), ("utf-32le", "UTF-32 LE"), ("utf-32be", "UTF-32 BE"), ("windows-1252", "Windows-1252 (Western)"),
    ];

    public static readonly (char Value, string Label)[] Delimiters = [(',', "Comma ,"), (';', "Semicolon ;"), ('\t', "Tab"), ('|', "Pipe |")];
}
