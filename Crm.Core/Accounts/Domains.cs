using System.Text.RegularExpressions;

namespace Crm.Core.Accounts;

/// <summary>Company domains are compared as bare host names: "https://www.Acme.com/about" is "acme.com".</summary>
public static partial class Domains
{
    public static string? Normalize(string? value)
    {
        var text = value?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(text)) return null;
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0) text = text[(schemeEnd + 3)..];
        var at = text.LastIndexOf('@');
        if (at >= 0) text = text[(at + 1)..];
        var end = text.IndexOfAny(['/', '?', '#', ':']);
        if (end >= 0) text = text[..end];
        if (text.StartsWith("www.", StringComparison.Ordinal)) text = text[4..];
        return text.TrimEnd('.');
    }

    public static bool IsValid(string normalized) => HostPattern().IsMatch(normalized);

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$")]
    private static partial Regex HostPattern();
}
