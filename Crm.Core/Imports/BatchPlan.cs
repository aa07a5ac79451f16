using Crm.Core.Common;

namespace Crm.Core.Imports;

public enum PlannedAction
{
    Create,
    Update,
    Skip,
    Fail,
}

/// <summary>One field of one record: what it was and what the import makes it (history's text forms).</summary>
public sealed record FieldDiff(string Field, string? Before, string? After);

/// <summary>What the import does with one row, and why.</summary>
public sealed class PlannedRow(ImportRecord record, PlannedAction action, string? reason = null)
{
    public ImportRecord Record { get; } = record;
    public PlannedAction Action { get; set; } = action;
    public string? Reason { get; set; } = reason;
    /// <summary>The record to insert (Create) or the existing record with the new values applied (Update).</summary>
    public ITrackedRecord? Entity { get; set; }
    public int VersionBefore { get; set; }
    public List<FieldDiff> Changes { get; } = [];
    /// <summary>Deals: contacts to link.</summary>
    public List<long> ContactIds { get; } = [];
}

/// <summary>Everything one batch will write, decided before any write.</summary>
public sealed class BatchPlan
{
    public List<PlannedRow> Rows { get; } = [];
    public List<PendingAccount> NewAccounts { get; } = [];

    /// <summary>The last data row the batch covers: progress resumes after it.</summary>
    public int LastRow { get; set; }
    public IEnumerable<PlannedRow> Of(PlannedAction action) => Rows.Where(r => r.Action == action);
}

/// <summary>What a committed batch did; row counts as the job's counters add them up.</summary>
public sealed record BatchOutcome(int Created, int Updated, int Skipped, int Failed, int AccountsCreated, bool CancelRequested);
