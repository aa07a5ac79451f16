using System.Globalization;
using Crm.Core.Common;
using Crm.Core.Imports;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Exports;

/// <summary>
/// "Only admins may export" is the workspace's setting as it is now, checked whenever exports are listed, shown or
/// downloaded: switching it on closes earlier exports to reps too.
/// </summary>
internal static class ExportAccess
{
    public static async Task EnsureAllowedAsync(ICrmDb db, bool exportAdminOnly, CancellationToken ct)
    {
        if (db.Actor.IsAdmin) return;
        if (exportAdminOnly || await db.Workspaces.Where(w => w.Id == db.Actor.WorkspaceId).Select(w => w.ExportsAdminOnly).SingleAsync(ct))
            Roles.EnsureAdmin(db.Actor);
    }
}
