using Crm.Core.Common;

namespace Crm.Core.Imports;

public enum ImportStatus
{
    /// <summary>Uploaded; the mapping is being reviewed.</summary>
    Draft = -1,
    /// <summary>Started, waiting for the background runner.</summary>
    Queued = 0,
    Running = 1,
    Completed = 2,
    Failed = 3,
    Cancelled = 4,
    RollingBack = 5,
    RolledBack = 6,
}

/// <summary>
/// One upload being (or having been) imported: what, how (settings, mapping, options), and how far it got. Progress
/// is written with every committed batch, in the same transaction, so any app instance can show it and a crash
/// resumes exactly after the last committed row. Who runs it, its heartbeat and attempts are its runs'
/// (<see cref="Runs.RunKind.Import"/> and <see cref="Runs.RunKind.ImportRollback"/>, subject = its id).
/// </summary>
public sealed class ImportJob : Entity, IWorkspaceOwned, ITimestamped
{
    public long WorkspaceId { get; set; }
    public RecordType ObjectType { get; set; }
    public string FileName { get; set; } = "";
    public long FileSize { get; set; }
    /// <summary>Where the upload is kept in the file store.</summary>
    public string FileKey { get; set; } = "";
    public ImportFileSettings Settings { get; set; } = new();
    public ImportMapping Mapping { get; set; } = new();
    public ImportOptions Options { get; set; } = new();

    public ImportStatus Status { get; set; }
    /// <summary>Data rows in the file (known after validation).</summary>
    public int TotalRows { get; set; }
    /// <summary>Rows with nothing in them (only delimiters or spaces, empty spreadsheet rows): skipped, not counted as data.</summary>
    public int BlankRows { get; set; }
    public int RowsProcessed { get; set; }
    public int RowsCreated { get; set; }
    public int RowsUpdated { get; set; }
    public int RowsSkipped { get; set; }
    public int RowsFailed { get; set; }
    public int AccountsCreated { get; set; }
    /// <summary>Values rows were imported without (their columns leave what they cannot take empty); each is listed.</summary>
    public int ValuesLeftEmpty { get; set; }
    /// <summary>Data rows up to this number are committed; a resumed run starts after it.</summary>
    public int LastCommittedRow { get; set; }

    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public bool CancelRequested { get; set; }
    public string? FailureReason { get; set; }

    public long? CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? RolledBackAt { get; set; }
    public long? RolledBackByUserId { get; set; }
    public bool RollbackRestoresChangedRecords { get; set; }
    /// <summary>Counts so far: each is saved with the batch it describes, so a resumed rollback goes on counting.</summary>
    public int RollbackDeleted { get; set; }
    public int RollbackRestored { get; set; }
    public int RollbackKeptChanged { get; set; }
    /// <summary>Where the rollback is: the step, and the last id that step handled (committed with each batch).</summary>
    public RollbackStage RollbackStage { get; set; }
    public long RollbackCursor { get; set; }

    public bool IsFinished => Status is ImportStatus.Completed or ImportStatus.Failed or ImportStatus.Cancelled or ImportStatus.RolledBack;
    public bool CanRollBack => Status is ImportStatus.Completed or ImportStatus.Cancelled or ImportStatus.Failed && RowsProcessed > 0;

    private const string SourceRefPrefix = "import:";

    /// <summary>How history names what an import changed: "import:&lt;id&gt;".</summary>
    public static string SourceRefOf(long importId) => SourceRefPrefix + importId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The import a history row's source reference names, if it names one.</summary>
    public static long? ImportIdOf(string? sourceRef) =>
        sourceRef is not null && sourceRef.StartsWith(SourceRefPrefix, StringComparison.Ordinal)
        && long.TryParse(sourceRef.AsSpan(SourceRefPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id : null;
}

/// <summary>The steps of a rollback, in order.</summary>
public enum RollbackStage
{
    /// <summary>Updated records get their before-image back.</summary>
    RestoreUpdated = 0,
    /// <summary>Records the import created are deleted.</summary>
    DeleteCreated = 1,
    /// <summary>Accounts a contact or deal import created, that nothing uses any more, are deleted.</summary>
    DeleteCreatedAccounts = 2,
    Done = 3,
}

public enum ImportErrorType
{
    Required = 0,
    Format = 1,
    Picklist = 2,
    Duplicate = 3,
    Reference = 4,
    /// <summary>The row itself could not be read (wrong number of values, broken quoting).</summary>
    Row = 5,
    /// <summary>A value longer than its field allows.</summary>
    Length = 6,
    /// <summary>No record matched and the strategy never creates.</summary>
    NoMatch = 7,
}

/// <summary>One problem with one value of one row, located by the file's own line number.</summary>
public sealed class ImportRowError : Entity, IWorkspaceOwned
{
    public long WorkspaceId { get; set; }
    public long ImportJobId { get; set; }
    /// <summary>The data row (1 = first row after the header).</summary>
    public int RowNumber { get; set; }
    /// <summary>The line of the file where the row starts (what a text editor shows).</summary>
    public long LineNumber { get; set; }
    public string? Column { get; set; }
    public string? Value { get; set; }
    public ImportErrorType Type { get; set; }
    public string Message { get; set; } = "";
    /// <summary>The row was imported without this value (its column leaves what it cannot take empty).</summary>
    public bool Kept { get; set; }
}

/// <summary>
/// The before-image of a record an import updated: its field values before and after, and its version right after
/// the import. Rollback restores <see cref="Before"/>; a different current version means someone changed it since.
/// </summary>
public sealed class ImportChange : Entity, IWorkspaceOwned
{
    public long WorkspaceId { get; set; }
    public long ImportJobId { get; set; }
    public RecordType RecordType { get; set; }
    public long RecordId { get; set; }
    public int VersionAfter { get; set; }
    public Dictionary<string, string?> Before { get; set; } = [];
    public Dictionary<string, string?> After { get; set; } = [];
}

/// <summary>A saved mapping, offered again when a file with the same headers is uploaded.</summary>
public sealed class ImportTemplate : Entity, IWorkspaceOwned, ITimestamped
{
    public long WorkspaceId { get; set; }
    public string Name { get; set; } = "";
    public RecordType ObjectType { get; set; }
    /// <summary>The normalised headers, in order, joined: files with the same columns get the template.</summary>
    public string HeaderSignature { get; set; } = "";
    public ImportMapping Mapping { get; set; } = new();
    public ImportOptions Options { get; set; } = new();
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
