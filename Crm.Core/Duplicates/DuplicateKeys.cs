using System.Globalization;
using System.Text;
using PhoneNumbers;

namespace Crm.Core.Duplicates;

/// <summary>
/// The normalised forms records are compared by: emails and LinkedIn URLs as people mean them, names without case or
/// accents, phones in E.164, company names without their legal form ("ACME, Inc." = "Acme Inc").
/// </summary>
public static class DuplicateKeys
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>"  Ada@Example.COM " → "ada@example.com"; not an address → null.</summary>
    public static string? Email(string? email)
    {
        if (string.IsNullOrWhiteSpace(email)) return null;
        var value = email.Trim().ToLowerInvariant();
        if (value.StartsWith("mailto:", StringComparison.Ordinal)) value = value[7..];
        var at = value.IndexOf('@');
        return at > 0 && at < value.Length - 1 ? value : null;
    }

    /// <summary>"https://www.LinkedIn.com/in/Ada-Lovelace/?trk=x" → "linkedin.com/in/ada-lovelace"; other sites → null.</summary>
    public static string? LinkedIn(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return null;
        var value = url.Trim().ToLowerInvariant();
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) value = value[(scheme + 3)..];
        var cut = value.IndexOfAny(['?', '#']);
        if (cut >= 0) value = value[..cut];
        value = value.TrimEnd('/');
        foreach (var prefix in new[] { "www.", "m.", "mobile." })
            if (value.StartsWith(prefix, StringComparison.Ordinal)) value = value[prefix.Length..];
        // Country subdomains ("uk.linkedin.com") are the same profile.
        var host = value.IndexOf("linkedin.com/", StringComparison.Ordinal);
        if (host < 0) return null;
        var path = value[(host + "linkedin.com/".Length)..];
        return path.StartsWith("in/", StringComparison.Ordinal) && path.Length > 3 ? "linkedin.com/" + path : null;
    }

    /// <summary>Lower case, no accents, letters and digits separated by single spaces: "  Zoë  MÜLLER-Smith " → "zoe muller smith".</summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsLetterOrDigit(c))
            {
                if (space && builder.Length > 0) builder.Append(' ');
                builder.Append(FoldLetter(char.ToLowerInvariant(c)));
                space = false;
            }
            else
            {
                space = true;
            }
        }
        return builder.ToString();
    }

    /// <summary>Letters FormD does not decompose: ø, ł, ß, æ, œ, đ, ı.</summary>
    private static string FoldLetter(char c) => c switch
    {
        'ø' => "o",
        'ł' => "l",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'đ' or 'ð' => "d",
        'ı' => "i",
        'þ' => "th",
        _ => c.ToString(),
    };

    /// <summary>A full name folded: first and last together, so "Ada" + "Lovelace" and "" + "Ada Lovelace" agree.</summary>
    public static string Name(string? firstName, string? lastName) => (Fold(firstName) + " " + Fold(lastName)).Trim();

    /// <summary>E.164 ("+14155552671"); numbers without a country code are read in <paramref name="region"/>.</summary>
    public static string? Phone(string? phone, string region = "US")
    {
        if (string.IsNullOrWhiteSpace(phone)) return null;
        var value = phone.Trim();
        // Already E.164 (what imports store): no parsing needed.
        if (value.Length is >= 8 and <= 16 && value[0] == '+' && value.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0) return value;
        try
        {
            var number = Phones.Parse(value, region);
            return Phones.IsPossibleNumber(number) ? Phones.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    private static readonly HashSet<string> LegalForms =
    [
        "inc", "incorporated", "llc", "ltd", "limited", "corp", "corporation", "co", "company", "plc", "gmbh", "ag", "sa", "sas", "sarl", "bv", "nv",
        "oy", "ab", "as", "aps", "spa", "srl", "kg", "kgaa", "ug", "pty", "pte", "llp", "lp", "se", "the",
    ];

    /// <summary>A company name without case, accents, punctuation or legal form: "The ACME, Inc." → "acme".</summary>
    public static string? AccountName(string? name)
    {
        var words = Fold(name).Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !LegalForms.Contains(w)).ToList();
        return words.Count == 0 ? null : string.Join(' ', words);
    }

    /// <summary>A domain as accounts keep it ("acme.com"); a web address works too.</summary>
    public static string? Domain(string? domain) => Accounts.Domains.Normalize(domain);
}
