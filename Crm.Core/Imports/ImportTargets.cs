using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Deals;

namespace Crm.Core.Imports;

/// <summary>A record property an import can write: its name, type and accessors.</summary>
public sealed record TargetProperty(string Name, Type Type, Func<ITrackedRecord, object?> Get, Action<ITrackedRecord, object?> Set);

/// <summary>
/// What an import can write on each record type, so planning, writing, before-images and rollback all speak the same
/// property names (which are also the history's field names).
/// </summary>
public sealed class ImportTarget
{
    private readonly Dictionary<string, TargetProperty> _byName;

    private ImportTarget(RecordType type, Func<ITrackedRecord> create, IReadOnlyList<TargetProperty> properties)
    {
        Type = type;
        New = create;
        Properties = properties;
        _byName = properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
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

    private static TargetProperty P<T, TValue>(string name, Func<T, TValue> get, Action<T, TValue> set) where T : ITrackedRecord =>
        new(name, typeof(TValue), r => get((T)r), (r, v) => set((T)r, (TValue)v!));

    public static readonly ImportTarget Contact = new(RecordType.Contact, () => new Contact(),
    [
        P<Contact, string?>("FirstName", c => c.FirstName, (c, v) => c.FirstName = v),
        P<Contact, string?>("LastName", c => c.LastName, (c, v) => c.LastName = v),
        P<Contact, string?>("Email", c => c.Email, (c, v) => c.Email = v),
        P<Contact, List<string>>("AdditionalEmails", c => c.AdditionalEmails, (c, v) => c.AdditionalEmails = v ?? []),
        P<Contact, string?>("Phone", c => c.Phone, (c, v) => c.Phone = v),
        P<Contact, string?>("JobTitle", c => c.JobTitle, (c, v) => c.JobTitle = v),
        P<Contact, long?>("AccountId", c => c.AccountId, (c, v) => c.AccountId = v),
        P<Contact, Lifecycle>("Lifecycle", c => c.Lifecycle, (c, v) => c.Lifecycle = v),
        P<Contact, int?>("LeadScore", c => c.LeadScore, (c, v) => c.LeadScore = v),
        P<Contact, string?>("ScoreTier", c => c.ScoreTier, (c, v) => c.ScoreTier = v),
        P<Contact, long?>("OwnerId", c => c.OwnerId, (c, v) => c.OwnerId = v),
        P<Contact, string?>("Source", c => c.Source, (c, v) => c.Source = v),
        P<Contact, string?>("SourceDetail", c => c.SourceDetail, (c, v) => c.SourceDetail = v),
        P<Contact, string?>("LinkedInUrl", c => c.LinkedInUrl, (c, v) => c.LinkedInUrl = v),
        P<Contact, string?>("Street", c => c.Street, (c, v) => c.Street = v),
        P<Contact, string?>("City", c => c.City, (c, v) => c.City = v),
        P<Contact, string?>("Region", c => c.Region, (c, v) => c.Region = v),
        P<Contact, string?>("PostalCode", c => c.PostalCode, (c, v) => c.PostalCode = v),
        P<Contact, string?>("Country", c => c.Country, (c, v) => c.Country = v),
        P<Contact, Dictionary<string, string>>("CustomFields", c => c.CustomFields, (c, v) => c.CustomFields = v ?? []),
    ]);

    public static readonly ImportTarget Account = new(RecordType.Account, () => new Account(),
    [
        P<Account, string>("Name", a => a.Name, (a, v) => a.Name = v ?? ""),
        P<Account, string?>("Domain", a => a.Domain, (a, v) => a.Domain = v),
        P<Account, string?>("Phone", a => a.Phone, (a, v) => a.Phone = v),
        P<Account, string?>("Industry", a => a.Industry, (a, v) => a.Industry = v),
        P<Account, string?>("Street", a => a.Street, (a, v) => a.Street = v),
        P<Account, string?>("City", a => a.City, (a, v) => a.City = v),
        P<Account, string?>("Region", a => a.Region, (a, v) => a.Region = v),
        P<Account, string?>("PostalCode", a => a.PostalCode, (a, v) => a.PostalCode = v),
        P<Account, string?>("Country", a => a.Country, (a, v) => a.Country = v),
        P<Account, long?>("OwnerId", a => a.OwnerId, (a, v) => a.OwnerId = v),
    ]);

    public static readonly ImportTarget Deal = new(RecordType.Deal, () => new Deal(),
    [
        P<Deal, string>("Name", d => d.Name, (d, v) => d.Name = v ?? ""),
        P<Deal, decimal?>("Amount", d => d.Amount, (d, v) => d.Amount = v),
        P<Deal, string>("Currency", d => d.Currency, (d, v) => d.Currency = v ?? "USD"),
        P<Deal, long>("PipelineId", d => d.PipelineId, (d, v) => d.PipelineId = v),
        P<Deal, long>("StageId", d => d.StageId, (d, v) => d.StageId = v),
        P<Deal, DateOnly?>("CloseDate", d => d.CloseDate, (d, v) => d.CloseDate = v),
        P<Deal, int>("Probability", d => d.Probability, (d, v) => d.Probability = v),
        P<Deal, long?>("OwnerId", d => d.OwnerId, (d, v) => d.OwnerId = v),
        P<Deal, long?>("AccountId", d => d.AccountId, (d, v) => d.AccountId = v),
    ]);

    /// <summary>The property a simple (one column, one property) field writes: "firstName" → "FirstName".</summary>
    public static string PropertyOf(string fieldKey) => char.ToUpperInvariant(fieldKey[0]) + fieldKey[1..];
}
