using Crm.Core.Common;
using Crm.Core.History;
using Crm.Core.Imports;
using Crm.Infrastructure.Persistence;

namespace Crm.Infrastructure.Imports;

/// <summary>Writes planned batches in transactions of several batches each (see <see cref="IImportWriter"/> and <see cref="IImportWrite"/>).</summary>
public interface IImportBatchWriter
{
    Task<IImportWriter> OpenAsync(ImportContext context, CancellationToken ct);
}

/// <summary>What a transaction's batches add up to, for the job's progress.</summary>
internal sealed class WriteTally
{
    public int Rows, Created, Updated, Skipped, Failed, AccountsCreated, LeftEmpty, LastRow;

    public void Add(BatchPlan plan, int accountsCreated)
    {
        var (created, updated, skipped, failed) = BatchRecords.Count(plan);
        Rows += plan.Rows.Count;
        Created += created;
        Updated += updated;
        Skipped += skipped;
        Failed += failed;
        AccountsCreated += accountsCreated;
        foreach (var row in plan.Rows)
            if (row.Action != PlannedAction.Fail) LeftEmpty += row.Record.LeftEmpty.Count;
        LastRow = Math.Max(LastRow, plan.LastRow);
    }

    public BatchOutcome Outcome(bool cancelRequested) => new(Created, Updated, Skipped, Failed, AccountsCreated, cancelRequested);
}

/// <summary>The rows a batch adds besides the records themselves, the same for every writer.</summary>
internal static class BatchRecords
{
    /// <summary>Who an import acts as: its workspace, the admin who started it, recorded as an import.</summary>
    public static Actor ActorOf(ImportContext context) =>
        context.Actor with { UserId = context.Job.CreatedByUserId, Source = ChangeSource.Import, SourceRef = ImportJob.SourceRefOf(context.Job.Id) };

    /// <summary>A row whose company is an account created in this batch now points at it (and, for an update, says so).</summary>
    public static void LinkNewAccount(PlannedRow row)
    {
        if (row.Record.NewAccount is not { } account || row.Entity is null) return;
        var target = ImportTarget.For(row.Entity.RecordType);
        if (!target.Has("AccountId")) return;
        var property = target["AccountId"];
        var before = property.Get(row.Entity);
        property.Set(row.Entity, (long?)account.Id);
        if (row.Action == PlannedAction.Update && !Equals(before, (long?)account.Id))
            row.Changes.Add(new FieldDiff("AccountId", ValueText.Format(before), ValueText.Format(account.Id)));
    }

    /// <summary>The problems of failed rows, and the values imported rows went without (kept, listed all the same).</summary>
    public static IEnumerable<ImportRowError> Errors(ImportJob job, BatchPlan plan) =>
        plan.Rows.SelectMany(row => (row.Action == PlannedAction.Fail ? row.Record.Issues : row.Record.LeftEmpty).Select(issue => new ImportRowError
        {
            WorkspaceId = job.WorkspaceId, ImportJobId = job.Id, RowNumber = row.Record.RowNumber, LineNumber = row.Record.Source.LineNumber,
            Column = FieldLimits.Cut(issue.Column, 255), Value = FieldLimits.Cut(issue.Value, 600), Type = issue.Type, Message = FieldLimits.Cut(issue.Message, FieldLimits.HistoryValue)!,
            Kept = issue.Kept,
        }));

    public static ImportChange BeforeImage(ImportJob job, PlannedRow row) => new()
    {
        WorkspaceId = job.WorkspaceId, ImportJobId = job.Id, RecordType = row.Entity!.RecordType, RecordId = row.Entity.Id,
        VersionAfter = row.VersionBefore + 1,
        Before = row.Changes.ToDictionary(ImageKey, c => c.Before),
        After = row.Changes.ToDictionary(ImageKey, c => c.After),
    };

    /// <summary>Before-image keys: the field, or "Contacts:&lt;id&gt;" for each contact linked to a deal.</summary>
    public static string ImageKey(FieldDiff change) => change.Field == "Contacts" ? $"Contacts:{change.After ?? change.Before}" : change.Field;

    /// <summary>
    /// The record's history row for an import's update: one row for the whole update; its fields are the before-image
    /// written beside it (<see cref="ChangeKind.Imported"/>).
    /// </summary>
    public static FieldChange Imported(PlannedRow row, Actor actor, DateTimeOffset now) =>
        RecordWrites.Recorded(new FieldChange { RecordType = row.Entity!.RecordType, RecordId = row.Entity.Id, Kind = ChangeKind.Imported, Field = "" }, actor, now);

    public static (int Created, int Updated, int Skipped, int Failed) Count(BatchPlan plan) =>
        (plan.Of(PlannedAction.Create).Count(), plan.Of(PlannedAction.Update).Count(), plan.Of(PlannedAction.Skip).Count(), plan.Of(PlannedAction.Fail).Count());
}
