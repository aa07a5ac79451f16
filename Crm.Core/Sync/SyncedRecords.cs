using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Sync;

/// <summary>
/// One of our record types as the sync sees it: where it lives, its fields as text (our field keys), how a change is
/// written (through the type's own validation), and the field records are matched by on a first meeting.
/// </summary>
public interface ISyncedRecords<T> : ISyncedFields where T : Entity, ITimestamped, ISoftDeletable
{
    /// <summary>Our field a never-linked record is matched by (a contact's email, a company's domain); null: never matched.</summary>
    string? MatchField { get; }
    IQueryable<T> Query(ICrmDb db);
    Dictionary<string, string?> Read(T record);
    T New();
    void Add(ICrmDb db, T record);
    Task WriteAsync(ICrmDb db, T record, IReadOnlyDictionary<string, string?> values, CancellationToken ct);
    /// <summary>An unlinked record of ours whose match field is <paramref name="value"/>.</summary>
    Task<T?> MatchAsync(ICrmDb db, string value, IQueryable<long> linked, CancellationToken ct);

    /// <summary>Of these match values, the ones some record here has (lower-case): one query a batch, so a first sync into an empty workspace asks nothing per record.</summary>
    Task<IReadOnlySet<string>> PresentAsync(ICrmDb db, IReadOnlyCollection<string> values, CancellationToken ct) =>
        Task.FromResult<IReadOnlySet<string>>(values.Select(v => v.ToLowerInvariant()).ToHashSet());

    /// <summary>Two of ours became one there: <paramref name="loserId"/> folds into <paramref name="winnerId"/> here too.</summary>
    Task MergeAsync(ICrmDb db, long winnerId, long loserId, DateTimeOffset now, CancellationToken ct);

    /// <summary>The map with value pairs that depend on both sides' data (a deal's stages), given their picklists.</summary>
    Task<FieldMap> ResolveAsync(ICrmDb db, FieldMap map, IReadOnlyDictionary<string, IReadOnlyList<RemoteOption>> picklists, CancellationToken ct) => Task.FromResult(map);
}

/// <summary>What a mapping may name on our side for one record type.</summary>
public interface ISyncedFields
{
    RecordType RecordType { get; }
    IReadOnlySet<string> Supported { get; }
    /// <summary>Whether a field key can be synced: the fixed ones, and for contacts their custom fields ("custom.&lt;key&gt;").</summary>
    bool Supports(string field) => Supported.Contains(field);
    /// <summary>The fields a mapping may name here, with their labels and (for picklists) values.</summary>
    Task<IReadOnlyList<OurField>> FieldsAsync(ICrmDb db, CancellationToken ct);
    /// <summary>Fields a record cannot be created there without (a deal's stage): one that cannot be translated stops the create.</summary>
    IReadOnlySet<string> RequiredThere => new HashSet<string>();

    /// <summary>Our record type behind a connector's object type.</summary>
    static ISyncedFields? For(string objectType) => objectType switch
    {
        "contacts" => new SyncedContacts(),
        "companies" => new SyncedAccounts(),
        "deals" => new SyncedDeals(),
        _ => null,
    };
}

/// <summary>One of our fields as the mapping editor offers it.</summary>
public sealed record OurField(string Key, string Label, IReadOnlyList<string>? Values = null, bool Custom = false);

public sealed class SyncedContacts : ISyncedRecords<Contact>
{
    public RecordType RecordType => RecordType.Contact;
    public IReadOnlySet<string> Supported => ContactSyncFields.Supported;
    public bool Supports(string field) => Supported.Contains(field) || field.StartsWith(ContactSyncFields.CustomPrefix, StringComparison.Ordinal);

    public async Task<IReadOnlyList<OurField>> FieldsAsync(ICrmDb db, CancellationToken ct)
    {
        var custom = await db.CustomFieldDefinitions.AsNoTracking().Where(d => d.RecordType == RecordType.Contact).OrderBy(d => d.Label)
            .Select(d => new { d.Key, d.Label }).ToListAsync(ct);
        return
        [
            new("firstName", "First name"), new("lastName", "Last name"), new("email", "Email"), new("phone", "Phone"), new("jobTitle", "Job title"),
            new("company", "Company (account name)"), new("lifecycle", "Lifecycle stage", Lifecycles.InOrder.Select(n => n.ToString().ToLowerInvariant()).ToList()),
            new("scoreTier", "Score tier"), new("source", "Source"), new("sourceDetail", "Source detail"), new("owner", "Owner"),
            .. custom.Select(c => new OurField(ContactSyncFields.CustomPrefix + c.Key, c.Label, null, true)),
        ];
    }
    public string? MatchField => "email";
    public IQueryable<Contact> Query(ICrmDb db) => db.Contacts.Include(c => c.Account);
    public Dictionary<string, string?> Read(Contact record) => ContactSyncFields.Read(record);
    public Contact New() => new();
    public void Add(ICrmDb db, Contact record) => db.Contacts.Add(record);
    public Task WriteAsync(ICrmDb db, Contact record, IReadOnlyDictionary<string, string?> values, CancellationToken ct) => ContactSyncFields.WriteAsync(db, record, values, ct);

    public async Task<IReadOnlySet<string>> PresentAsync(ICrmDb db, IReadOnlyCollection<string> values, CancellationToken ct)
    {
        var lowered = values.Select(v => v.ToLowerInvariant()).Distinct().ToList();
        return (await db.Contacts.Where(c => c.Email != null && lowered.Contains(c.Email)).Select(c => c.Email!).ToListAsync(ct)).ToHashSet();
    }

    public Task<Contact?> MatchAsync(ICrmDb db, string value, IQueryable<long> linked, CancellationToken ct) =>
        db.Contacts.Include(c => c.Account).Where(c => c.Email == value.ToLowerInvariant() && !linked.Contains(c.Id)).FirstOrDefaultAsync(ct);

    public Task MergeAsync(ICrmDb db, long winnerId, long loserId, DateTimeOffset now, CancellationToken ct) =>
        Duplicates.Merges.MergeAsync(db, RecordType.Contact, new Duplicates.MergeRequest(winnerId, loserId), now, ct);
}

/// <summary>Companies are our accounts: name, domain, phone, city, country, industry, owner; matched by domain.</summary>
public sealed class SyncedAccounts : ISyncedRecords<Account>
{
    public RecordType RecordType => RecordType.Account;
    public IReadOnlySet<string> Supported { get; } = new HashSet<string>(StringComparer.Ordinal) { "name", "domain", "phone", "city", "country", "industry", "owner" };
    public string? MatchField => "domain";
    public IQueryable<Account> Query(ICrmDb db) => db.Accounts;

    public Task<IReadOnlyList<OurField>> FieldsAsync(ICrmDb db, CancellationToken ct) => Task.FromResult<IReadOnlyList<OurField>>(
    [
        new("name", "Name"), new("domain", "Domain"), new("phone", "Phone"), new("city", "City"), new("country", "Country"), new("industry", "Industry"), new("owner", "Owner"),
    ]);

    public Dictionary<string, string?> Read(Account a) => new()
    {
        ["name"] = a.Name, ["domain"] = a.Domain, ["phone"] = a.Phone, ["city"] = a.City, ["country"] = a.Country, ["industry"] = a.Industry,
        ["owner"] = a.OwnerId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public Account New() => new();
    public void Add(ICrmDb db, Account record) => db.Accounts.Add(record);

    public async Task WriteAsync(ICrmDb db, Account account, IReadOnlyDictionary<string, string?> values, CancellationToken ct)
    {
        var input = new AccountInput { Name = account.Name.Length > 0 ? account.Name : null };
        var written = new List<string>();
        foreach (var (field, raw) in values)
        {
            var value = SyncSide.Normal(raw);
            switch (field)
            {
                case "name": input.Name = value; written.Add(nameof(input.Name)); break;
                case "domain": input.Domain = value; written.Add(nameof(input.Domain)); break;
                case "phone": input.Phone = value; written.Add(nameof(input.Phone)); break;
                case "city": input.City = value; written.Add(nameof(input.City)); break;
                case "country": input.Country = value; written.Add(nameof(input.Country)); break;
                case "industry": input.Industry = value; written.Add(nameof(input.Industry)); break;
                case "owner":
                    input.OwnerId = value is null ? null : long.TryParse(value, out var owner) ? owner
                        : throw new ValidationFailedException(new Dictionary<string, string[]> { ["OwnerId"] = [$"\"{value}\" is not a user here."] });
                    written.Add(nameof(input.OwnerId));
                    break;
            }
        }
        // A company created from the other side without a name cannot exist here.
        if (account.Id == 0 && !written.Contains(nameof(input.Name))) written.Add(nameof(input.Name));
        await AccountWriter.ApplyAsync(db, account, input, WrittenFields.Only(written), ct);
    }

    public Task MergeAsync(ICrmDb db, long winnerId, long loserId, DateTimeOffset now, CancellationToken ct) =>
        Duplicates.Merges.MergeAsync(db, RecordType.Account, new Duplicates.MergeRequest(winnerId, loserId), now, ct);

    /// <summary>Domains are stored normalised (lower case, no scheme or www.): looked up along their index, a batch at a time.</summary>
    public async Task<IReadOnlySet<string>> PresentAsync(ICrmDb db, IReadOnlyCollection<string> values, CancellationToken ct)
    {
        var normalized = values.Select(Domains.Normalize).OfType<string>().Distinct().ToList();
        var found = (await db.Accounts.Where(a => a.Domain != null && normalized.Contains(a.Domain)).Select(a => a.Domain!).ToListAsync(ct)).ToHashSet();
        return values.Where(v => Domains.Normalize(v) is { } d && found.Contains(d)).Select(v => v.ToLowerInvariant()).ToHashSet();
    }

    public Task<Account?> MatchAsync(ICrmDb db, string value, IQueryable<long> linked, CancellationToken ct)
    {
        var domain = Domains.Normalize(value);
        return db.Accounts.Where(a => a.Domain != null && a.Domain == domain && !linked.Contains(a.Id)).FirstOrDefaultAsync(ct);
    }
}
