using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Duplicates;

/// <summary>The merges a record took part in, newest first (its page offers to undo them).</summary>
public sealed class ListMergesHandler(ICrmDbFactory dbFactory)
{
    public async Task<IReadOnlyList<MergeView>> HandleAsync(RecordType type, long recordId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var ids = await db.MergeRecords.AsNoTracking().Where(m => m.RecordType == type && (m.WinnerId == recordId || m.LoserId == recordId))
            .OrderByDescending(m => m.Id).Select(m => m.Id).ToListAsync(ct);
        var views = new List<MergeView>();
        foreach (var id in ids) views.Add(await MergeViews.ViewAsync(db, id, ct));
        return views;
    }
}
