using Crm.Core.Runs;
using Crm.Infrastructure.Runs;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Deals;
using Crm.Core.Imports;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Imports;

/// <summary>
/// Undoes an import. Updated records get their before-image back field by field (through EF, so the restore is in
/// their history); created records — and accounts the import created that nothing else uses any more — are
/// soft-deleted. A record whose version moved since the import was changed by someone: it is kept unless the user
/// chose to restore it anyway. Accounts an import created and something else now uses are kept silently (they are
/// not the import's to take away), and are not counted as kept changes.
/// </summary>
public sealed class ImportRollbackStore(CrmDatabase database) : IImportRollbackStore
{
    private const int Batch = 500;

    public async Task<RollbackPreview> PreviewAsync(ImportJob job, CancellationToken ct)
    {
        await using var db = database.Create(Actor.System(job.WorkspaceId));
        var created = Records(db, job.ObjectType).Where(r => r.CreatedByImportId == job.Id);
        var createdCount = await created.CountAsync(ct);
        var createdChanged = await created.Where(r => r.Version > 0).Select(r => new { r.Id, r.UpdatedAt }).Take(100).ToListAsync(ct);
        var createdChangedCount = await created.CountAsync(r => r.Version > 0, ct);
        var changes = db.ImportChanges.Where(c => c.ImportJobId == job.Id);
        var updatedCount = await changes.CountAsync(ct);
        var updatedChanged = await (from c in changes
                                    join r in Records(db, job.ObjectType) on c.RecordId equals r.Id
                                    where r.Version != c.VersionAfter
                                    select new { r.Id, r.UpdatedAt }).ToListAsync(ct);
        var accounts = job.ObjectType == RecordType.Account ? 0 : await db.Accounts.CountAsync(a => a.CreatedByImportId == job.Id, ct);

        var ids = createdChanged.Select(c => c.Id).Concat(updatedChanged.Take(100).Select(u => u.Id)).ToList();
        var names = await NamesAsync(db, job.ObjectType, ids, ct);
        var conflicts = createdChanged.Select(c => new RollbackConflict(job.ObjectType, c.Id, names.GetValueOrDefault(c.Id, $"#{c.Id}"), true, c.UpdatedAt))
            .Concat(updatedChanged.Take(100).Select(u => new RollbackConflict(job.ObjectType, u.Id, names.GetValueOrDefault(u.Id, $"#{u.Id}"), false, u.UpdatedAt)))
            .ToList();
        return new RollbackPreview(createdCount, createdChangedCount, updatedCount, updatedChanged.Count, accounts, conflicts);
    }

    public async Task<bool> RollBackBatchAsync(long importId, RunLease lease, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = database.Create(actor);
        // A rollback deletes and restores records by the thousand: their events only for endpoints that want them.
        db.AnnouncedEvents = db.WantedEvents();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var job = await db.ImportJobs.IgnoreQueryFilters().AsNoTracking().SingleAsync(j => j.Id == importId, ct);
        if (job.Status != ImportStatus.RollingBack) throw new ImportClaimLostException(importId);

        var (stage, cursor) = (job.RollbackStage, job.RollbackCursor);
        int deleted = 0, restored = 0, kept = 0;
        switch (stage)
        {
            case RollbackStage.RestoreUpdated:
                (restored, kept, cursor) = await RestoreUpdatesAsync(db, job, cursor, ct);
                break;
            case RollbackStage.DeleteCreated:
                (deleted, kept, cursor) = await DeleteCreatedAsync(db, job, job.ObjectType, cursor, ct);
                break;
            case RollbackStage.DeleteCreatedAccounts:
                (deleted, _, cursor) = await DeleteCreatedAsync(db, job, RecordType.Account, cursor, ct);
                break;
        }
        if (cursor < 0) (stage, cursor) = (Next(stage, job.ObjectType), 0);
        await db.SaveChangesAsync(ct);

        // The lease is checked in the write itself: a runner taken over meanwhile commits nothing.
        if (!await RunService.BeatWithinAsync(db, lease, new RunProgress(stage.ToString(), job.RollbackDeleted + job.RollbackRestored + job.RollbackKeptChanged + deleted + restored + kept), now, ct))
            throw new ImportClaimLostException(importId);
        var saved = await db.ImportJobs.IgnoreQueryFilters().Where(j => j.Id == importId && j.Status == ImportStatus.RollingBack)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.RollbackStage, stage)
                .SetProperty(j => j.RollbackCursor, cursor)
                .SetProperty(j => j.RollbackDeleted, j => j.RollbackDeleted + deleted)
                .SetProperty(j => j.RollbackRestored, j => j.RollbackRestored + restored)
                .SetProperty(j => j.RollbackKeptChanged, j => j.RollbackKeptChanged + kept)
                .SetProperty(j => j.UpdatedAt, now), ct);
        if (saved == 0) throw new ImportClaimLostException(importId);
        await transaction.CommitAsync(ct);
        return stage != RollbackStage.Done;
    }

    private static RollbackStage Next(RollbackStage stage, RecordType type) => stage switch
    {
        RollbackStage.RestoreUpdated => RollbackStage.DeleteCreated,
        RollbackStage.DeleteCreated when type != RecordType.Account => RollbackStage.DeleteCreatedAccounts,
        _ => RollbackStage.Done,
    };

    /// <returns>The counts of this batch and the last change handled; -1 when none was left.</returns>
    private static async Task<(int Restored, int Kept, long Cursor)> RestoreUpdatesAsync(CrmDbContext db, ImportJob job, long after, CancellationToken ct)
    {
        var changes = await db.ImportChanges.AsNoTracking().Where(c => c.ImportJobId == job.Id && c.Id > after).OrderBy(c => c.Id).Take(Batch).ToListAsync(ct);
        if (changes.Count == 0) return (0, 0, -1);
        int restored = 0, kept = 0;
        var target = ImportTarget.For(job.ObjectType);
        var ids = changes.Select(c => c.RecordId).ToList();
        var records = (await Tracked(db, job.ObjectType, ids, ct)).ToDictionary(r => r.Id);
        foreach (var change in changes)
        {
            if (!records.TryGetValue(change.RecordId, out var record)) { kept++; continue; }
            if (record.Version != change.VersionAfter && !job.RollbackRestoresChangedRecords) { kept++; continue; }
            Restore(record, change, target);
            restored++;
        }
        return (restored, kept, changes[^1].Id);
    }

    private static void Restore(ITrackedRecord record, ImportChange change, ImportTarget target)
    {
        Dictionary<string, string>? custom = null;
        foreach (var (field, before) in change.Before)
        {
            if (field.StartsWith("Contacts:", StringComparison.Ordinal) && record is Deal deal)
            {
                var contactId = long.Parse(field["Contacts:".Length..], System.Globalization.CultureInfo.InvariantCulture);
                deal.Contacts.RemoveAll(c => c.ContactId == contactId);
            }
            else if (field.StartsWith(ImportFields.CustomPrefix, StringComparison.Ordinal))
            {
                custom ??= new Dictionary<string, string>((Dictionary<string, string>)target["CustomFields"].Get(record)!, StringComparer.Ordinal);
                var key = field[ImportFields.CustomPrefix.Length..];
                if (before is null) custom.Remove(key);
                else custom[key] = before;
            }
            else if (target.Has(field))
            {
                target[field].Set(record, ValueText.Parse(target[field].Type, before));
            }
        }
        if (custom is not null) target["CustomFields"].Set(record, custom);
    }

    /// <returns>The counts of this batch and the last record id handled; -1 when none was left.</returns>
    private static async Task<(int Deleted, int Kept, long Cursor)> DeleteCreatedAsync(CrmDbContext db, ImportJob job, RecordType type, long after, CancellationToken ct)
    {
        var batch = await Records(db, type).Where(r => r.CreatedByImportId == job.Id && r.Id > after).OrderBy(r => r.Id).Take(Batch * 4).ToListAsync(ct);
        if (batch.Count == 0) return (0, 0, -1);
        int deleted = 0, kept = 0;
        var inUse = type == RecordType.Account ? await AccountsStillUsedAsync(db, batch.Select(a => a.Id).ToList(), ct) : [];
        foreach (var record in batch)
        {
            if (record.Version > 0 && !job.RollbackRestoresChangedRecords || inUse.Contains(record.Id)) { kept++; continue; }
            db.Remove(record);
            deleted++;
        }
        return (deleted, kept, batch[^1].Id);
    }

    private static async Task<HashSet<long>> AccountsStillUsedAsync(CrmDbContext db, List<long> ids, CancellationToken ct)
    {
        var byContacts = await db.Contacts.Where(c => c.AccountId != null && ids.Contains(c.AccountId.Value)).Select(c => c.AccountId!.Value).Distinct().ToListAsync(ct);
        var byDeals = await db.Deals.Where(d => d.AccountId != null && ids.Contains(d.AccountId.Value)).Select(d => d.AccountId!.Value).Distinct().ToListAsync(ct);
        return [.. byContacts, .. byDeals];
    }

    private static IQueryable<ITrackedRecord> Records(CrmDbContext db, RecordType type) => type switch
    {
        RecordType.Contact => db.Contacts,
        RecordType.Account => db.Accounts,
        _ => db.Deals,
    };

    private static async Task<IEnumerable<ITrackedRecord>> Tracked(CrmDbContext db, RecordType type, List<long> ids, CancellationToken ct) => type switch
    {
        RecordType.Contact => await db.Contacts.Where(c => ids.Contains(c.Id)).ToListAsync(ct),
        RecordType.Account => await db.Accounts.Where(a => ids.Contains(a.Id)).ToListAsync(ct),
        _ => await db.Deals.Include(d => d.Contacts).Where(d => ids.Contains(d.Id)).ToListAsync(ct),
    };

    private static async Task<Dictionary<long, string>> NamesAsync(CrmDbContext db, RecordType type, List<long> ids, CancellationToken ct) => type switch
    {
        RecordType.Contact => (await db.Contacts.Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.FirstName, c.LastName, c.Email }).ToListAsync(ct))
            .ToDictionary(c => c.Id, c => ContactNames.Display(c.FirstName, c.LastName, c.Email)),
        RecordType.Account => await db.Accounts.Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct),
        _ => await db.Deals.Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct),
    };
}
