using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Duplicates;

public sealed class StartDuplicateScanHandler(ICrmDbFactory dbFactory, IDuplicateScheduler scheduler, TimeProvider time)
{
    public async Task HandleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        // Shown as running from now: the job may wait a moment for a free worker.
        var now = time.GetUtcNow();
        await db.Workspaces.Where(w => w.Id == db.Actor.WorkspaceId).ExecuteUpdateAsync(s => s.SetProperty(w => w.DuplicateScanStartedAt, now), ct);
        await scheduler.ScheduleScanAsync(db.Actor.WorkspaceId, ct);
    }
}
