namespace Crm.Core.Common;

/// <summary>
/// Which fields of an input a write applies: every one (a create, a full replace) or only those a patch names. The
/// writers change, and validation reports on, exactly these; history then records the ones whose value changed.
/// </summary>
public sealed class WrittenFields
{
    private readonly HashSet<string>? _properties;

    private WrittenFields(HashSet<string>? properties) => _properties = properties;

    public static readonly WrittenFields All = new(null);

    /// <param name="properties">Input property names ("FirstName", "CustomFields").</param>
    public static WrittenFields Only(IEnumerable<string> properties) => new(properties.ToHashSet(StringComparer.Ordinal));

    public bool Has(string property) => _properties is null || _properties.Contains(property);

    public bool HasAny(params string[] properties) => properties.Any(Has);
}
