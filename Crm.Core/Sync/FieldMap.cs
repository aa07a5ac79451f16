using System.Globalization;

namespace Crm.Core.Sync;

/// <summary>
/// One mapped field: their property, our field key, the way it travels, and for picklists the value pairs
/// (theirs, ours) in order of preference — several of theirs may mean one of ours (HubSpot's "evangelist" and
/// "customer" are both our customer); going out, the first pair with our value gives theirs.
/// </summary>
public sealed record FieldMapEntry(string Theirs, string Ours, FieldDirection Direction, IReadOnlyList<ValuePair>? Values = null, FieldKind Kind = FieldKind.Text);

/// <summary>One picklist value there and its counterpart here.</summary>
public sealed record ValuePair(string Theirs, string Ours)
{
    public static implicit operator ValuePair((string Theirs, string Ours) pair) => new(pair.Theirs, pair.Ours);
}

/// <summary>
/// How a value is written on each side, so the same value reads the same both ways (no echo of "1500" as "1500.00"):
/// numbers in invariant form without trailing zeros, dates as yyyy-MM-dd (a date-time there is read as its UTC date),
/// fractions there (0.2) as whole percentages here (20).
/// </summary>
public enum FieldKind
{
    Text = 0,
    Number = 1,
    Date = 2,
    Fraction = 3,
    /// <summary>A moment: ISO 8601 UTC to the millisecond on both sides (there: a date-time or milliseconds since 1970).</summary>
    Instant = 4,
    /// <summary>Rich text there (HubSpot's note bodies), plain text here: tags dropped, paragraphs and breaks kept as lines.</summary>
    Html = 5,
}

/// <summary>
/// A mapping between another system's properties and our fields, both ways. Values a picklist map does not know are
/// left out and named (the record's other fields still travel), never guessed.
/// </summary>
public sealed class FieldMap(IReadOnlyList<FieldMapEntry> entries)
{
    public IReadOnlyList<FieldMapEntry> Entries { get; } = entries;

    /// <summary>What the engine compares: our keys and their directions.</summary>
    public IReadOnlyList<MappedField> Fields => Entries.Select(e => new MappedField(e.Ours, e.Direction)).ToList();

    /// <summary>The properties to ask the other system for.</summary>
    public IReadOnlyList<string> TheirProperties => Entries.Where(e => e.Direction != FieldDirection.None).Select(e => e.Theirs).Distinct().ToList();

    /// <summary>Their properties as our fields; <paramref name="problems"/> gets each value that has no counterpart here.</summary>
    public Dictionary<string, string?> ToOurs(IReadOnlyDictionary<string, string?> theirs, ICollection<string> problems)
    {
        var ours = new Dictionary<string, string?>();
        foreach (var entry in Entries.Where(e => e.Direction != FieldDirection.None))
        {
            if (!theirs.TryGetValue(entry.Theirs, out var value)) continue;
            value = SyncSide.Normal(value);
            if (value is not null && entry.Kind != FieldKind.Text)
            {
                value = In(entry.Kind, value);
                if (value is null) { problems.Add($"{entry.Theirs} \"{theirs[entry.Theirs]}\" is not a {Describe(entry.Kind)}."); continue; }
            }
            if (value is null || entry.Values is null) { ours[entry.Ours] = value; continue; }
            var pair = entry.Values.FirstOrDefault(p => string.Equals(p.Theirs, value, StringComparison.OrdinalIgnoreCase));
            if (pair is null) problems.Add($"{entry.Theirs} \"{value}\" has no {entry.Ours} value here; add it to the mapping.");
            else ours[entry.Ours] = pair.Ours;
        }
        return ours;
    }

    /// <summary>Our fields as their properties; <paramref name="problems"/> gets each of our values they have no counterpart for.</summary>
    public Dictionary<string, string?> ToTheirs(IReadOnlyDictionary<string, string?> ours, ICollection<string> problems)
    {
        var theirs = new Dictionary<string, string?>();
        foreach (var entry in Entries.Where(e => e.Direction != FieldDirection.None))
        {
            if (!ours.TryGetValue(entry.Ours, out var value)) continue;
            value = SyncSide.Normal(value);
            if (value is not null && entry.Kind == FieldKind.Fraction)
                value = decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) ? Number(percent / 100m) : null;
            if (value is null || entry.Values is null) { theirs[entry.Theirs] = value; continue; }
            var pair = entry.Values.FirstOrDefault(p => string.Equals(p.Ours, value, StringComparison.OrdinalIgnoreCase));
            if (pair is null) problems.Add($"{entry.Ours} \"{value}\" has no {entry.Theirs} value there; add it to the mapping.");
            else theirs[entry.Theirs] = pair.Theirs;
        }
        return theirs;
    }

    /// <summary>Their value in our form; null when it is not one (the field is left out and named).</summary>
    public static string? In(FieldKind kind, string value) => kind switch
    {
        FieldKind.Number => decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? Number(number) : null,
        FieldKind.Fraction => decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction)
            ? Math.Round(fraction * 100m, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture) : null,
        // HubSpot's dates are midnight UTC date-times, or milliseconds since 1970.
        FieldKind.Date => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && value.Length > 8
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        FieldKind.Instant => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch) && value.Length > 8
            ? Instant(DateTimeOffset.FromUnixTimeMilliseconds(epoch))
            : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment) ? Instant(moment) : null,
        FieldKind.Html => PlainText(value),
        _ => value,
    };

    /// <summary>HTML as the plain text a timeline shows: block ends and breaks become line breaks, tags go, entities are decoded.</summary>
    public static string? PlainText(string html)
    {
        var lines = System.Text.RegularExpressions.Regex.Replace(html, @"<\s*(br|/p|/div|/li|/h[1-6])\s*/?\s*>", "\n", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        var text = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(lines, "<[^>]*>", ""));
        return SyncSide.Normal(string.Join('\n', text.Replace("\r", "").Split('\n').Select(l => l.TrimEnd())).Trim());
    }

    /// <summary>A moment as both sides are compared: UTC, to the millisecond.</summary>
    public static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Number(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);

    private static string Describe(FieldKind kind) => kind switch
    {
        FieldKind.Number or FieldKind.Fraction => "number",
        FieldKind.Date => "date",
        FieldKind.Instant => "date and time",
        _ => "text",
    };

    /// <summary>This map with one entry's value pairs replaced (a deal stage's, matched to our pipeline when the run starts).</summary>
    public FieldMap WithValues(string ours, IReadOnlyList<ValuePair> values) =>
        new(Entries.Select(e => e.Ours == ours ? e with { Values = values } : e).ToList());

    /// <summary>
    /// What is wrong with the mapping before it is saved: fields unknown on either side, a field of ours filled from two
    /// of theirs (or one of theirs from two of ours), picklist values that are not the field's.
    /// </summary>
    public IReadOnlyList<string> Validate(IReadOnlySet<string> ourFields, IReadOnlySet<string> theirProperties,
        IReadOnlyDictionary<string, IReadOnlySet<string>>? theirOptions = null, IReadOnlyDictionary<string, IReadOnlySet<string>>? ourOptions = null)
    {
        var problems = new List<string>();
        var active = Entries.Where(e => e.Direction != FieldDirection.None).ToList();
        foreach (var e in active)
        {
            if (!ourFields.Contains(e.Ours)) problems.Add($"\"{e.Ours}\" is not a field here.");
            if (!theirProperties.Contains(e.Theirs)) problems.Add($"\"{e.Theirs}\" is not a property there.");
            if (e.Values is null) continue;
            if (theirOptions?.GetValueOrDefault(e.Theirs) is { } allowedThere)
                foreach (var value in e.Values.Select(v => v.Theirs).Where(v => !allowedThere.Contains(v)).Distinct())
                    problems.Add($"\"{value}\" is not one of {e.Theirs}'s options there.");
            if (ourOptions?.GetValueOrDefault(e.Ours) is { } allowedHere)
                foreach (var value in e.Values.Select(v => v.Ours).Where(v => !allowedHere.Contains(v)).Distinct())
                    problems.Add($"\"{value}\" is not one of {e.Ours}'s values here.");
        }
        foreach (var twice in active.Where(e => e.Direction is FieldDirection.Both or FieldDirection.In).GroupBy(e => e.Ours).Where(g => g.Count() > 1))
            problems.Add($"\"{twice.Key}\" would be filled from {string.Join(" and ", twice.Select(e => e.Theirs))}; keep one coming in.");
        foreach (var twice in active.Where(e => e.Direction is FieldDirection.Both or FieldDirection.Out).GroupBy(e => e.Theirs).Where(g => g.Count() > 1))
            problems.Add($"\"{twice.Key}\" would be filled from {string.Join(" and ", twice.Select(e => e.Ours))}; keep one going out.");
        return problems;
    }
}
