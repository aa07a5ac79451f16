namespace Crm.Web.Components.Pages.Exports;

/// <summary>A list's filters in words, for the export dialog: "search “ada”, owner Riley Rep".</summary>
public static class ExportFilters
{
    public static string Describe(string? search, params (string Name, string? Value)[] filters)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(search)) parts.Add($"search “{search.Trim()}”");
        parts.AddRange(filters.Where(f => !string.IsNullOrWhiteSpace(f.Value)).Select(f => $"{f.Name} {f.Value}"));
        return parts.Count == 0 ? "the whole list" : string.Join(", ", parts);
    }
}
