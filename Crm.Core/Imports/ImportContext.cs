using Crm.Core.Common;
using Crm.Core.CustomFields;
using Crm.Core.Deals;
using Crm.Core.Users;

namespace Crm.Core.Imports;

/// <summary>What a run or a dry run knows once, up front: the job, its fields and mapping, and the workspace's lookups.</summary>
public sealed class ImportContext
{
    public required ImportJob Job { get; init; }
    public required Actor Actor { get; init; }
    public required IReadOnlyList<ImportField> Fields { get; init; }
    public required RowMapper Mapper { get; init; }
    public required IReadOnlyList<UserView> Users { get; init; }
    public required IReadOnlyList<PipelineView> Pipelines { get; init; }
    public required IReadOnlyList<CustomFieldView> CustomFields { get; init; }
    public required string DefaultCurrency { get; init; }
    /// <summary>The run's lease, checked in every batch's transaction (none for a dry run, which writes nothing).</summary>
    public Runs.RunLease? Lease { get; init; }
    /// <summary>The event types some active webhook endpoint wants when the import starts: only those are written per record.</summary>
    public IReadOnlySet<string> AnnouncedEvents { get; init; } = new HashSet<string>();

    public RecordType Type => Job.ObjectType;
    public ImportOptions Options => Job.Options;
    public string MatchField => Mapper.MatchField;

    /// <summary>
    /// Guards the four account maps below: a run plans the next batch (reading and adding pending accounts) while the
    /// previous one commits (turning its pending accounts into known ones).
    /// </summary>
    public object AccountsLock { get; } = new();

    /// <summary>Accounts by lower-case name and by domain, filled as batches look them up or create them.</summary>
    public Dictionary<string, long> AccountsByName { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, long> AccountsByDomain { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, PendingAccount> PendingByName { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, PendingAccount> PendingByDomain { get; } = new(StringComparer.Ordinal);

    /// <summary>The (first) column mapped to a field, to name it in errors and apply its value map.</summary>
    public ColumnMapping? Column(string fieldKey) => Job.Mapping.Columns.FirstOrDefault(c => c.Field == fieldKey);

    /// <summary>A reference value through its column's value map ("Value Proposition" → "Proposal").</summary>
    public string Mapped(string fieldKey, string value)
    {
        var map = Column(fieldKey)?.ValueMap;
        if (map is null) return value;
        var key = ImportValues.PicklistKey(value);
        return map.FirstOrDefault(kv => ImportValues.PicklistKey(kv.Key) == key).Value ?? value;
    }

    public bool MapsAccounts => Job.Mapping.Columns.Any(c => c.Field is "company" or "companyDomain");

    public UserView? Owner(string reference)
    {
        var text = reference.Trim();
        return Users.FirstOrDefault(u => u.IsActive && string.Equals(u.Email, text, StringComparison.OrdinalIgnoreCase))
               ?? Users.FirstOrDefault(u => u.IsActive && string.Equals(u.Name, text, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>After a batch is committed its new accounts have ids: later rows use them directly.</summary>
    public void Committed(IEnumerable<PendingAccount> accounts)
    {
        lock (AccountsLock) CommittedLocked(accounts);
    }

    private void CommittedLocked(IEnumerable<PendingAccount> accounts)
    {
        foreach (var account in accounts.Where(a => a.Id != 0))
        {
            var name = account.Name.ToLowerInvariant();
            AccountsByName[name] = account.Id;
            if (PendingByName.GetValueOrDefault(name) == account) PendingByName.Remove(name);
            if (account.Domain is not null)
            {
                AccountsByDomain[account.Domain] = account.Id;
                if (PendingByDomain.GetValueOrDefault(account.Domain) == account) PendingByDomain.Remove(account.Domain);
            }
        }
    }
}
