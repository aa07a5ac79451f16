namespace Crm.Core.Imports;

/// <summary>
/// Remembers the match keys of rows already accepted (as 64-bit hashes: a million rows cost ~40 MB) and refuses a
/// later row with the same key, naming the line of the first.
/// </summary>
public sealed class InFileDuplicates(string matchField)
{
    private readonly Dictionary<ulong, long> _seen = [];

    public void Check(ImportRecord record)
    {
        if (record.Failed || record.MatchKey is null) return;
        var hash = Hash(record.MatchKey);
        if (_seen.TryGetValue(hash, out var line))
            record.Issues.Add(new ImportIssue(null, record.MatchKey, ImportErrorType.Duplicate, $"Same {matchField} as line {line} of this file."));
        else
            _seen[hash] = record.Source.LineNumber;
    }

    /// <summary>FNV-1a, 64 bits: stable across runs (a resumed import rebuilds the same set).</summary>
    private static ulong Hash(string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash;
    }
}
