using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Duplicates;

public sealed class MergeContactsHandler(ICrmDbFactory dbFactory, DatabaseRetry retry, TimeProvider time)
{
    public Task<MergeView> HandleAsync(MergeRequest request, CancellationToken ct = default) =>
        MergeViews.MergeAsync(dbFactory, retry, RecordType.Contact, request, time.GetUtcNow(), ct);
}

public sealed class MergeAccountsHandler(ICrmDbFactory dbFactory, DatabaseRetry retry, TimeProvider time)
{
    public Task<MergeView> HandleAsync(MergeRequest request, CancellationToken ct = default) =>
        MergeViews.MergeAsync(dbFactory, retry, RecordType.Account, request, time.GetUtcNow(), ct);
}

internal static class MergeViews
{
    /// <summary>An admin's merge of two contacts or two accounts, answered with what it did.</summary>
    /// <remarks>One transaction, tried again with a fresh context when the database is busy.</remarks>
    public static Task<MergeView> MergeAsync(ICrmDbFactory dbFactory, DatabaseRetry retry, RecordType type, MergeRequest request, DateTimeOffset now, CancellationToken ct) =>
        retry.RunAsync(async t =>
        {
            await using var db = await dbFactory.CreateAsync(t);
            Roles.EnsureAdmin(db.Actor);
            var record = await Merges.MergeAsync(db, type, request, now, t);
            return await ViewAsync(db, record.Id, t);
        }, ct);

    public static async Task<MergeView> ViewAsync(ICrmDb db, long mergeId, CancellationToken ct)
    {
        var m = await db.MergeRecords.AsNoTracking().SingleAsync(x => x.Id == mergeId, ct);
        var by = m.MergedByUserId is { } userId ? await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Name).SingleOrDefaultAsync(ct) : null;
        var names = await NamesAsync(db, m.RecordType, [m.WinnerId, m.LoserId], ct);
        return new MergeView(m.Id, m.RecordType, m.WinnerId, m.LoserId, m.Before.Keys.ToList(), m.MovedActivityIds.Count,
            m.MovedDealLinks.Count + m.MovedDealIds.Count, m.MovedContactIds.Count, m.CreatedAt, by, m.UndoneAt, m.MovedExternalLinkIds.Count,
            names.GetValueOrDefault(m.WinnerId), names.GetValueOrDefault(m.LoserId));
    }

    /// <summary>Records by name, the merged-away (soft-deleted) one included: a merge is told by names, not ids.</summary>
    private static async Task<Dictionary<long, string>> NamesAsync(ICrmDb db, RecordType type, long[] ids, CancellationToken ct) => type == RecordType.Contact
        ? (await db.Contacts.IgnoreQueryFilters(["SoftDelete"]).AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.FirstName, c.LastName, c.Email }).ToListAsync(ct))
            .ToDictionary(c => c.Id, c => Contacts.ContactNames.Display(c.FirstName, c.LastName, c.Email))
        : await db.Accounts.IgnoreQueryFilters(["SoftDelete"]).AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
}
