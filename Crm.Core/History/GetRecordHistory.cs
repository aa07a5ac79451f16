using Crm.Core.Common;
using Crm.Core.Imports;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.History;

/// <summary>One field of a change: from what, to what.</summary>
public sealed record HistoryField(string Field, string? OldValue, string? NewValue);

/// <summary>
/// One change of a record: one field (<see cref="Field"/>, <see cref="OldValue"/>, <see cref="NewValue"/>), or, for an
/// import's update (<see cref="ChangeKind.Imported"/>), every field it changed in <see cref="Fields"/>.
/// </summary>
public sealed record HistoryEntry(
    DateTimeOffset ChangedAt, ChangeKind Kind, string Field, string? OldValue, string? NewValue,
    ChangeSource Source, long? ActorUserId, string? ActorName, string? SourceRef)
{
    /// <summary>The fields an import changed, in the order it changed them; empty for any other change.</summary>
    public IReadOnlyList<HistoryField> Fields { get; init; } = [];

    /// <summary>Every field of the change: the one it names, or an import's fields.</summary>
    public IEnumerable<HistoryField> AllFields => Kind == ChangeKind.Imported ? Fields : [new HistoryField(Field, OldValue, NewValue)];
}

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

        var rows = await db.FieldChanges.AsNoTracking()
            .Where(f => f.RecordType == recordType && f.RecordId == recordId)
            .OrderByDescending(f => f.Id)
            .Select(f => new Row(f.Id, new HistoryEntry(f.ChangedAt, f.Kind, f.Field, f.OldValue, f.NewValue, f.Source, f.ActorUserId,
                db.Users.Where(u => u.Id == f.ActorUserId).Select(u => u.Name).FirstOrDefault(), f.SourceRef)))
            .ToPageAsync(page, pageSize, ct);
        var imported = await ImportedFieldsAsync(db, recordType, recordId, rows.Items, ct);
        var changes = rows.Items.Select(r => imported.TryGetValue(r.Id, out var fields) ? r.Entry with { Fields = fields } : r.Entry).ToList();
        return new RecordHistory(new PagedResult<HistoryEntry>(changes, rows.Total, rows.Page, rows.PageSize), record.CreatedAt, record.CreatedSource, createdBy);
    }

    private sealed record Row(long Id, HistoryEntry Entry);

    /// <summary>
    /// The fields of the page's import updates, from each import's before-image of this record (an import updates a
    /// record once at most: a second row with the same match key fails as a duplicate within the file).
    /// </summary>
    private static async Task<Dictionary<long, IReadOnlyList<HistoryField>>> ImportedFieldsAsync(
        ICrmDb db, RecordType recordType, long recordId, IReadOnlyList<Row> rows, CancellationToken ct)
    {
        var imported = rows.Where(r => r.Entry.Kind == ChangeKind.Imported)
            .Select(r => (r.Id, ImportId: ImportJob.ImportIdOf(r.Entry.SourceRef))).Where(r => r.ImportId is not null).ToList();
        if (imported.Count == 0) return [];
        var importIds = imported.Select(r => r.ImportId!.Value).Distinct().ToList();
        var images = (await db.ImportChanges.AsNoTracking()
                .Where(c => importIds.Contains(c.ImportJobId) && c.RecordId == recordId && c.RecordType == recordType)
                .ToListAsync(ct))
            .DistinctBy(c => c.ImportJobId).ToDictionary(c => c.ImportJobId);
        return imported.Where(r => images.ContainsKey(r.ImportId!.Value))
            .ToDictionary(r => r.Id, r => (IReadOnlyList<HistoryField>)FieldsOf(images[r.ImportId!.Value]));
    }

    private static List<HistoryField> FieldsOf(ImportChange image) =>
        image.After.Keys.Union(image.Before.Keys).Select(key =>
        {
            var before = image.Before.GetValueOrDefault(key);
            var after = image.After.GetValueOrDefault(key);
            // A deal's contact: the key names it, added (after) or removed (before).
            var field = key.StartsWith("Contacts:", StringComparison.Ordinal) ? "Contacts" : key;
            return new HistoryField(field, FieldLimits.Cut(before, FieldLimits.HistoryValue), FieldLimits.Cut(after, FieldLimits.HistoryValue));
        }).ToList();

    private sealed record Creation(DateTimeOffset CreatedAt, ChangeSource CreatedSource, long? CreatedByUserId);

    private static Task<Creation?> CreationOfAsync<T>(IQueryable<T> records, long id, CancellationToken ct) where T : class, ITrackedRecord =>
        records.AsNoTracking().Where(r => r.Id == id)
            .Select(r => new Creation(r.CreatedAt, r.CreatedSource, r.CreatedByUserId))
            .SingleOrDefaultAsync(ct)!;
}
