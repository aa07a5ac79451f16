namespace Crm.Core.Imports;

public enum ImportFormat
{
    Csv = 0,
    Xlsx = 1,
}

/// <summary>How to read the file: detected on upload, shown, and overridable.</summary>
public sealed record ImportFileSettings
{
    public ImportFormat Format { get; init; }
    /// <summary>utf-8, utf-16le, utf-16be, utf-32le, utf-32be or windows-1252.</summary>
    public string? Encoding { get; init; }
    public char? Delimiter { get; init; }
    /// <summary>Which record holds the header (1 = the first); records before it are a preamble and are skipped.</summary>
    public int HeaderRow { get; init; } = 1;
    public string? Sheet { get; init; }
}

public enum DuplicateStrategy
{
    /// <summary>Leave the existing record as it is.</summary>
    Skip = 0,
    /// <summary>Overwrite the existing record's mapped fields with the file's non-empty values.</summary>
    Update = 1,
    /// <summary>Create a new record even when one matches.</summary>
    CreateNew = 2,
    /// <summary>Fill only the existing record's empty fields.</summary>
    Merge = 3,
    /// <summary>Update matches; rows that match nothing are skipped, never created.</summary>
    UpdateOnly = 4,
}

public sealed record ImportMapping
{
    public List<ColumnMapping> Columns { get; init; } = [];
}

/// <summary>One column of the file: where it goes (a field key, "custom.&lt;key&gt;", or nothing) and how to read it.</summary>
public sealed record ColumnMapping
{
    public int Index { get; init; }
    public string Header { get; init; } = "";
    /// <summary>Null: the column is ignored.</summary>
    public string? Field { get; init; }
    /// <summary>Set to create a new custom field with this label and map the column to it.</summary>
    public string? NewCustomFieldLabel { get; init; }
    /// <summary>Date format (e.g. "dd/MM/yyyy"), or "iso", "us", "eu", "excel"; null: try them in that order.</summary>
    public string? DateFormat { get; init; }
    /// <summary>Culture for numbers and money, e.g. "de-DE" for 1.234,56; null: invariant with either separator.</summary>
    public string? NumberCulture { get; init; }
    /// <summary>Region for phone numbers written without a country code, e.g. "US"; null: the import's default.</summary>
    public string? PhoneCountry { get; init; }
    /// <summary>The file's values of a picklist mapped to the field's values ("Customer " → "customer").</summary>
    public Dictionary<string, string>? ValueMap { get; init; }
    /// <summary>What a value this column cannot take does to its row (never for the column records are matched by).</summary>
    public InvalidValueAction OnInvalid { get; init; }
}

public enum InvalidValueAction
{
    /// <summary>The row is not imported; it is in the error file.</summary>
    RefuseRow = 0,
    /// <summary>The row is imported without that field (a new record leaves it empty, an update leaves it as it was); listed in the results and the error file.</summary>
    LeaveEmpty = 1,
}

public sealed record ImportOptions
{
    public DuplicateStrategy Strategy { get; init; } = DuplicateStrategy.Update;
    /// <summary>The field that identifies an existing record: "email" (contacts' default), "id", or another field's key.</summary>
    public string? MatchField { get; init; }
    /// <summary>Contacts whose company is not an account yet: create it (true) or report the row (false).</summary>
    public bool CreateMissingAccounts { get; init; } = true;
    /// <summary>ISO 3166 region for phone numbers without a country code.</summary>
    public string DefaultPhoneCountry { get; init; } = "US";
    /// <summary>How many rows the test import simulates in detail.</summary>
    public int DryRunRows { get; init; } = 100;
}
