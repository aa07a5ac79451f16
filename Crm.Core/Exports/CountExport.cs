using System.Globalization;
using Crm.Core.Common;
using Crm.Core.Imports;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Exports;

/// <summary>How many rows an export of this list would hold, and the workspace's limit for the format.</summary>
public sealed class CountExportHandler(ICrmDbFactory dbFactory)
{
    public async Task<(int Rows, int Limit)> HandleAsync(ExportPart part, ExportFormat format, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var workspace = await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == db.Actor.WorkspaceId, ct);
        var sheet = ExportQueries.Sheet(db, part with { Fields = [] }, []);
        var limit = format == ExportFormat.Xlsx ? Math.Min(workspace.ExportRowLimit, ExportLimits.MaxXlsxRows) : workspace.ExportRowLimit;
        return (await sheet.CountAsync(ct), limit);
    }
}
