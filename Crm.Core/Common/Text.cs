namespace Crm.Core.Common;

public static class Text
{
    /// <summary>Trimmed, or null when blank: how every optional text field is stored.</summary>
    public static string? Clean(string? value)
    {
        if (value is null) return null;
        var trimmed = value.Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }

    public static string? CleanEmail(string? value) => Clean(value)?.ToLowerInvariant();

    /// <summary>A LIKE pattern matching <paramref name="term"/> anywhere, with the wildcards in it escaped by '\'.</summary>
    public static string ContainsPattern(string term) =>
        "%" + term.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";

    /// <summary>Splits a quick search into terms; every term must match some field.</summary>
    public static string[] SearchTerms(string? search) =>
        string.IsNullOrWhiteSpace(search)
            ? []
            : search.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(5).ToArray();
}
