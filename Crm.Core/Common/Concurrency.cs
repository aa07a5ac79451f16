using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Common;

public interface IVersioned
{
    long Id { get; }
    int Version { get; }
}

/// <summary>Optimistic concurrency: the caller's version must match, and nobody may write in between.</summary>
public static class Concurrency
{
    public static void Check(string what, IVersioned record, int? expectedVersion)
    {
        if (expectedVersion is { } expected && expected != record.Version)
            throw new ConcurrencyConflictException(what, record.Id, record.Version);
    }

    public static async Task SaveAsync(ICrmDb db, string what, IVersioned record, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConcurrencyConflictException(what, record.Id, record.Version);
        }
    }
}
