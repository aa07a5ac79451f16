using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Common;

/// <summary>
/// Checks that ids a caller sends point at records of the caller's own workspace. Because every set is
/// workspace-filtered, another workspace's id looks exactly like a missing one.
/// </summary>
public static class References
{
    public static async Task CheckAsync(ICrmDb db, long? ownerId, long? accountId, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (ownerId is { } owner && !await db.Users.AnyAsync(u => u.Id == owner && u.IsActive, ct))
            errors["OwnerId"] = [$"Owner {owner} is not an active user of this workspace."];
        if (accountId is { } account && !await db.Accounts.AnyAsync(a => a.Id == account, ct))
            errors["AccountId"] = [$"Account {account} was not found."];
        if (errors.Count > 0) throw new ValidationFailedException(errors);
    }

    /// <summary>Whether two sets of custom field values are the same (a record is only changed when they are not).</summary>
    public static bool SameValues(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    /// <summary>
    /// Validates custom field values against the workspace's definitions; returns the cleaned values. A value the record
    /// already holds for a field since removed is kept as it is (removing a field keeps its values), so saving a record
    /// never fails on it; a new value for an unknown key is refused.
    /// </summary>
    public static async Task<Dictionary<string, string>> CustomFieldsAsync(
        ICrmDb db, RecordType recordType, IReadOnlyDictionary<string, string?>? values, IReadOnlyDictionary<string, string> current, CancellationToken ct)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (values is null || values.Count == 0) return result;
        var definitions = await db.CustomFieldDefinitions.AsNoTracking()
            .Where(d => d.RecordType == recordType)
            .ToDictionaryAsync(d => d.Key, ct);
        var errors = new List<string>();
        foreach (var (key, value) in values)
        {
            if (!definitions.TryGetValue(key, out var definition))
            {
                if (string.IsNullOrWhiteSpace(value)) continue;
                if (current.TryGetValue(key, out var held) && held == value)
                {
                    result[key] = held;
                    continue;
                }
                errors.Add($"'{key}' is not a custom field of {recordType.ToString().ToLowerInvariant()}s.");
                continue;
            }
            if (string.IsNullOrWhiteSpace(value)) continue;
            var error = definition.Normalize(value, out var normalized);
            if (error is null) result[key] = normalized;
            else errors.Add(error);
        }
        if (errors.Count > 0) throw new ValidationFailedException(new Dictionary<string, string[]> { ["CustomFields"] = errors.ToArray() });
        return result;
    }
}
