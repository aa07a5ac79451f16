using Microsoft.EntityFrameworkCore;
using Crm.Core.Common;
using Crm.Core.Runs;
using Quartz;

namespace Crm.Infrastructure.Jobs;

/// <summary>Every night: a duplicate scan of every workspace (joining one already queued or running).</summary>
[DisallowConcurrentExecution]
public sealed class NightlyDuplicateScanJob(Crm.Infrastructure.Persistence.CrmDatabase database, IRunService runs) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        await using var db = database.Create(Actor.Anonymous);
        foreach (var workspaceId in await db.Workspaces.IgnoreQueryFilters().Select(w => w.Id).ToListAsync(ct))
            await runs.QueueAsync(new RunRequest(RunKind.DuplicateScan, workspaceId, 0, null), ct);
    }
}
