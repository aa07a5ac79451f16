using Crm.Core.Deals;

namespace Crm.Core.Imports;

/// <summary>
/// Before any test run: which values of the file's picklist columns (lifecycle stage, pipeline, deal stage) match no
/// option — found in the columns' profiles, so over the whole file — for the admin to map on the mapping page.
/// </summary>
public static class UnknownPicklistValues
{
    public static bool IsPicklist(ImportFieldKind kind) => kind is ImportFieldKind.Picklist or ImportFieldKind.Pipeline or ImportFieldKind.Stage;

    /// <summary>The options a picklist field takes: lifecycle stages, this workspace's pipelines, or the stages of any of them.</summary>
    public static IReadOnlyList<string> Options(ImportFieldKind kind, IReadOnlyList<PipelineView> pipelines) => kind switch
    {
        ImportFieldKind.Pipeline => pipelines.Select(p => p.Name).ToList(),
        ImportFieldKind.Stage => pipelines.SelectMany(p => p.Stages.Select(s => s.Name)).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
        _ => ImportFields.LifecycleValues,
    };

    /// <summary>
    /// The column's values that no option takes as they are (a value map aside, so values already mapped stay listed
    /// with their choice), most frequent first; null when the column has too many different values to list — the test
    /// import then finds them row by row.
    /// </summary>
    public static IReadOnlyList<ValueCount>? Of(ImportFieldKind kind, ColumnProfile profile, IReadOnlyList<PipelineView> pipelines)
    {
        if (profile.Values is not { } values) return null;
        var options = Options(kind, pipelines);
        return values.Where(v => !Takes(kind, v.Value, options)).ToList();
    }

    private static bool Takes(ImportFieldKind kind, string value, IReadOnlyList<string> options) => kind == ImportFieldKind.Picklist
        ? ImportValues.Lifecycle(value, null).Error is null
        // The import finds pipelines and stages by name, case aside (a stage must also be in the row's pipeline, which the test checks).
        : options.Contains(value.Trim(), StringComparer.OrdinalIgnoreCase);
}
