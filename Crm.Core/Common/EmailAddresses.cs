using System.Globalization;

namespace Crm.Core.Common;

/// <summary>
/// What an email address is, here: the addresses mail actually flows to (RFC 5321's dot-atom local part, a domain of
/// two or more DNS labels), not every string RFC 5322 allows. One rule for forms, the API and imports.
/// </summary>
public static class EmailAddresses
{
    public const int MaxLength = 254;
    private const int MaxLocalPart = 64;
    private const int MaxLabel = 63;
    private const string LocalSymbols = "!#$%&'*+/=?^_`{|}~-";

    /// <summary>An address as stored: valid as it is (surrounding spaces aside).</summary>
    public static bool IsValid(string? value) => value is not null && Problem(value.Trim()) is null;

    /// <summary>
    /// A written address made canonical: trimmed, lower-cased, "mailto:" dropped, and — where nothing else could be
    /// meant — angle brackets ("Ada &lt;ada@x.org&gt;") and a domain's trailing dot removed, each with a note saying so.
    /// Anything else wrong is an error naming it; nothing is guessed.
    /// </summary>
    public static (string? Email, string? Note, string? Error) Normalize(string value)
    {
        var email = value.Trim();
        var notes = new List<string>();
        if (email.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)) email = email[7..].Trim();
        var open = email.LastIndexOf('<');
        if (open >= 0 && email.EndsWith('>') && email.IndexOf('<') == open && email.IndexOf('>') == email.Length - 1)
        {
            email = email[(open + 1)..^1].Trim();
            notes.Add("the angle brackets (and the name before them) were removed");
        }
        if (email.EndsWith('.') && email.Contains('@', StringComparison.Ordinal) && !email.EndsWith("..", StringComparison.Ordinal))
        {
            email = email[..^1];
            notes.Add("the dot at the end of the domain was removed");
        }
        email = email.ToLowerInvariant();
        return Problem(email) is { } problem
            ? (null, null, $"'{value}' is not an email address: {problem}.")
            : (email, notes.Count == 0 ? null : $"'{value}' was read as {email}: {string.Join(" and ", notes)}", null);
    }

    /// <summary>Why the text is not an address, in a few words; null when it is one.</summary>
    public static string? Problem(string email)
    {
        if (email.Length == 0) return "it is empty";
        if (email.Length > MaxLength) return $"it is longer than {MaxLength} characters";
        foreach (var c in email)
        {
            var category = char.GetUnicodeCategory(c);
            if (char.IsWhiteSpace(c) || char.IsControl(c) || category is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                return $"it contains {(char.IsWhiteSpace(c) ? "a space" : $"an invisible character (U+{(int)c:X4})")}";
            if (c is ',' or ';') return $"it contains '{c}' (several addresses go in separate columns or in other emails)";
        }
        var at = email.IndexOf('@');
        if (at < 0) return "it has no @";
        if (email.IndexOf('@', at + 1) >= 0) return "it has more than one @";
        var local = email[..at];
        var domain = email[(at + 1)..];
        if (local.Length == 0) return "nothing comes before the @";
        if (local.Length > MaxLocalPart) return $"the part before the @ is longer than {MaxLocalPart} characters";
        if (local.StartsWith('.') || local.EndsWith('.')) return "the part before the @ starts or ends with a dot";
        if (local.Contains("..", StringComparison.Ordinal)) return "the part before the @ has two dots in a row";
        if (local.Any(c => !char.IsLetterOrDigit(c) && c != '.' && !LocalSymbols.Contains(c))) return $"'{local.First(c => !char.IsLetterOrDigit(c) && c != '.' && !LocalSymbols.Contains(c))}' cannot appear before the @";
        if (domain.Length == 0) return "nothing comes after the @";
        var labels = domain.Split('.');
        if (labels.Length < 2) return "the domain has no dot (like example.com)";
        foreach (var label in labels)
        {
            if (label.Length == 0) return "the domain has an empty part (two dots in a row, or a dot at an end)";
            if (label.Length > MaxLabel) return $"a part of the domain is longer than {MaxLabel} characters";
            if (label.StartsWith('-') || label.EndsWith('-')) return "a part of the domain starts or ends with a hyphen";
            if (label.Any(c => !char.IsLetterOrDigit(c) && c != '-')) return $"'{label.First(c => !char.IsLetterOrDigit(c) && c != '-')}' cannot appear in a domain";
        }
        if (labels[^1].All(char.IsDigit)) return "the domain ends in a number, not a name like .com";
        return null;
    }
}
