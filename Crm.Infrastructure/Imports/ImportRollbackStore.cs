using Crm.Core.Accounts;
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
/// chose to restore it anyway.
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

    public async Task<RollbackOutcome> RollbackAsync(ImportJob job, bool restoreChanged, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var (restored, keptUpdated) = await RestoreUpdatesAsync(job, restoreChanged, actor, ct);
        var (deleted, keptCreated) = await DeleteCreatedAsync(job, job.ObjectType, restoreChanged, actor, ct);
        if (job.ObjectType != RecordType.Account)
        {
            var (accounts, _) = await DeleteCreatedAsync(job, RecordType.Account, restoreChanged, actor, ct);
            deleted += accounts;
        }
        return new RollbackOutcome(deleted, restored, keptUpdated + keptCreated);
    }

    private async Task<(int Restored, int Kept)> RestoreUpdatesAsync(ImportJob job, bool restoreChanged, Actor actor, CancellationToken ct)
    {
        int restored = 0, kept = 0;
        long after = 0;
        var target = ImportTarget.For(job.ObjectType);
        while (true)
        {
            await using var db = database.Create(actor);
            var changes = await db.ImportChanges.AsNoTracking().Where(c => c.ImportJobId == job.Id && c.Id > after).OrderBy(c => c.Id).Take(Batch).ToListAsync(ct);
            if (changes.Count == 0) break;
            after = changes[^1].Id;
            var ids = changes.Select(c => c.RecordId).ToList();
            var records = (await Tracked(db, job.ObjectType, ids, ct)).ToDictionary(r => r.Id);
            foreach (var change in changes)
            {
                if (!records.TryGetValue(change.RecordId, out var record)) { kept++; continue; }
                if (record.Version != change.VersionAfter && !restoreChanged) { kept++; continue; }
                Restore(record, change, target);
                restored++;
            }
            await db.SaveChangesAsync(ct);
        }
        return (restored, kept);
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

    private async Task<(int Deleted, int Kept)> DeleteCreatedAsync(ImportJob job, RecordType type, bool restoreChanged, Actor actor, CancellationToken ct)
    {
        int deleted = 0, kept = 0;
        long after = 0;
        while (true)
        {
            await using var db = database.Create(actor);
            var batch = await Records(db, type).Where(r => r.CreatedByImportId == job.Id && r.Id > after).OrderBy(r => r.Id).Take(Batch * 4).ToListAsync(ct);
            if (batch.Count == 0) break;
            after = batch[^1].Id;
            var inUse = type == RecordType.Account ? await AccountsStillUsedAsync(db, batch.Select(a => a.Id).ToList(), ct) : [];
            foreach (var record in batch)
            {
                if (record.Version > 0 && !restoreChanged || inUse.Contains(record.Id)) { kept++; continue; }
                db.Remove(record);
                deleted++;
            }
            await db.SaveChangesAsync(ct);
        }
        return (deleted, kept);
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
