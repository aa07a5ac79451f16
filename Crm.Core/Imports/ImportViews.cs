using Crm.Core.Common;

namespace Crm.Core.Imports;

/// <summary>An uploaded file being prepared: how it reads, the suggested (or template) mapping, and the fields to map to.</summary>
public sealed record ImportDraft(
    long ImportId, RecordType ObjectType, string FileName, long FileSize, FileInspection Inspection,
    ImportMapping Mapping, ImportOptions Options, IReadOnlyList<ImportField> Fields, string? TemplateName, int TotalRows);

public sealed record ImportView(
    long Id, RecordType ObjectType, string FileName, long FileSize, ImportStatus Status,
    int TotalRows, int RowsProcessed, int RowsCreated, int RowsUpdated, int RowsSkipped, int RowsFailed, int AccountsCreated,
    double? RowsPerSecond, TimeSpan? TimeLeft, TimeSpan? Duration,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt, string? CreatedBy,
    string? FailureReason, bool CancelRequested, DuplicateStrategy Strategy, string? MatchField,
    DateTimeOffset? RolledBackAt, string? RolledBackBy, int RollbackDeleted, int RollbackRestored, int RollbackKeptChanged,
    string? RollbackError, int BlankRows = 0, int ValuesLeftEmpty = 0)
{
    /// <summary>A rollback that stopped on an error and waits (or is about to be retried): asking again resumes it.</summary>
    public bool CanResumeRollback => Status == ImportStatus.RollingBack && RollbackError is not null;
    public bool IsActive => Status is ImportStatus.Queued or ImportStatus.Running or ImportStatus.RollingBack;
    public bool CanCancel => Status is ImportStatus.Queued or ImportStatus.Running && !CancelRequested;
    public bool CanRollBack => Status is ImportStatus.Completed or ImportStatus.Cancelled or ImportStatus.Failed && RowsProcessed > 0;
    public int Percent => TotalRows == 0 ? (Status == ImportStatus.Completed ? 100 : 0) : (int)Math.Min(100, RowsProcessed * 100L / TotalRows);
}

/// <param name="Kept">The row was imported without this value (its column leaves what it cannot take empty).</param>
public sealed record ImportErrorView(int RowNumber, long LineNumber, string? Column, string? Value, ImportErrorType Type, string Message, bool Kept = false);

public sealed record ValueCount(string Value, int Count);

/// <summary>Values of a picklist column that match no option, with how often they occur, for the user to map.</summary>
public sealed record UnknownValues(int ColumnIndex, string Column, string Field, IReadOnlyList<ValueCount> Values);

public sealed record DryRunRow(
    int RowNumber, long LineNumber, PlannedAction Action, string? Name, long? RecordId, string? Reason,
    IReadOnlyList<FieldDiff> Changes, IReadOnlyList<ImportIssue> Issues, IReadOnlyList<string> Notes);

/// <summary>
/// A test import: the whole file validated and planned (counts of what would be created, updated, skipped, refused),
/// the first rows in detail, and nothing written.
/// </summary>
public sealed record DryRunResult(
    int TotalRows, int WouldCreate, int WouldUpdate, int WouldSkip, int WouldFail, int AccountsToCreate,
    IReadOnlyDictionary<ImportErrorType, int> ErrorsByType, IReadOnlyList<ImportErrorView> Errors,
    IReadOnlyList<UnknownValues> UnknownPicklistValues, IReadOnlyList<DryRunRow> Rows,
    int CorrectedValues, IReadOnlyList<RowNote> Corrections, int ValuesLeftEmpty = 0);

/// <summary>A value read after an unambiguous correction, where it was in the file.</summary>
public sealed record RowNote(int RowNumber, long LineNumber, string Note);

public sealed record RollbackConflict(RecordType RecordType, long RecordId, string Name, bool CreatedByImport, DateTimeOffset ChangedAt);

/// <summary>What rolling an import back would do, and which records people changed since (they choose: keep or restore).</summary>
public sealed record RollbackPreview(
    int CreatedRecords, int CreatedChangedSince, int UpdatedRecords, int UpdatedChangedSince, int AccountsCreated,
    IReadOnlyList<RollbackConflict> Conflicts);

public sealed record ImportTemplateView(long Id, string Name, RecordType ObjectType, int Columns, DateTimeOffset UpdatedAt);

/// <summary>Reads the rollback side of imports: previews conflicts and undoes an import.</summary>
public interface IImportRollbackStore
{
    Task<RollbackPreview> PreviewAsync(ImportJob job, CancellationToken ct);

    /// <summary>
    /// Rolls back the next batch of the job's current step, in one transaction with the job's step, cursor, counts and
    /// heartbeat, so a rollback stopped anywhere resumes after its last batch and its counts stay exact. Throws
    /// <see cref="ImportClaimLostException"/> (committing nothing) when <paramref name="runnerId"/> no longer holds the job.
    /// </summary>
    /// <returns>False once every step is done.</returns>
    Task<bool> RollBackBatchAsync(long importId, Runs.RunLease lease, Actor actor, DateTimeOffset now, CancellationToken ct);
}

/// <summary>Writes the failed rows exactly as they were in the upload, plus an Error column.</summary>
public interface IImportErrorFile
{
    Task WriteAsync(ImportJob job, Stream output, CancellationToken ct);
}
