using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Deals;
using Crm.Core.History;
using Crm.Core.Imports;
using Crm.Infrastructure.Persistence;
using Crm.Infrastructure.Runs;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Crm.Infrastructure.Imports;

/// <summary>
/// The million-row path on SQLite: each kind of row through one statement prepared on SQLite's own API
/// (<see cref="SqliteStatement"/>) for the whole transaction, no change tracker. Its rows are stamped and guarded by
/// <see cref="RecordWrites"/>, as the record-keeping interceptor stamps every EF save, and it writes what the EF writer
/// writes (one history row per updated record, the import's before-images, row errors and progress).
/// </summary>
public sealed class SqliteImportWriter(CrmDatabase database) : IImportBatchWriter
{
    private readonly IModel _model = database.Create(Actor.Anonymous).Model;
    private static readonly DateTimeOffsetToBinaryConverter Time = new();

    public Task<IImportWriter> OpenAsync(ImportContext context, CancellationToken ct)
    {
        // A connection of the import's own, outside the pool: its settings below never reach a connection the rest
        // of the app uses, and its page cache, which keeps the hot index pages between commits, is freed with the run.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ToString());
        try
        {
            connection.Open();
            using (var pragma = connection.CreateCommand())
            {
                // WAL with NORMAL sync: a killed process loses nothing committed; only a power cut may lose the last
                // commit. A larger page cache and WAL between checkpoints write hot index pages back less often.
                // Foreign keys are not checked again here: every id the import writes (workspace, account, owner,
                // pipeline, stage, contact, the job) was read or created by it, and none of those rows is ever hard
                // deleted (records are soft-deleted, users deactivated). The checks cost ~10% of a million-row
                // import's write time (2.4 of 25.8 s measured); the tests check every import leaves none dangling.
                pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-131072; PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=65536; PRAGMA foreign_keys=OFF; " + Persistence.Interceptors.SqliteBusyWait.Pragma;
                pragma.ExecuteNonQuery();
            }
            return Task.FromResult<IImportWriter>(new Session(context, _model, connection));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private sealed class Session(ImportContext context, IModel model, SqliteConnection connection) : IImportWriter
    {
        public Task<IImportWrite> BeginAsync(CancellationToken ct) => Task.FromResult<IImportWrite>(new Write(context, model, connection));

        public ValueTask DisposeAsync()
        {
            connection.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Write : IImportWrite
    {
        private readonly ImportContext _context;
        private readonly Actor _actor;
        private readonly SqliteConnection _connection;
        private readonly SqliteTransaction _transaction;
        private readonly Statements _statements;
        private readonly List<PendingAccount> _inserted = [];
        private readonly WriteTally _tally = new();
        private bool _committed;

        private readonly IModel _model;

        public Write(ImportContext context, IModel model, SqliteConnection connection)
        {
            _context = context;
            _model = model;
            _actor = BatchRecords.ActorOf(context);
            _connection = connection;
            _transaction = connection.BeginTransaction(deferred: false);
            _statements = new Statements(model, connection);
        }

        public int Rows => _tally.Rows;

        public Task WriteAsync(BatchPlan plan, DateTimeOffset now, CancellationToken ct)
        {
            var job = _context.Job;
            var target = ImportTarget.For(_context.Type);
            var type = target.New().GetType();
            var accounts = 0;

            // An account an earlier batch inserted (it was pending when this batch was planned) already has its id.
            foreach (var pending in plan.NewAccounts.Where(p => p.Id == 0))
            {
                var account = pending.ToAccount(job.Id);
                RecordWrites.Inserting(account, _actor, now);
                pending.Id = _statements.Insert(typeof(Account), returnId: true).Insert(account);
                _inserted.Add(pending);
                accounts++;
            }

            foreach (var row in plan.Rows)
            {
                var entity = row.Entity;
                switch (row.Action)
                {
                    case PlannedAction.Create:
                        BatchRecords.LinkNewAccount(row);
                        RecordWrites.Inserting(entity!, _actor, now);
                        var id = _statements.Insert(type, returnId: entity is Deal || _context.AnnouncedEvents.Count > 0).Insert(entity!);
                        Announce(entity!, id, null, now);
                        foreach (var contactId in row.ContactIds)
                            _statements.Insert(typeof(DealContact)).Insert(Inserted(new DealContact { DealId = id, ContactId = contactId }, now));
                        break;
                    case PlannedAction.Update:
                        BatchRecords.LinkNewAccount(row);
                        var updated = entity!;
                        RecordWrites.Updating(updated, _actor, row.VersionBefore, now);
                        if (!_statements.Update(type, row).Update(updated, updated.Id, job.WorkspaceId, row.VersionBefore))
                            throw new DbUpdateConcurrencyException($"{updated.RecordType} {updated.Id} changed while the import was writing it.");
                        foreach (var contactId in row.ContactIds)
                            _statements.Insert(typeof(DealContact)).Insert(Inserted(new DealContact { DealId = updated.Id, ContactId = contactId }, now));
                        _statements.Insert(typeof(FieldChange)).Insert(Inserted(BatchRecords.Imported(row, _actor, now), now));
                        Announce(updated, updated.Id, row.Changes.Select(c => (c.Field, c.Before, c.After)).ToList(), now);
                        _statements.Insert(typeof(ImportChange)).Insert(Inserted(BatchRecords.BeforeImage(job, row), now));
                        break;
                }
            }
            foreach (var error in BatchRecords.Errors(job, plan)) _statements.Insert(typeof(ImportRowError)).Insert(Inserted(error, now));
            _tally.Add(plan, accounts);
            return Task.CompletedTask;
        }

        /// <summary>The record's event, as an EF save writes it, when an endpoint wants that type (checked when the import started).</summary>
        private void Announce(ITrackedRecord record, long id, IReadOnlyList<(string, string?, string?)>? changes, DateTimeOffset now)
        {
            if (_context.AnnouncedEvents.Count == 0) return;
            if (OutboxWrites.ForImported(_model, record, id, changes, _context.AnnouncedEvents, now) is { } message)
                _statements.Insert(typeof(Crm.Core.Webhooks.OutboxEvent)).Insert(Inserted(message, now));
        }

        /// <summary>Every other row the batch inserts gets the same stamps an EF save would give it.</summary>
        private T Inserted<T>(T row, DateTimeOffset now) where T : notnull
        {
            RecordWrites.Inserting(row, _actor, now);
            return row;
        }

        public Task<BatchOutcome> CommitAsync(DateTimeOffset now, CancellationToken ct)
        {
            var lease = _context.Lease ?? throw new InvalidOperationException("An import writes only under its run's lease.");
            using (var beat = _connection.CreateCommand())
            {
                // A runner thought dead must not write next to the one that took over: nothing of this transaction stays.
                beat.Transaction = _transaction;
                beat.CommandText = RunService.SqliteBeatWithin;
                beat.Parameters.AddWithValue("$now", Time.ConvertToProvider(now));
                beat.Parameters.AddWithValue("$stage", "Writing");
                beat.Parameters.AddWithValue("$done", _tally.LastRow);
                beat.Parameters.AddWithValue("$run", lease.RunId);
                beat.Parameters.AddWithValue("$runner", lease.RunnerId);
                if (beat.ExecuteNonQuery() != 1) throw new ImportClaimLostException(_context.Job.Id);
            }
            using var progress = _connection.CreateCommand();
            progress.Transaction = _transaction;
            progress.CommandText = """
                UPDATE "ImportJobs" SET "RowsProcessed" = "RowsProcessed" + $n, "RowsCreated" = "RowsCreated" + $c, "RowsUpdated" = "RowsUpdated" + $u,
                    "RowsSkipped" = "RowsSkipped" + $s, "RowsFailed" = "RowsFailed" + $f, "AccountsCreated" = "AccountsCreated" + $a,
                    "ValuesLeftEmpty" = "ValuesLeftEmpty" + $e, "LastCommittedRow" = $last, "UpdatedAt" = $now
                WHERE "Id" = $id;
                SELECT "CancelRequested" FROM "ImportJobs" WHERE "Id" = $id;
                """;
            progress.Parameters.AddWithValue("$n", _tally.Rows);
            progress.Parameters.AddWithValue("$c", _tally.Created);
            progress.Parameters.AddWithValue("$u", _tally.Updated);
            progress.Parameters.AddWithValue("$s", _tally.Skipped);
            progress.Parameters.AddWithValue("$f", _tally.Failed);
            progress.Parameters.AddWithValue("$a", _tally.AccountsCreated);
            progress.Parameters.AddWithValue("$e", _tally.LeftEmpty);
            progress.Parameters.AddWithValue("$last", _tally.LastRow);
            progress.Parameters.AddWithValue("$now", Time.ConvertToProvider(now));
            progress.Parameters.AddWithValue("$id", _context.Job.Id);
            bool cancel;
            using (var reader = progress.ExecuteReader())
            {
                if (!reader.Read()) throw new ImportClaimLostException(_context.Job.Id);
                cancel = reader.GetBoolean(0);
            }
            _statements.Dispose();
            _transaction.Commit();
            _committed = true;
            return Task.FromResult(_tally.Outcome(cancel));
        }

        public ValueTask DisposeAsync()
        {
            _statements.Dispose();
            if (!_committed)
            {
                // Rolled back: ids handed to pending accounts no longer exist.
                foreach (var pending in _inserted) pending.Id = 0;
            }
            _transaction.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>The batch's prepared statements, one per kind of row, made when first needed and finalized at the end.</summary>
    private sealed class Statements(IModel model, SqliteConnection connection) : IDisposable
    {
        private readonly Dictionary<(Type, bool), SqliteStatement> _inserts = [];
        private readonly Dictionary<string, SqliteStatement> _updates = new(StringComparer.Ordinal);

        public SqliteStatement Insert(Type type, bool returnId = false) =>
            _inserts.TryGetValue((type, returnId), out var statement) ? statement : _inserts[(type, returnId)] = SqliteStatement.Insert(model, type, connection, returnId);

        /// <summary>
        /// An UPDATE of exactly the columns the row changes: an index whose columns are not set is not touched, and
        /// rows of one file mostly change the same columns, so a handful of statements serve a whole batch.
        /// </summary>
        public SqliteStatement Update(Type type, PlannedRow row)
        {
            var columns = row.Changes
                .Select(c => c.Field.StartsWith(ImportFields.CustomPrefix, StringComparison.Ordinal) ? "CustomFields" : c.Field)
                .Where(f => f != "Contacts")
                .Distinct()
                .Order(StringComparer.Ordinal)
                .ToList();
            var key = string.Join(',', columns);
            return _updates.TryGetValue(key, out var statement) ? statement : _updates[key] = SqliteStatement.Update(model, type, columns, connection);
        }

        public void Dispose()
        {
            foreach (var statement in _inserts.Values.Concat(_updates.Values)) statement.Dispose();
            _inserts.Clear();
            _updates.Clear();
        }
    }
}
