using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Common;

public static class RecordQueries
{
    /// <summary>The record with this id in the actor's workspace, or <see cref="NotFoundException"/>.</summary>
    public static async Task<T> GetAsync<T>(this IQueryable<T> records, long id, string what, CancellationToken ct) where T : Entity =>
        await records.SingleOrDefaultAsync(r => r.Id == id, ct) ?? throw new NotFoundException(what, id);

    /// <summary>Soft-deletes a record after checking the caller's version (persistence turns the remove into a soft delete).</summary>
    public static async Task DeleteAsync<T>(this ICrmDb db, DbSet<T> records, long id, int? expectedVersion, string what, CancellationToken ct)
        where T : Entity, IVersioned
    {
        var record = await records.GetAsync(id, what, ct);
        Concurrency.Check(what, record, expectedVersion);
        records.Remove(record);
        await Concurrency.SaveAsync(db, what, record, ct);
    }
}
