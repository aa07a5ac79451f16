namespace Crm.Core.Imports;

/// <summary>
/// One column over the whole file, from the inspection's single pass: how many rows have a value in it, and — while it
/// has few different ones, as a picklist column has — each value with how often it occurs.
/// </summary>
/// <param name="Values">Trimmed values, most frequent first; null when the column has more than <see cref="ColumnProfiler.MaxDistinct"/> different values (or a long one).</param>
public sealed record ColumnProfile(int NonEmpty, IReadOnlyList<ValueCount>? Values)
{
    public bool IsEmpty => NonEmpty == 0;
}

/// <summary>Builds <see cref="ColumnProfile"/>s row by row, with bounded memory: a column stops listing values once it has too many.</summary>
public sealed class ColumnProfiler
{
    public const int MaxDistinct = 100;
    /// <summary>A value longer than this is free text, not an option.</summary>
    public const int MaxValueLength = 100;

    private readonly List<int> _nonEmpty = [];
    private readonly List<Dictionary<string, int>?> _values = [];

    public void Add(string?[] fields)
    {
        var width = Math.Min(fields.Length, ImportLimits.MaxColumns);
        while (_nonEmpty.Count < width)
        {
            _nonEmpty.Add(0);
            _values.Add(new Dictionary<string, int>(StringComparer.Ordinal));
        }
        for (var i = 0; i < width; i++)
        {
            var field = fields[i];
            if (string.IsNullOrWhiteSpace(field)) continue;
            _nonEmpty[i]++;
            if (_values[i] is not { } values) continue;
            var value = field.Trim();
            if (value.Length > MaxValueLength)
            {
                _values[i] = null;
                continue;
            }
            values.TryGetValue(value, out var count);
            if (count == 0 && values.Count == MaxDistinct) _values[i] = null;
            else values[value] = count + 1;
        }
    }

    /// <summary>The profiles of the first <paramref name="columns"/> columns (a column no row reached is empty).</summary>
    public IReadOnlyList<ColumnProfile> Build(int columns) =>
        Enumerable.Range(0, columns).Select(i => i < _nonEmpty.Count
            ? new ColumnProfile(_nonEmpty[i], _values[i]?.OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal)
                .Select(v => new ValueCount(v.Key, v.Value)).ToList())
            : new ColumnProfile(0, [])).ToList();
}
