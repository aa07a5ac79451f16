using System.ComponentModel.DataAnnotations;
using Crm.Core.Common;
using Crm.Core.Imports;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Exports;

public sealed record ExportSettingsView(int RowLimit, bool AdminOnly, int RetentionHours);

public sealed class ExportSettingsInput
{
    [Range(1, ExportLimits.MaxRowLimit, ErrorMessage = "The row limit is between 1 and 10,000,000.")] public int RowLimit { get; set; } = ExportLimits.DefaultRowLimit;
    public bool AdminOnly { get; set; }
    [Range(1, ExportLimits.MaxRetentionHours, ErrorMessage = "Files are kept between 1 hour and 30 days (720 hours).")] public int RetentionHours { get; set; } = ExportLimits.DefaultRetentionHours;
}

public sealed class GetExportSettingsHandler(ICrmDbFactory dbFactory)
{
    public async Task<ExportSettingsView> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var w = await db.Workspaces.AsNoTracking().SingleAsync(x => x.Id == db.Actor.WorkspaceId, ct);
        return new ExportSettingsView(w.ExportRowLimit, w.ExportsAdminOnly, w.ExportRetentionHours);
    }
}

public sealed class UpdateExportSettingsHandler(ICrmDbFactory dbFactory)
{
    public async Task<ExportSettingsView> HandleAsync(ExportSettingsInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        InputValidation.ThrowIfInvalid(input);
        var w = await db.Workspaces.SingleAsync(x => x.Id == db.Actor.WorkspaceId, ct);
        w.ExportRowLimit = input.RowLimit;
        w.ExportsAdminOnly = input.AdminOnly;
        w.ExportRetentionHours = input.RetentionHours;
        await db.SaveChangesAsync(ct);
        return new ExportSettingsView(w.ExportRowLimit, w.ExportsAdminOnly, w.ExportRetentionHours);
    }
}
