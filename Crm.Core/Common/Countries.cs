using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Crm.Core.Common;

/// <summary>
/// A country as people write it — "FR", "FRA", "France", "Frankreich", "United States", "USA", "UK" — to its
/// two-letter region code, from .NET's own region data (English, native and display names) and a few common
/// abbreviations. Case and accents do not matter. Used to read a row's phone numbers with the row's country.
/// </summary>
public static class Countries
{
    private static readonly FrozenDictionary<string, string> ByName = Build();

    /// <summary>The ISO 3166 two-letter code, upper case; null when the text names no country we know.</summary>
    public static string? RegionOf(string? country)
    {
        if (string.IsNullOrWhiteSpace(country) || country.Length > 80) return null;
        return ByName.GetValueOrDefault(Key(country));
    }

    private static FrozenDictionary<string, string> Build()
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string? name, string region)
        {
            if (!string.IsNullOrWhiteSpace(name)) names.TryAdd(Key(name), region);
        }
        foreach (var culture in CultureInfo.GetCultures(CultureTypes.SpecificCultures))
        {
            RegionInfo region;
            try { region = new RegionInfo(culture.Name); }
            catch (ArgumentException) { continue; }
            var code = region.TwoLetterISORegionName.ToUpperInvariant();
            if (code.Length != 2 || !char.IsLetter(code[0])) continue;
            Add(code, code);
            Add(region.ThreeLetterISORegionName, code);
            Add(region.EnglishName, code);
            Add(region.NativeName, code);
            Add(region.DisplayName, code);
        }
        // What exports write that region data does not: abbreviations and older or shorter names.
        foreach (var (name, code) in new[]
                 {
                     ("USA", "US"), ("U.S.", "US"), ("U.S.A.", "US"), ("United States of America", "US"), ("America", "US"),
                     ("UK", "GB"), ("U.K.", "GB"), ("Great Britain", "GB"), ("England", "GB"), ("Scotland", "GB"), ("Wales", "GB"), ("Northern Ireland", "GB"),
                     ("Holland", "NL"), ("The Netherlands", "NL"), ("Czech Republic", "CZ"), ("Russia", "RU"), ("South Korea", "KR"), ("Korea", "KR"),
                     ("UAE", "AE"), ("Türkiye", "TR"), ("Turkey", "TR"), ("Viet Nam", "VN"), ("Ivory Coast", "CI"),
                 })
            Add(name, code);
        return names.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Lower case, without accents, spaces, dots or hyphens: "Côte d’Ivoire" = "cote divoire".</summary>
    private static string Key(string name)
    {
        var folded = name.Trim().Normalize(NormalizationForm.FormD);
        var key = new StringBuilder(folded.Length);
        foreach (var c in folded)
            if (char.IsLetterOrDigit(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                key.Append(char.ToLowerInvariant(c));
        return key.ToString();
    }
}
