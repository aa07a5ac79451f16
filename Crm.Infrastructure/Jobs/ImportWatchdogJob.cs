using Crm.Core.Imports;
using Quartz;

namespace Crm.Infrastructure.Jobs;

/// <summary>
/// Every 30 seconds: imports whose runner stopped answering (a crash, a killed process) or that were queued but
/// never picked up are scheduled again, and so are rollbacks whose runner died or stopped on an error; each resumes
/// after its last committed batch.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ImportWatchdogJob(IImportJobStore jobs, IImportScheduler scheduler, JobSettings settings, TimeProvider time) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        foreach (var stalled in await jobs.FindStalledAsync(settings.StaleAfter, time.GetUtcNow(), ct))
        {
            if (stalled.RollingBack) await scheduler.ScheduleRollbackAsync(stalled.ImportId, stalled.WorkspaceId, ct);
            else await scheduler.ScheduleRunAsync(stalled.ImportId, stalled.WorkspaceId, ct);
        }
    }
}
