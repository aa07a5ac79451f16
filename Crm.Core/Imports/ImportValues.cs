using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Crm.Core.Accounts;
using Crm.Core.Common;
using PhoneNumbers;

namespace Crm.Core.Imports;

/// <summary>A cell after its transform: the canonical value, or why it could not be read.</summary>
public readonly record struct Parsed(string? Value, string? Error = null, ImportErrorType ErrorType = ImportErrorType.Format, string? Note = null)
{
    public static Parsed Ok(string value) => new(value);
    /// <summary>Read, with a note of what was changed to read it (shown in the test import).</summary>
    public static Parsed Ok(string value, string? note) => new(value, Note: note);
    public static Parsed Fail(string error, ImportErrorType type = ImportErrorType.Format) => new(null, error, type);
}

/// <summary>The transforms a column's values go through, each returning a canonical text value or a clear error.</summary>
public static partial class ImportValues
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>Trimmed (all Unicode spaces, zero-width characters included); null when nothing is left.</summary>
    public static string? Clean(string? raw)
    {
        if (raw is null) return null;
        var value = raw.Trim().Trim('\u200B', '\u200C', '\u200D', '\uFEFF').Trim();
        // Our own exports guard formulas with an apostrophe ("'=1+2"): importing them back restores the text.
        return value.Length == 0 ? null : FormulaText.Unguard(value);
    }

    /// <summary>Whether a cell may hold several values (see <see cref="SplitMany"/>).</summary>
    public static bool HasMany(string value) => value.AsSpan().IndexOfAny(";\n\r:") >= 0;

    /// <summary>Several values in one cell: Google's " ::: ", semicolons or line breaks.</summary>
    public static IEnumerable<string> SplitMany(string value) =>
        value.Split([" ::: ", ";", "\n", "\r"], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Clean).OfType<string>();

    public static Parsed Email(string value)
    {
        var (email, note, error) = EmailAddresses.Normalize(value);
        return error is null ? Parsed.Ok(email!, note) : Parsed.Fail(error);
    }

    /// <summary>
    /// E.164 ("+442079460958") when the number is valid for its own country code or, without one, for
    /// <paramref name="region"/>; an extension is kept (" ext. 89"). A number no country could dial — too short,
    /// too long, an area code that does not exist — is refused with the reason, never stored half right.
    /// </summary>
    public static Parsed Phone(string value, string region)
    {
        PhoneNumber number;
        try
        {
            number = Phones.Parse(value, region);
        }
        catch (NumberParseException)
        {
            return Parsed.Fail($"'{value}' is not a phone number.");
        }
        if (Phones.IsValidNumber(number))
        {
            var e164 = Phones.Format(number, PhoneNumberFormat.E164);
            return Parsed.Ok(number.HasExtension ? $"{e164} ext. {number.Extension}" : e164);
        }
        var country = value.TrimStart().StartsWith('+') ? "its country code" : $"{region} (the row's or the import's country)";
        return Parsed.Fail(Phones.IsPossibleNumberWithReason(number) switch
        {
            PhoneNumberUtil.ValidationResult.IS_POSSIBLE_LOCAL_ONLY or PhoneNumberUtil.ValidationResult.TOO_SHORT =>
                $"'{value}' is too short for a phone number of {country}: it needs its area code.",
            PhoneNumberUtil.ValidationResult.TOO_LONG => $"'{value}' is too long for a phone number of {country}.",
            PhoneNumberUtil.ValidationResult.INVALID_COUNTRY_CODE => $"'{value}' has no valid country code.",
            _ => $"'{value}' is not a valid phone number of {country}.",
        });
    }

    public static Parsed Url(string value)
    {
        var url = value;
        if (!url.Contains("://", StringComparison.Ordinal) && (url.StartsWith("www.", StringComparison.OrdinalIgnoreCase) || url.Contains("linkedin.com", StringComparison.OrdinalIgnoreCase)))
            url = "https://" + url;
        return HttpUrlAttribute.IsHttpUrl(url) ? Parsed.Ok(url) : Parsed.Fail($"'{value}' is not a web address (http:// or https://).");
    }

    public static Parsed Domain(string value) =>
        Domains.Normalize(value) is { } domain && Domains.IsValid(domain) ? Parsed.Ok(domain) : Parsed.Fail($"'{value}' is not a domain like acme.com.");

    /// <summary>
    /// A date as yyyy-MM-dd. <paramref name="format"/>: an explicit pattern ("dd/MM/yyyy"), or "iso", "us", "eu",
    /// "excel"; null tries ISO, Excel serial numbers, then day/month orders where the numbers leave no doubt.
    /// </summary>
    public static Parsed Date(string value, string? format)
    {
        var text = DatePart(value);
        DateTime date;
        switch (format?.Trim().ToLowerInvariant())
        {
            case null or "" or "auto":
                if (TryIso(text, out date) || TryExcelSerial(text, out date)) return Parsed.Ok(Iso(date));
                if (TryDayMonth(text, out date, out var ambiguous))
                    return ambiguous
                        ? Parsed.Fail($"'{value}' could be read day-first or month-first: choose the date format (US or EU) for this column.")
                        : Parsed.Ok(Iso(date));
                // Months in words, in English ("5 March 2024", "March 5, 2024", "Tue, 5 Mar 2024"): read exactly or
                // refused — never handed to a parser that fills in what it cannot see.
                return TryWords(text, out date)
                    ? Parsed.Ok(Iso(date))
                    : Parsed.Fail($"'{value}' is not a date we can read without guessing: use 2024-03-05, 05/03/2024 with the column's date format, or 5 March 2024.");
            case "iso":
                return TryIso(text, out date) ? Parsed.Ok(Iso(date)) : Parsed.Fail($"'{value}' is not an ISO date (yyyy-mm-dd).");
            case "us":
                return TryExact(text, UsFormats, out date) ? Parsed.Ok(Iso(date)) : Parsed.Fail($"'{value}' is not a US date (mm/dd/yyyy).");
            case "eu":
                return TryExact(text, EuFormats, out date) ? Parsed.Ok(Iso(date)) : Parsed.Fail($"'{value}' is not a day-first date (dd/mm/yyyy).");
            case "excel":
                return TryExcelSerial(text, out date) ? Parsed.Ok(Iso(date)) : Parsed.Fail($"'{value}' is not an Excel date number.");
            default:
                return DateTime.TryParseExact(value.Trim(), format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out date)
                    ? Parsed.Ok(Iso(date))
                    : Parsed.Fail($"'{value}' does not have the format {format}.");
        }
    }

    private static readonly string[] UsFormats = ["M/d/yyyy", "M/d/yy", "M-d-yyyy", "MM/dd/yyyy", "M.d.yyyy"];
    private static readonly string[] EuFormats = ["d/M/yyyy", "d/M/yy", "d.M.yyyy", "d.M.yy", "d-M-yyyy", "dd/MM/yyyy"];

    private static string Iso(DateTime date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// "2026-01-15T10:00:00Z" or "01/15/2026 02:14:45+0800" → the date part, for date-only fields. Only a date written
    /// in numbers is cut at its time; "5 March 2024" stays whole.
    /// </summary>
    private static string DatePart(string value)
    {
        var text = value.Trim();
        var cut = text.Length > 6 ? text.IndexOfAny([' ', 'T'], 6) : -1;
        return cut > 0 && text.AsSpan(0, cut).IndexOfAnyExcept("0123456789-/.") < 0 && text.Length > cut + 1 && char.IsDigit(text[cut + 1]) ? text[..cut] : text;
    }

    private static readonly string[] WordFormats =
    [
        "d MMMM yyyy", "d MMM yyyy", "d. MMMM yyyy", "d MMMM, yyyy", "d-MMM-yyyy", "d-MMM-yy", "d MMM yy",
        "MMMM d yyyy", "MMMM d, yyyy", "MMM d yyyy", "MMM d, yyyy", "MMM. d, yyyy", "MMMM yyyy d",
        "dddd, MMMM d, yyyy", "dddd, d MMMM yyyy", "ddd, d MMM yyyy", "ddd, MMM d, yyyy", "ddd MMM d yyyy",
        "yyyy MMMM d", "yyyy-MMM-dd", "d/MMM/yyyy",
    ];

    /// <summary>English month names (and weekday names, when they agree with the date); "1st", "2nd" read as 1, 2. A time after it is ignored.</summary>
    private static bool TryWords(string text, out DateTime date)
    {
        date = default;
        if (!text.Any(char.IsLetter)) return false;
        var words = Ordinal().Replace(text.Trim(), "$1");
        words = TimeSuffix().Replace(words, "");
        return DateTime.TryParseExact(words, WordFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out date);
    }

    [GeneratedRegex(@"\b(\d{1,2})(st|nd|rd|th)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Ordinal();

    /// <summary>A time after a date in words: " 10:30", " 10:30:00 +0100", " at 9:00 AM", " 14:00 GMT".</summary>
    [GeneratedRegex(@"(\s+at)?\s+\d{1,2}:\d{2}(:\d{2})?(\s*[AaPp][Mm])?(\s*(Z|GMT|UTC|[+-]\d{2}:?\d{2}))?$")]
    private static partial Regex TimeSuffix();

    private static bool TryIso(string text, out DateTime date) =>
        DateTime.TryParseExact(text, ["yyyy-MM-dd", "yyyy/MM/dd", "yyyyMMdd", "yyyy-M-d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private static bool TryExact(string text, string[] formats, out DateTime date) =>
        DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private static bool TryExcelSerial(string text, out DateTime date)
    {
        date = default;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) || serial < 1 || serial > 2_958_465) return false;
        // Plain small numbers are more likely ids than dates from before 1955.
        if (serial < 20_000 && !text.Contains('.')) return false;
        date = DateTime.FromOADate(serial).Date;
        return true;
    }

    private static bool TryDayMonth(string text, out DateTime date, out bool ambiguous)
    {
        date = default;
        ambiguous = false;
        var match = DayMonthYear().Match(text);
        if (!match.Success) return false;
        var a = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var b = int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture);
        var year = int.Parse(match.Groups[4].Value, CultureInfo.InvariantCulture);
        if (year < 100) year += year < 50 ? 2000 : 1900;
        int day, month;
        if (a > 12 && b <= 12) (day, month) = (a, b);
        else if (b > 12 && a <= 12) (day, month) = (b, a);
        else if (match.Groups[2].Value == ".") (day, month) = (a, b); // dots are day-first everywhere they are used
        else if (a == b) (day, month) = (a, b);
        else
        {
            ambiguous = true;
            return true;
        }
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateTime(year, month, day);
        return true;
    }

    [GeneratedRegex(@"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{2}|\d{4})$")]
    private static partial Regex DayMonthYear();

    /// <summary>
    /// A number, invariant ("1234.5"). With a culture ("de-DE") its separators apply; without, the last separator is the
    /// decimal one ("1.234,56", "1,234.56"), a lone comma followed by three digits groups thousands, any other is a decimal comma.
    /// Currency signs and codes are ignored.
    /// </summary>
    public static Parsed Number(string value, string? culture, int maxDecimals = 6)
    {
        var text = StripCurrency(value);
        var negative = text.StartsWith('(') && text.EndsWith(')');
        if (negative) text = text[1..^1];
        decimal number;
        if (!string.IsNullOrWhiteSpace(culture))
        {
            CultureInfo info;
            if (!IsKnownCulture(culture)) return Parsed.Fail($"'{culture}' is not a known culture.");
            info = CultureInfo.GetCultureInfo(culture);
            if (!decimal.TryParse(text, NumberStyles.Number | NumberStyles.AllowExponent, info, out number)) return Parsed.Fail($"'{value}' is not a number in {info.DisplayName} format.");
        }
        else if (!decimal.TryParse(GuessInvariant(text), NumberStyles.Float, CultureInfo.InvariantCulture, out number))
        {
            return Parsed.Fail($"'{value}' is not a number.");
        }
        if (negative) number = -number;
        if (decimal.Round(number, maxDecimals) != number) return Parsed.Fail($"'{value}' has more than {maxDecimals} decimals.");
        return Parsed.Ok(number.ToString(CultureInfo.InvariantCulture));
    }

    private static readonly HashSet<string> CurrencyCodes = CultureInfo.GetCultures(CultureTypes.SpecificCultures)
        .Select(c => { try { return new RegionInfo(c.Name).ISOCurrencySymbol; } catch (ArgumentException) { return null; } })
        .OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> Cultures =
        CultureInfo.GetCultures(CultureTypes.AllCultures).Select(c => c.Name).Where(n => n.Length > 0).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>A culture the runtime really knows (ICU would make one up for any well-formed name).</summary>
    public static bool IsKnownCulture(string name) => Cultures.Contains(name);

    public static Parsed Integer(string value, string? culture, int min, int max)
    {
        var parsed = Number(value, culture, 0);
        if (parsed.Error is not null) return Parsed.Fail($"'{value}' is not a whole number.");
        var number = decimal.Parse(parsed.Value!, CultureInfo.InvariantCulture);
        return number < min || number > max ? Parsed.Fail($"'{value}' must be between {min} and {max}.") : Parsed.Ok(((long)number).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>0–100; "75%", "75" and "0.75" all mean 75.</summary>
    public static Parsed Percent(string value, string? culture)
    {
        var parsed = Number(value.Replace("%", "", StringComparison.Ordinal), culture);
        if (parsed.Error is not null) return Parsed.Fail($"'{value}' is not a percentage.");
        var number = decimal.Parse(parsed.Value!, CultureInfo.InvariantCulture);
        if (number > 0 && number < 1 && !value.Contains('%')) number *= 100;
        number = decimal.Round(number, 0, MidpointRounding.AwayFromZero);
        return number is < 0 or > 100 ? Parsed.Fail($"'{value}' must be between 0% and 100%.") : Parsed.Ok(number.ToString(CultureInfo.InvariantCulture));
    }

    public static Parsed Boolean(string value) => value.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "y" or "1" or "x" or "checked" or "on" or "ja" or "oui" or "si" or "sí" => Parsed.Ok("true"),
        "false" or "no" or "n" or "0" or "unchecked" or "off" or "nein" or "non" => Parsed.Ok("false"),
        _ => Parsed.Fail($"'{value}' is not yes/no or true/false."),
    };

    public static Parsed Currency(string value)
    {
        var code = value.Trim() switch
        {
            "$" => "USD",
            "€" => "EUR",
            "£" => "GBP",
            "¥" => "JPY",
            var other => other.ToUpperInvariant(),
        };
        return code.Length == 3 && code.All(char.IsAsciiLetterUpper) ? Parsed.Ok(code) : Parsed.Fail($"'{value}' is not a currency code like USD or EUR.");
    }

    private static readonly Dictionary<string, string> LifecycleSynonyms = new()
    {
        ["lead"] = "lead", ["new"] = "lead", ["newlead"] = "lead",
        ["mql"] = "mql", ["marketingqualifiedlead"] = "mql", ["marketingqualified"] = "mql",
        ["sql"] = "sql", ["salesqualifiedlead"] = "sql", ["salesqualified"] = "sql",
        ["opportunity"] = "opportunity", ["opp"] = "opportunity",
        ["customer"] = "customer", ["client"] = "customer",
        ["subscriber"] = "subscriber", ["evangelist"] = "evangelist", ["advocate"] = "evangelist", ["other"] = "other",
    };

    /// <summary>A picklist value, case and spacing aside ("CUSTOMER " → customer), or from the column's value map.</summary>
    public static Parsed Lifecycle(string value, IReadOnlyDictionary<string, string>? valueMap)
    {
        var key = PicklistKey(value);
        if (valueMap is not null)
            foreach (var (from, to) in valueMap)
                if (PicklistKey(from) == key) return Lifecycle(to, null);
        return LifecycleSynonyms.TryGetValue(key, out var lifecycle)
            ? Parsed.Ok(lifecycle)
            : Parsed.Fail($"'{value}' is not a lifecycle stage ({string.Join(", ", ImportFields.LifecycleValues)}); map it to one.", ImportErrorType.Picklist);
    }

    /// <summary>Letters and digits only, lower case: "Sales Qualified Lead", "sales-qualified_lead" → "salesqualifiedlead".</summary>
    public static string PicklistKey(string value)
    {
        Span<char> buffer = value.Length <= 256 ? stackalloc char[value.Length] : new char[value.Length];
        var length = 0;
        foreach (var c in value)
            if (char.IsLetterOrDigit(c)) buffer[length++] = char.ToLowerInvariant(c);
        return new string(buffer[..length]);
    }

    private static readonly HashSet<string> Honorifics = ["mr", "mrs", "ms", "miss", "dr", "prof", "sir", "mx", "herr", "frau"];
    private static readonly HashSet<string> Suffixes = ["jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"];

    /// <summary>"Dr. Ada Lovelace" → (Ada, Lovelace); "Lovelace, Ada" → (Ada, Lovelace); "Ada" → (Ada, null).</summary>
    public static (string? First, string? Last) SplitName(string value)
    {
        var text = value.Trim();
        var comma = text.IndexOf(',');
        if (comma > 0 && !Suffixes.Contains(text[(comma + 1)..].Trim().Trim('.').ToLowerInvariant()))
            return (Clean(text[(comma + 1)..]), Clean(text[..comma]));
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim(','))
            .Where(w => w.Length > 0).ToList();
        while (words.Count > 1 && Honorifics.Contains(words[0].TrimEnd('.').ToLowerInvariant())) words.RemoveAt(0);
        while (words.Count > 1 && Suffixes.Contains(words[^1].TrimEnd('.').ToLowerInvariant())) words.RemoveAt(words.Count - 1);
        return words.Count switch
        {
            0 => (null, null),
            1 => (words[0], null),
            _ => (string.Join(' ', words.Take(words.Count - 1)), words[^1]),
        };
    }

    /// <summary>Keeps digits, signs, separators and an exponent between digits; drops spaces, currency signs and codes.</summary>
    private static string StripCurrency(string value)
    {
        // Letters are a currency code ("EUR 1.234,50", "1234 usd") or they make the value not a number ("12abc").
        var trimmed = value.Trim();
        var code = CurrencyCode().Match(trimmed);
        if (code.Success && CurrencyCodes.Contains(code.Groups["code"].Value)) trimmed = code.Groups["number"].Value;
        if (trimmed.Any(c => char.IsLetter(c) && c is not ('e' or 'E'))) return value;
        value = trimmed;
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsDigit(c) || c is '.' or ',' or '-' or '+' or '(' or ')') builder.Append(c);
            else if (c is 'e' or 'E' && i > 0 && char.IsDigit(value[i - 1]) && i + 1 < value.Length && (char.IsDigit(value[i + 1]) || value[i + 1] is '+' or '-')) builder.Append(c);
            else if (char.IsWhiteSpace(c) || char.IsLetter(c) || c is '\'' || char.GetUnicodeCategory(c) == UnicodeCategory.CurrencySymbol) continue;
            else builder.Append(c);
        }
        return builder.ToString();
    }

    private static string GuessInvariant(string text)
    {
        var lastDot = text.LastIndexOf('.');
        var lastComma = text.LastIndexOf(',');
        if (lastDot >= 0 && lastComma >= 0)
            return lastComma > lastDot ? text.Replace(".", "", StringComparison.Ordinal).Replace(',', '.') : text.Replace(",", "", StringComparison.Ordinal);
        if (lastComma >= 0)
            return ThousandsWithCommas().IsMatch(text) ? text.Replace(",", "", StringComparison.Ordinal) : text.Replace(',', '.');
        if (ThousandsWithDots().IsMatch(text)) return text.Replace(".", "", StringComparison.Ordinal);
        return text;
    }

    [GeneratedRegex(@"^(?:(?<code>[A-Za-z]{3})\s*(?<number>[^A-Za-z]+)|(?<number>[^A-Za-z]+?)\s*(?<code>[A-Za-z]{3}))$")]
    private static partial Regex CurrencyCode();

    [GeneratedRegex(@"^[-+]?\d{1,3}(,\d{3})+$")]
    private static partial Regex ThousandsWithCommas();

    [GeneratedRegex(@"^[-+]?\d{1,3}(\.\d{3}){2,}$")]
    private static partial Regex ThousandsWithDots();
}
