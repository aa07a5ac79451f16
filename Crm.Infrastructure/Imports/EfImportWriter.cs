using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Deals;
using Crm.Core.Imports;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Imports;

/// <summary>
/// Writes a batch through EF Core, so the record-keeping interceptor stamps and records it as for any other change.
/// The SQL Server path; on SQLite the prepared-statement writer does the same faster.
/// </summary>
public sealed class EfImportWriter(CrmDatabase database) : IImportBatchWriter
{
    public async Task<BatchOutcome> CommitAsync(ImportContext context, BatchPlan plan, DateTimeOffset now, CancellationToken ct)
    {
        var job = context.Job;
        await using var db = database.Create(BatchRecords.ActorOf(context));
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        var accounts = plan.NewAccounts.Select(p => (Pending: p, Account: new Account { Name = p.Name, Domain = p.Domain, CreatedByImportId = job.Id })).ToList();
        if (accounts.Count > 0)
        {
            db.Accounts.AddRange(accounts.Select(a => a.Account));
            await db.SaveChangesAsync(ct);
            foreach (var (pending, account) in accounts) pending.Id = account.Id;
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
                    break;
            }
        }
        db.ImportRowErrors.AddRange(BatchRecords.Errors(job, plan));
        await db.SaveChangesAsync(ct);

        var (created, updated, skipped, failed) = BatchRecords.Count(plan);
        await db.ImportJobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.RowsProcessed, j => j.RowsProcessed + plan.Rows.Count)
            .SetProperty(j => j.RowsCreated, j => j.RowsCreated + created)
            .SetProperty(j => j.RowsUpdated, j => j.RowsUpdated + updated)
            .SetProperty(j => j.RowsSkipped, j => j.RowsSkipped + skipped)
            .SetProperty(j => j.RowsFailed, j => j.RowsFailed + failed)
            .SetProperty(j => j.AccountsCreated, j => j.AccountsCreated + accounts.Count)
            .SetProperty(j => j.LastCommittedRow, plan.LastRow)
            .SetProperty(j => j.HeartbeatAt, now)
            .SetProperty(j => j.UpdatedAt, now), ct);
        var cancel = await db.ImportJobs.Where(j => j.Id == job.Id).Select(j => j.CancelRequested).SingleAsync(ct);
        await transaction.CommitAsync(ct);
        return new BatchOutcome(created, updated, skipped, failed, accounts.Count, cancel);
    }

    /// <summary>
    /// The record already holds the new values; attaching it with the old ones as originals makes EF update just
    /// those columns, check the version, and lets the interceptor write their history.
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
