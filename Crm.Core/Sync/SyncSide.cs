using System.Security.Cryptography;
using System.Text;

namespace Crm.Core.Sync;

/// <summary>
/// One side's record as the engine sees it: our field keys and text values (a connector's mapper normalises the
/// provider's), when the record changed, and when each field changed where the side knows it (HubSpot's property
/// history); a deleted or archived record has <see cref="DeletedAt"/>.
/// </summary>
public sealed record SyncSide(IReadOnlyDictionary<string, string?> Fields, DateTimeOffset ModifiedAt, IReadOnlyDictionary<string, DateTimeOffset>? FieldModifiedAt = null,
    DateTimeOffset? DeletedAt = null)
{
    public bool Deleted => DeletedAt is not null;

    public DateTimeOffset ChangedAt(string field) => FieldModifiedAt is not null && FieldModifiedAt.TryGetValue(field, out var at) ? at : ModifiedAt;

    public string? Value(string field) => Fields.TryGetValue(field, out var value) ? Normal(value) : null;

    /// <summary>Empty and missing are the same value: neither side can tell them apart.</summary>
    public static string? Normal(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>
    /// SHA-256 of the given fields' values, in key order: what the link row keeps per side, so a record whose synced
    /// fields did not change is known without comparing them one by one.
    /// </summary>
    public string Hash(IEnumerable<string> fields)
    {
        var text = new StringBuilder();
        foreach (var field in fields.Order(StringComparer.Ordinal))
            text.Append(field).Append('\u001f').Append(Value(field) ?? "\u0000").Append('\u001e');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

/// <summary>
/// What the link row remembers of the last sync: each side's hash and values (in our field keys) as they were left. The
/// sides may rightly differ (a one-way field, an owner each side keeps): each is compared with its own.
/// </summary>
public sealed record SyncBase(string? LocalHash, string? RemoteHash, IReadOnlyDictionary<string, string?> LocalValues,
    IReadOnlyDictionary<string, string?> RemoteValues, DateTimeOffset SyncedAt)
{
    /// <summary>A pair matched for the first time: nothing agreed yet, so every field that differs is a conflict for the rules.</summary>
    public static SyncBase New(DateTimeOffset at) => new(null, null, new Dictionary<string, string?>(), new Dictionary<string, string?>(), at);
}

/// <summary>A field of a mapping and the way it travels.</summary>
public sealed record MappedField(string Field, FieldDirection Direction)
{
    public bool GoesOut => Direction is FieldDirection.Both or FieldDirection.Out;
    public bool ComesIn => Direction is FieldDirection.Both or FieldDirection.In;
}
