using Crm.Core.Accounts;

namespace Crm.Core.Imports;

/// <summary>
/// A problem with a row: which column, the value as it was, what kind, and a sentence for a person. <paramref name="Kept"/>:
/// the row was imported without that field (its column says to leave what it cannot take empty).
/// </summary>
public sealed record ImportIssue(string? Column, string? Value, ImportErrorType Type, string Message, bool Kept = false);

/// <summary>A data row after mapping and transforms: property values ready for a record, references still by name.</summary>
public sealed class ImportRecord(SourceRow source, int capacity = 0)
{
    public SourceRow Source { get; } = source;
    public int RowNumber => Source.RowNumber;

    /// <summary>Entity property name → typed value (only the values the row has).</summary>
    public Dictionary<string, object?> Values { get; } = new(capacity, StringComparer.Ordinal);
    public Dictionary<string, string> Custom { get; } = new(StringComparer.Ordinal);
    public long? Id { get; set; }
    public string? AccountName { get; set; }
    public string? AccountDomain { get; set; }
    public string? OwnerRef { get; set; }
    public string? PipelineName { get; set; }
    public string? StageName { get; set; }
    public List<string> ContactEmails { get; } = [];
    /// <summary>The full name as the file wrote it (a company row's name is not split into first and last).</summary>
    public string? FullName { get; set; }
    /// <summary>A row of a contacts file that is a company (flagged so, or with a company and no person): it becomes or links an account.</summary>
    public bool IsCompany { get; set; }

    /// <summary>The account name of a company row: its name as written, else its first and last name, else its company.</summary>
    public string? CompanyName =>
        FullName ?? (string.Join(" ", new[] { Values.GetValueOrDefault("FirstName") as string, Values.GetValueOrDefault("LastName") as string }.OfType<string>()) is { Length: > 0 } joined ? joined : AccountName);

    /// <summary>The normalised value of the match field; null when the row has none.</summary>
    public string? MatchKey { get; set; }
    public List<ImportIssue> Issues { get; } = [];
    /// <summary>Values this row is imported without (their columns leave what they cannot take empty).</summary>
    public List<ImportIssue> LeftEmpty { get; } = [];
    /// <summary>Values read after an unambiguous correction ("&lt;ada@x.org&gt;" → ada@x.org), said in the test import.</summary>
    public List<string> Notes { get; } = [];
    public bool Failed => Issues.Count > 0;

    // References, as the planner resolved them.
    public long? AccountId { get; set; }
    /// <summary>Set by the planner when the row's company is an account this import creates.</summary>
    public PendingAccount? NewAccount { get; set; }
    public long? OwnerId { get; set; }
    public long? PipelineId { get; set; }
    public long? StageId { get; set; }
    public int? StageProbability { get; set; }
    public List<long>? ContactIds { get; set; }

    /// <summary>
    /// A value the row cannot have: the row fails, unless its column leaves such values empty — then the row goes on
    /// without it. Whole-row problems (its shape, a missing required field, a duplicate, no match) always fail it.
    /// </summary>
    public void Fail(ColumnMapping? column, string? value, ImportErrorType type, string message)
    {
        if (column is { OnInvalid: InvalidValueAction.LeaveEmpty } && type is not (ImportErrorType.Row or ImportErrorType.Required or ImportErrorType.Duplicate or ImportErrorType.NoMatch))
            LeftEmpty.Add(new ImportIssue(column.Header, Truncate(value), type, message, Kept: true));
        else
            Issues.Add(new ImportIssue(column?.Header, Truncate(value), type, message));
    }

    public string? DisplayName =>
        (Values.GetValueOrDefault("Name") as string)
        ?? Contacts.ContactNames.Display(Values.GetValueOrDefault("FirstName") as string, Values.GetValueOrDefault("LastName") as string, Values.GetValueOrDefault("Email") as string);

    private static string? Truncate(string? value) => value is { Length: > 500 } ? value[..500] + "…" : value;
}

/// <summary>An account an import creates because a row names a company that does not exist yet, or is one.</summary>
public sealed class PendingAccount(string name, string? domain)
{
    /// <summary>What a company row of a contacts file gives its account (the fields both records have).</summary>
    public static readonly string[] CompanyRowFields = [nameof(Account.Phone), nameof(Account.Street), nameof(Account.City), nameof(Account.Region), nameof(Account.PostalCode), nameof(Account.Country)];

    public string Name { get; } = name;
    public string? Domain { get; set; } = domain;
    public long? OwnerId { get; set; }
    /// <summary>Account property → value, from a company row; a value already there is kept.</summary>
    public Dictionary<string, string> Details { get; } = new(StringComparer.Ordinal);
    /// <summary>Set by the writer once inserted.</summary>
    public long Id { get; set; }
    /// <summary>Set once the batch that makes it is planned: a later batch's company row no longer changes it (it may be being written).</summary>
    public bool Sealed { get; set; }

    /// <summary>Takes a company row's details for the fields still empty.</summary>
    public void Fill(ImportRecord row)
    {
        foreach (var field in CompanyRowFields)
            if (row.Values.GetValueOrDefault(field) is string value) Details.TryAdd(field, value);
        OwnerId ??= row.OwnerId;
        Domain ??= row.AccountDomain;
    }

    /// <summary>The account to insert, the one definition both import writers use.</summary>
    public Account ToAccount(long importId) => new()
    {
        Name = Name, Domain = Domain, OwnerId = OwnerId, CreatedByImportId = importId,
        Phone = Details.GetValueOrDefault(nameof(Account.Phone)), Street = Details.GetValueOrDefault(nameof(Account.Street)),
        City = Details.GetValueOrDefault(nameof(Account.City)), Region = Details.GetValueOrDefault(nameof(Account.Region)),
        PostalCode = Details.GetValueOrDefault(nameof(Account.PostalCode)), Country = Details.GetValueOrDefault(nameof(Account.Country)),
    };
}
