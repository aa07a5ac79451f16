using System.Globalization;
using System.Text;

namespace Crm.Core.Imports;

/// <summary>
/// Suggests a field for every column from its header: first exact matches of the normalised header against each
/// field's synonyms, then word rules ("Work Email", "Business Phone 2"), then a fuzzy match for typos. A field takes
/// one column, except multi-valued ones (other emails, deal contacts); an email column after the first becomes an
/// "other email". Describe-a-value columns of Google exports ("E-mail 1 - Type") never match.
/// </summary>
public static class HeaderMatcher
{
    public static ImportMapping Suggest(IReadOnlyList<string> headers, IReadOnlyList<ImportField> fields, IReadOnlyList<string?[]>? samples = null)
    {
        var taken = new HashSet<string>();
        var chosen = new string?[headers.Count];
        var normalized = headers.Select(Normalize).ToArray();
        var byCompact = new Dictionary<string, List<ImportField>>();
        foreach (var field in fields)
            foreach (var synonym in field.Synonyms.Append(field.Key).Append(field.Label).Select(Compact).Distinct())
                (byCompact.TryGetValue(synonym, out var list) ? list : byCompact[synonym] = []).Add(field);

        // Pass 1: exact synonyms. When several columns want the same field, the one with values in the first rows
        // wins, then the one whose header is the field's more usual name ("Job Title" over "Title"), then the first.
        var exact = new List<ImportField>?[headers.Count];
        for (var i = 0; i < headers.Count; i++)
        {
            if (IsDescriptor(normalized[i]) || !byCompact.TryGetValue(Compact(normalized[i]), out var candidates)) continue;
            var column = i;
            exact[i] = candidates.Where(f => Plausible(f, column, samples)).ToList();
        }
        var pending = Enumerable.Range(0, headers.Count).Where(i => exact[i] is { Count: > 0 }).ToList();
        while (pending.Count > 0)
        {
            var wants = pending
                .Select(i => (Column: i, Field: exact[i]!.FirstOrDefault(f => f.AllowsSeveralColumns || !taken.Contains(f.Key))))
                .Where(w => w.Field is not null)
                .ToList();
            pending.Clear();
            foreach (var group in wants.GroupBy(w => w.Field!.Key))
            {
                var field = group.First().Field!;
                if (field.AllowsSeveralColumns)
                {
                    foreach (var want in group) chosen[want.Column] = field.Key;
                    continue;
                }
                var winner = group
                    .OrderByDescending(w => HasValues(w.Column, samples))
                    .ThenBy(w => SynonymRank(field, normalized[w.Column]))
                    .ThenBy(w => w.Column)
                    .First().Column;
                chosen[winner] = field.Key;
                taken.Add(field.Key);
                pending.AddRange(group.Select(w => w.Column).Where(c => c != winner));
            }
        }
        // Pass 2: word rules and typos for what is left. A header that is another field's name ("County" when the
        // region is taken) is that word, not a typo of a third one.
        for (var i = 0; i < headers.Count; i++)
        {
            if (chosen[i] is not null || IsDescriptor(normalized[i]) || normalized[i].Length == 0) continue;
            var column = i;
            chosen[i] = Take(ByWords(normalized[i], fields, taken).Where(f => Plausible(f, column, samples)), taken)
                        ?? (byCompact.ContainsKey(Compact(normalized[i])) ? null : Take(Fuzzy(Compact(normalized[i]), fields).Where(f => Plausible(f, column, samples)), taken));
        }
        return new ImportMapping { Columns = headers.Select((h, i) => new ColumnMapping { Index = i, Header = h, Field = chosen[i] }).ToList() };
    }

    /// <summary>Lower case, no accents, words separated by single spaces: "E-mail Address" → "e mail address".</summary>
    public static string Normalize(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return "";
        var decomposed = header.Trim().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            builder.Append(char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ');
        }
        return string.Join(' ', builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The normalised header without spaces: "e mail address" → "emailaddress".</summary>
    public static string Compact(string header) => Normalize(header).Replace(" ", "", StringComparison.Ordinal);

    /// <summary>The identity of a file's columns for template matching.</summary>
    public static string Signature(IEnumerable<string> headers) => string.Join('|', headers.Select(Compact));

    private static string? Take(IEnumerable<ImportField> candidates, HashSet<string> taken)
    {
        foreach (var field in candidates)
        {
            if (field.AllowsSeveralColumns || taken.Add(field.Key)) return field.Key;
        }
        return null;
    }

    private static bool HasValues(int column, IReadOnlyList<string?[]>? samples) =>
        samples is null || samples.Count == 0 || samples.Any(r => column < r.Length && !string.IsNullOrWhiteSpace(r[column]));

    /// <summary>Where the header stands in the field's synonyms: the usual name first.</summary>
    private static int SynonymRank(ImportField field, string normalized)
    {
        var compact = Compact(normalized);
        var index = Array.FindIndex(field.Synonyms, s => Compact(s) == compact);
        return index < 0 ? field.Synonyms.Length : index;
    }

    /// <summary>"E-mail 1 - Type", "Phone 2 - Label": they describe the value next to them.</summary>
    private static bool IsDescriptor(string normalized) =>
        normalized.EndsWith(" type", StringComparison.Ordinal) || normalized.EndsWith(" label", StringComparison.Ordinal);

    /// <summary>
    /// Whether the column's first values could be the field's: an "ID" column only means our ids when its values are
    /// numbers (a Salesforce "001x…" id is not ours), and dates never go into a name (a "Last Contacted" column of
    /// dates is not last names); the person can still map such a column by hand.
    /// </summary>
    private static bool Plausible(ImportField field, int column, IReadOnlyList<string?[]>? samples)
    {
        if (samples is null) return true;
        var values = samples.Select(r => column < r.Length ? r[column]?.Trim() : null).Where(v => !string.IsNullOrEmpty(v)).ToList();
        if (values.Count == 0) return true;
        if (field.Kind == ImportFieldKind.Id) return values.All(v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out _));
        if (field.Key is "firstName" or "lastName" or "fullName") return !values.All(v => LooksLikeDate(v!));
        return true;
    }

    /// <summary>A date in any of the orders an import reads (an ambiguous 05/03/2024 is still a date).</summary>
    private static bool LooksLikeDate(string value) =>
        ImportValues.Date(value, null).Value is not null || ImportValues.Date(value, "us").Value is not null || ImportValues.Date(value, "eu").Value is not null;

    /// <summary>Words that make a header about something else than the field its other words name: "Former owner", "Previous email".</summary>
    private static readonly HashSet<string> Qualifiers = ["former", "previous", "prior", "original", "old", "past", "ex", "deleted", "merged"];

    private static IEnumerable<ImportField> ByWords(string normalized, IReadOnlyList<ImportField> fields, HashSet<string> taken)
    {
        var words = normalized.Split(' ').ToHashSet();
        bool Has(params string[] any) => any.Any(words.Contains);
        ImportField? Field(string key) => fields.FirstOrDefault(f => f.Key == key);

        var wanted = new List<string>();
        if (Has([.. Qualifiers])) return [];
        if (Has("email", "mail", "emailaddress") || normalized.Contains("e mail", StringComparison.Ordinal))
            wanted.AddRange(["email", "additionalEmails", "contactEmails"]);
        if (Has("phone", "mobile", "cell", "telephone", "tel"))
            wanted.Add("phone");
        // "First" and "last" are names only beside "name": "Last Contacted", "First Seen" are dates.
        if (Has("given", "forename") || Has("first") && Has("name")) wanted.Add("firstName");
        if (Has("surname") || Has("last", "family") && Has("name")) wanted.Add("lastName");
        if (Has("linkedin")) wanted.Add("linkedInUrl");
        if (Has("company", "organization", "organisation", "employer")) wanted.AddRange(words.Contains("domain") ? ["companyDomain", "domain"] : ["company", "name"]);
        if (Has("title", "position")) wanted.Add("jobTitle");
        if (Has("zip", "postal", "postcode", "zipcode")) wanted.Add("postalCode");
        if (Has("city", "town")) wanted.Add("city");
        if (Has("state", "province", "region")) wanted.Add("region");
        if (Has("country")) wanted.Add("country");
        if (Has("street", "address")) wanted.Add("street");
        if (Has("owner")) wanted.Add("owner");
        if (Has("domain")) wanted.AddRange(["domain", "companyDomain"]);
        if (Has("website")) wanted.Add("domain");
        if (Has("amount", "revenue")) wanted.Add("amount");
        if (Has("stage")) wanted.AddRange(["stage", "lifecycle"]);
        return wanted.Select(Field).OfType<ImportField>().Where(f => f.AllowsSeveralColumns || !taken.Contains(f.Key));
    }

    /// <summary>Typos only: one edit in a header of 5–7 letters, two from 8 letters; shorter headers must match exactly.</summary>
    private static IEnumerable<ImportField> Fuzzy(string compact, IReadOnlyList<ImportField> fields)
    {
        var allowed = compact.Length >= 8 ? 2 : compact.Length >= 5 ? 1 : 0;
        if (allowed == 0) return [];
        return fields
            .Select(f => (Field: f, Distance: f.Synonyms.Append(f.Key).Select(s => Distance(compact, Compact(s))).DefaultIfEmpty(int.MaxValue).Min()))
            .Where(x => x.Distance <= allowed)
            .OrderBy(x => x.Distance)
            .Select(x => x.Field);
    }

    /// <summary>Damerau-Levenshtein (optimal string alignment): insertions, deletions, substitutions, swaps.</summary>
    public static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2) return int.MaxValue;
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
