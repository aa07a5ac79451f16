using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.History;

public sealed record HistoryEntry(
    DateTimeOffset ChangedAt, ChangeKind Kind, string Field, string? OldValue, string? NewValue,
    ChangeSource Source, long? ActorUserId, string? ActorName, string? SourceRef);

/// <summary>A record's changes, newest first, and who created it.</summary>
public sealed record RecordHistory(
    PagedResult<HistoryEntry> Changes, DateTimeOffset CreatedAt, ChangeSource CreatedSource, string? CreatedByName);

public sealed class GetRecordHistoryHandler(ICrmDbFactory dbFactory)
{
    public async Task<RecordHistory> HandleAsync(RecordType recordType, long recordId, int page = 1, int pageSize = 50, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var record = recordType switch
        {
            RecordType.Contact => await CreationOfAsync(db.Contacts, recordId, ct),
            RecordType.Account => await CreationOfAsync(db.Accounts, recordId, ct),
            RecordType.Deal => await CreationOfAsync(db.Deals, recordId, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(recordType)),
        } ?? throw new NotFoundException(recordType.ToString(), recordId);
        var createdBy = record.CreatedByUserId is { } userId
            ? await db.Users.Where(u => u.Id == userId).Select(u => u.Name).SingleOrDefaultAsync(ct)
            : null;

        var changes = await db.FieldChanges.AsNoTracking()
            .Where(f => f.RecordType == recordType && f.RecordId == recordId)
            .OrderByDescending(f => f.Id)
            .Select(f => new HistoryEntry(f.ChangedAt, f.Kind, f.Field, f.OldValue, f.NewValue, f.Source, f.ActorUserId,
                db.Users.Where(u => u.Id == f.ActorUserId).Select(u => u.Name).FirstOrDefault(), f.SourceRef))
            .ToPageAsync(page, pageSize, ct);
        return new RecordHistory(changes, record.CreatedAt, record.CreatedSource, createdBy);
    }

    private sealed record Creation(DateTimeOffset CreatedAt, ChangeSource CreatedSource, long? CreatedByUserId);

    private static Task<Creation?> CreationOfAsync<T>(IQueryable<T> records, long id, CancellationToken ct) where T : class, ITrackedRecord =>
        records.AsNoTracking().Where(r => r.Id == id)
            .Select(r => new Creation(r.CreatedAt, r.CreatedSource, r.CreatedByUserId))
            .SingleOrDefaultAsync(ct)!;
}
