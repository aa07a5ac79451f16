using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Deals;
using Crm.Core.Fields;

namespace Crm.Core.Imports;

/// <summary>A record property an import can write: its name, type and accessors.</summary>
public sealed record TargetProperty(string Name, Type Type, Func<ITrackedRecord, object?> Get, Action<ITrackedRecord, object?> Set);

/// <summary>
/// What an import can write on each record type — the properties of <see cref="RecordFields"/> — so planning, writing,
/// before-images, rollback and merges all speak the same property names (which are also the history's field names).
/// </summary>
public sealed class ImportTarget
{
    private readonly Dictionary<string, TargetProperty> _byName;

    private readonly Dictionary<string, string> _propertyByField;

    private ImportTarget(RecordType type, Func<ITrackedRecord> create, IReadOnlyList<RecordField> fields)
    {
        Type = type;
        New = create;
        Properties = fields.Where(f => f.Access is not null).Select(f => f.Access!).ToList();
        _byName = Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
        _propertyByField = fields.Where(f => f.Property is not null).ToDictionary(f => f.Key, f => f.Property!, StringComparer.Ordinal);
    }

    public RecordType Type { get; }
    public Func<ITrackedRecord> New { get; }
    public IReadOnlyList<TargetProperty> Properties { get; }

    public TargetProperty this[string name] => _byName[name];

    public bool Has(string name) => _byName.ContainsKey(name);

    public static ImportTarget For(RecordType type) => type switch
    {
        RecordType.Contact => Contact,
        RecordType.Account => Account,
        RecordType.Deal => Deal,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static readonly ImportTarget Contact = new(RecordType.Contact, () => new Contact(), RecordFields.Contact);

    public static readonly ImportTarget Account = new(RecordType.Account, () => new Account(), RecordFields.Account);

    public static readonly ImportTarget Deal = new(RecordType.Deal, () => new Deal(), RecordFields.Deal);

    /// <summary>The property a simple (one column, one property) field writes: "firstName" → "FirstName".</summary>
    public string PropertyOf(string fieldKey) => _propertyByField[fieldKey];
}
