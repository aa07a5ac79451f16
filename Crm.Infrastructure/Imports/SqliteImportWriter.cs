using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Deals;
using Crm.Core.History;
using Crm.Core.Imports;
using Crm.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Crm.Infrastructure.Imports;

/// <summary>
/// The million-row path on SQLite: one transaction per batch, one prepared statement per kind of row, no change
/// tracker. It stamps and records exactly what the record-keeping interceptor would (workspace, times, creator,
/// version, field history), plus the import's before-images, row errors and progress.
/// </summary>
public sealed class SqliteImportWriter(CrmDatabase database) : IImportBatchWriter
{
    private readonly IModel _model = database.Create(Actor.Anonymous).Model;
    private static readonly DateTimeOffsetToBinaryConverter Time = new();

    public Task<BatchOutcome> CommitAsync(ImportContext context, BatchPlan plan, DateTimeOffset now, CancellationToken ct)
    {
        var job = context.Job;
        var actor = BatchRecords.ActorOf(context);
        using var connection = new SqliteConnection(database.ConnectionString);
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            // WAL with NORMAL sync: a killed process loses nothing committed; only a power cut may lose the last batch.
            pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;";
            pragma.ExecuteNonQuery();
        }
        using var transaction = connection.BeginTransaction(deferred: false);
        var tables = new Dictionary<(Type, string), SqliteTable>();
        SqliteTable Table(Type type, bool returnId) =>
            tables.TryGetValue((type, returnId ? "insert-id" : "insert"), out var t) ? t : tables[(type, returnId ? "insert-id" : "insert")] = SqliteTable.Insert(_model, type, connection, transaction, returnId);

        foreach (var pending in plan.NewAccounts)
        {
            var account = new Account { Name = pending.Name, Domain = pending.Domain, CreatedByImportId = job.Id };
            Stamp(account, actor, now);
            pending.Id = Table(typeof(Account), true).Write(account);
        }

        var target = ImportTarget.For(context.Type);
        var update = plan.Of(PlannedAction.Update).Any()
            ? SqliteTable.Update(_model, target.New().GetType(), target.Properties.Select(p => p.Name), connection, transaction)
            : null;
        foreach (var row in plan.Rows)
        {
            switch (row.Action)
            {
                case PlannedAction.Create:
                    BatchRecords.LinkNewAccount(row);
                    Stamp(row.Entity!, actor, now);
                    var id = Table(row.Entity!.GetType(), row.Entity is Deal).Write(row.Entity!);
                    if (row.Entity is Deal)
                        foreach (var contactId in row.ContactIds)
                            Table(typeof(DealContact), false).Write(new DealContact { WorkspaceId = job.WorkspaceId, DealId = id, ContactId = contactId });
                    break;
                case PlannedAction.Update:
                    BatchRecords.LinkNewAccount(row);
                    var entity = row.Entity!;
                    entity.UpdatedAt = now;
                    entity.Version = row.VersionBefore + 1;
                    if (!update!.Update(entity, entity.Id, job.WorkspaceId, row.VersionBefore))
                        throw new DbUpdateConcurrencyException($"{entity.RecordType} {entity.Id} changed while the import was writing it.");
                    foreach (var contactId in row.ContactIds)
                        Table(typeof(DealContact), false).Write(new DealContact { WorkspaceId = job.WorkspaceId, DealId = entity.Id, ContactId = contactId });
                    foreach (var change in BatchRecords.History(row, actor, now)) Table(typeof(FieldChange), false).Write(change);
                    Table(typeof(ImportChange), false).Write(BatchRecords.BeforeImage(job, row));
                    break;
            }
        }
        foreach (var error in BatchRecords.Errors(job, plan)) Table(typeof(ImportRowError), false).Write(error);

        var (created, updated, skipped, failed) = BatchRecords.Count(plan);
        bool cancel;
        using (var progress = connection.CreateCommand())
        {
            progress.Transaction = transaction;
            progress.CommandText = """
                UPDATE "ImportJobs" SET "RowsProcessed" = "RowsProcessed" + $n, "RowsCreated" = "RowsCreated" + $c, "RowsUpdated" = "RowsUpdated" + $u,
                    "RowsSkipped" = "RowsSkipped" + $s, "RowsFailed" = "RowsFailed" + $f, "AccountsCreated" = "AccountsCreated" + $a,
                    "LastCommittedRow" = $last, "HeartbeatAt" = $now, "UpdatedAt" = $now
                WHERE "Id" = $id;
                SELECT "CancelRequested" FROM "ImportJobs" WHERE "Id" = $id;
                """;
            progress.Parameters.AddWithValue("$n", plan.Rows.Count);
            progress.Parameters.AddWithValue("$c", created);
            progress.Parameters.AddWithValue("$u", updated);
            progress.Parameters.AddWithValue("$s", skipped);
            progress.Parameters.AddWithValue("$f", failed);
            progress.Parameters.AddWithValue("$a", plan.NewAccounts.Count);
            progress.Parameters.AddWithValue("$last", plan.LastRow);
            progress.Parameters.AddWithValue("$now", Time.ConvertToProvider(now));
            progress.Parameters.AddWithValue("$id", job.Id);
            cancel = Convert.ToBoolean(progress.ExecuteScalar());
        }
        transaction.Commit();
        return Task.FromResult(new BatchOutcome(created, updated, skipped, failed, plan.NewAccounts.Count, cancel));
    }

    /// <summary>What the record-keeping interceptor does to an inserted record.</summary>
    private static void Stamp(ITrackedRecord record, Actor actor, DateTimeOffset now)
    {
        record.WorkspaceId = actor.WorkspaceId;
        record.CreatedAt = now;
        record.UpdatedAt = now;
        record.CreatedByUserId = actor.UserId;
        record.CreatedSource = actor.Source;
        record.Version = 0;
    }
}
