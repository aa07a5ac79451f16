using System.Globalization;
using Crm.Core.Common;
using Crm.Core.Imports;
using Microsoft.EntityFrameworkCore;
using static System.FormattableString;

namespace Crm.Core.Exports;

public sealed class GetExportHandler(ICrmDbFactory dbFactory)
{
    public async Task<ExportView> HandleAsync(long exportId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var view = await ExportViews.ViewAsync(db, exportId, ct);
        await ExportAccess.EnsureAllowedAsync(db, view.AdminOnly, ct);
        return view;
    }
}
