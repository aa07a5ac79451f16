using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Duplicates;

public sealed class UndoMergeHandler(ICrmDbFactory dbFactory, DatabaseRetry retry, TimeProvider time)
{
    public Task<MergeView> HandleAsync(long mergeId, CancellationToken ct = default) =>
        retry.RunAsync(async t =>
        {
            await using var db = await dbFactory.CreateAsync(t);
            Roles.EnsureAdmin(db.Actor);
            var record = await db.MergeRecords.SingleOrDefaultAsync(m => m.Id == mergeId, t) ?? throw new NotFoundException("Merge", mergeId);
            await Merges.UndoAsync(db, record, time.GetUtcNow(), t);
            return await MergeViews.ViewAsync(db, record.Id, t);
        }, ct);
}
