using Crm.Core.Exports;
using MudBlazor;

namespace Crm.Web.Components.Pages.Exports;

public static class ExportLabels
{
    public static string Title(ExportObject type) => ExportFields.Plural(type) switch { var p => char.ToUpperInvariant(p[0]) + p[1..] };

    public static string Of(ExportGroup group) => group switch
    {
        ExportGroup.Record => "Fields",
        ExportGroup.Related => "Related records",
        _ => "Custom fields",
    };

    public static string Of(ExportStatus status) => status switch
    {
        ExportStatus.Pending => "Queued",
        ExportStatus.Processing => "Writing",
        ExportStatus.Completed => "Ready",
        ExportStatus.Failed => "Failed",
        _ => "Expired",
    };

    public static Color ColorOf(ExportStatus status) => status switch
    {
        ExportStatus.Completed => Color.Success,
        ExportStatus.Failed => Color.Error,
        ExportStatus.Expired => Color.Default,
        _ => Color.Info,
    };

    public static string Of(ExportFormat format) => format switch
    {
        ExportFormat.Csv => "CSV",
        ExportFormat.Xlsx => "Excel",
        ExportFormat.Json => "JSON",
        _ => "NDJSON",
    };

    public static readonly (string Value, string Label)[] Cultures =
    [
        ("en-US", "English (US) — , and 1234.5"), ("en-GB", "English (UK) — , and 1234.5"), ("de-DE", "German — ; and 1234,5"),
        ("fr-FR", "French — ; and 1234,5"), ("es-ES", "Spanish — ; and 1234,5"), ("it-IT", "Italian — ; and 1234,5"),
        ("nl-NL", "Dutch — ; and 1234,5"), ("pt-BR", "Portuguese (Brazil) — ; and 1234,5"), ("sv-SE", "Swedish — ; and 1234,5"),
    ];
}
