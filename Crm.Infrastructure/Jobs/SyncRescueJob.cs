using Crm.Core.Integrations.Connections;
using Quartz;

namespace Crm.Infrastructure.Jobs;

/// <summary>Every few minutes: sync runs still "syncing" after 30 minutes (their process died) are closed, so the next run can start.</summary>
[DisallowConcurrentExecution]
public sealed class SyncRescueJob(IConnectionStatus status, TimeProvider time) : IJob
{
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(30);

    public ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default) =>
        new(status.RescueStuckRunsAsync(time.GetUtcNow() - StuckAfter, ct));
}
