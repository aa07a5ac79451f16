using System.Globalization;
using Crm.Core.Common;
using Crm.Core.Imports;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Exports;

public sealed class ListExportsHandler(ICrmDbFactory dbFactory)
{
    public async Task<PagedResult<ExportView>> HandleAsync(int page = 1, int pageSize = 25, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        await ExportAccess.EnsureAllowedAsync(db, false, ct);
        (page, pageSize) = (Math.Max(1, page), Math.Clamp(pageSize, 1, 200));
        var jobs = db.ExportJobs.AsNoTracking();
        var total = await jobs.CountAsync(ct);
        var views = await ExportViews.ViewsAsync(db, jobs.OrderByDescending(j => j.Id).Skip(Paging.Offset(page, pageSize)).Take(pageSize), ct);
        return new PagedResult<ExportView>(views.OrderByDescending(v => v.Id).ToList(), total, page, pageSize);
    }
}
