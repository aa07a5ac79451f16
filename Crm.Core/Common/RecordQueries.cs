using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Common;

public static class RecordQueries
{
    /// <summary>The record with this id in the actor's workspace, or <see cref="NotFoundException"/>.</summary>
    public static async Task<T> GetAsync<T>(this IQueryable<T> records, long id, string what, CancellationToken ct) where T : Entity =>
        await records.SingleOrDefaultAsync(r => r.Id == id, ct) ?? throw new NotFoundException(what, id);

    /// <summary>Throws <see cref="NotFoundException"/> unless the contact, account or deal is in the actor's workspace (and not deleted or merged).</summary>
    public static async Task EnsureExistsAsync(this ICrmDb db, RecordType type, long id, CancellationToken ct)
    {
        var exists = type switch
        {
            RecordType.Contact => await db.Contacts.AnyAsync(c => c.Id == id, ct),
            RecordType.Account => await db.Accounts.AnyAsync(a => a.Id == id, ct),
            RecordType.Deal => await db.Deals.AnyAsync(d => d.Id == id, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
        if (!exists) throw new NotFoundException(type.ToString(), id);
    }

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
