using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Deals;
using Crm.Core.Imports;
using Crm.Core.Runs;
using Crm.Infrastructure.Persistence;
using Crm.Infrastructure.Runs;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Imports;

/// <summary>
/// Writes a batch through EF Core, so the record-keeping interceptor stamps, versions and guards it as any other
/// change; its history is one row per updated record beside the before-image, as the SQLite writer writes it.
/// The SQL Server path; on SQLite the prepared-statement writer does the same faster.
/// </summary>
public sealed class EfImportWriter(CrmDatabase database) : IImportBatchWriter
{
    public Task<IImportWriter> OpenAsync(ImportContext context, CancellationToken ct) => Task.FromResult<IImportWriter>(new Session(this, context));

    /// <summary>Each transaction has its own context (and pooled connection); nothing is held between them.</summary>
    private sealed class Session(EfImportWriter writer, ImportContext context) : IImportWriter
    {
        public Task<IImportWrite> BeginAsync(CancellationToken ct) => writer.BeginAsync(context, ct);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private async Task<IImportWrite> BeginAsync(ImportContext context, CancellationToken ct)
    {
        var db = database.Create(BatchRecords.ActorOf(context));
        db.CallerWritesHistory = true;
        db.AnnouncedEvents = context.AnnouncedEvents;
        try
        {
            var transaction = await db.Database.BeginTransactionAsync(ct);
            return new Write(context, db, transaction);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    private sealed class Write(ImportContext context, CrmDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction) : IImportWrite
    {
        private readonly List<PendingAccount> _inserted = [];
        private readonly WriteTally _tally = new();
        private bool _committed;

        public int Rows => _tally.Rows;

        public async Task WriteAsync(BatchPlan plan, DateTimeOffset now, CancellationToken ct)
        {
            var job = context.Job;
            var accounts = plan.NewAccounts.Where(p => p.Id == 0).Select(p => (Pending: p, Account: p.ToAccount(job.Id))).ToList();
            if (accounts.Count > 0)
            {
                db.Accounts.AddRange(accounts.Select(a => a.Account));
                await db.SaveChangesAsync(ct);
                foreach (var (pending, account) in accounts)
                {
                    pending.Id = account.Id;
                    _inserted.Add(pending);
                }
            }

            foreach (var row in plan.Rows)
            {
                switch (row.Action)
                {
                    case PlannedAction.Create:
                        BatchRecords.LinkNewAccount(row);
                        if (row.Entity is Deal deal) deal.Contacts.AddRange(row.ContactIds.Select(id => new DealContact { ContactId = id }));
                        db.Add(row.Entity!);
                        break;
                    case PlannedAction.Update:
                        BatchRecords.LinkNewAccount(row);
                        Attach(db, row);
                        db.ImportChanges.Add(BatchRecords.BeforeImage(job, row));
                        db.FieldChanges.Add(BatchRecords.Imported(row, db.Actor, now));
                        break;
                }
            }
            db.ImportRowErrors.AddRange(BatchRecords.Errors(job, plan));
            await db.SaveChangesAsync(ct);
            // Saved: the next batch starts from an empty change tracker.
            db.ChangeTracker.Clear();
            _tally.Add(plan, accounts.Count);
        }

        public async Task<BatchOutcome> CommitAsync(DateTimeOffset now, CancellationToken ct)
        {
            var jobId = context.Job.Id;
            var lease = context.Lease ?? throw new InvalidOperationException("An import writes only under its run's lease.");
            // A runner thought dead must not write next to the one that took over: nothing of this transaction stays.
            if (!await RunService.BeatWithinAsync(db, lease, new RunProgress("Writing", _tally.LastRow), now, ct)) throw new ImportClaimLostException(jobId);
            var updated = await db.ImportJobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.RowsProcessed, j => j.RowsProcessed + _tally.Rows)
                .SetProperty(j => j.RowsCreated, j => j.RowsCreated + _tally.Created)
                .SetProperty(j => j.RowsUpdated, j => j.RowsUpdated + _tally.Updated)
                .SetProperty(j => j.RowsSkipped, j => j.RowsSkipped + _tally.Skipped)
                .SetProperty(j => j.RowsFailed, j => j.RowsFailed + _tally.Failed)
                .SetProperty(j => j.AccountsCreated, j => j.AccountsCreated + _tally.AccountsCreated)
                .SetProperty(j => j.ValuesLeftEmpty, j => j.ValuesLeftEmpty + _tally.LeftEmpty)
                .SetProperty(j => j.LastCommittedRow, _tally.LastRow)
                .SetProperty(j => j.UpdatedAt, now), ct);
            if (updated != 1) throw new ImportClaimLostException(jobId);
            var cancel = await db.ImportJobs.Where(j => j.Id == jobId).Select(j => j.CancelRequested).SingleAsync(ct);
            await transaction.CommitAsync(ct);
            _committed = true;
            return _tally.Outcome(cancel);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_committed)
                foreach (var pending in _inserted) pending.Id = 0;
            await transaction.DisposeAsync();
            await db.DisposeAsync();
        }
    }

    /// <summary>
    /// The record already holds the new values; attaching it with the old ones as originals makes EF update just
    /// those columns, and check the version.
    /// </summary>
    private static void Attach(CrmDbContext db, PlannedRow row)
    {
        var entity = row.Entity!;
        var entry = db.Attach(entity);
        var target = ImportTarget.For(entity.RecordType);
        var customBefore = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var change in row.Changes.Where(c => c.Field != "Contacts"))
        {
            if (change.Field.StartsWith(ImportFields.CustomPrefix, StringComparison.Ordinal))
            {
                if (change.Before is not null) customBefore[change.Field[ImportFields.CustomPrefix.Length..]] = change.Before;
                continue;
            }
            var property = entry.Property(change.Field);
            property.OriginalValue = ValueText.Parse(target[change.Field].Type, change.Before);
            property.IsModified = true;
        }
        if (row.Changes.Any(c => c.Field.StartsWith(ImportFields.CustomPrefix, StringComparison.Ordinal)))
        {
            var current = (Dictionary<string, string>)target["CustomFields"].Get(entity)!;
            var original = current.Where(kv => !row.Changes.Any(c => c.Field == ImportFields.CustomPrefix + kv.Key))
                .Concat(customBefore).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            var property = entry.Property("CustomFields");
            property.OriginalValue = original;
            property.IsModified = true;
        }
        if (entity is Deal deal)
            deal.Contacts.AddRange(row.ContactIds.Select(id => new DealContact { ContactId = id }));
    }
}
