using Microsoft.EntityFrameworkCore;
using Crm.Core.Common;
using Quartz;

namespace Crm.Infrastructure.Jobs;

/// <summary>Every night: a duplicate scan of every workspace.</summary>
[DisallowConcurrentExecution]
public sealed class NightlyDuplicateScanJob(Crm.Infrastructure.Persistence.CrmDatabase database, Crm.Core.Duplicates.IDuplicateScheduler scheduler) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        await using var db = database.Create(Actor.Anonymous);
        foreach (var workspaceId in await db.Workspaces.IgnoreQueryFilters().Select(w => w.Id).ToListAsync(ct))
            await scheduler.ScheduleScanAsync(workspaceId, ct);
    }
}
