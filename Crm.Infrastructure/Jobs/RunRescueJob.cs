using Crm.Core.Runs;
using Quartz;

namespace Crm.Infrastructure.Jobs;

/// <summary>
/// Every 30 seconds: runs of every kind whose runner stopped answering (a crash, a killed process), that were queued
/// but never picked up, or that stopped on an error and have waited out their pause, are handed to a worker again;
/// each resumes from what it last committed.
/// </summary>
[DisallowConcurrentExecution]
public sealed class RunRescueJob(IRunService runs, IRunQueue queue) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default) => await RescueAsync(runs, queue, ct);

    /// <returns>How many runs were handed out again.</returns>
    public static async Task<int> RescueAsync(IRunService runs, IRunQueue queue, CancellationToken ct)
    {
        var stalled = await runs.FindStalledAsync(ct);
        foreach (var run in stalled)
            if (await runs.GetAsync(run.RunId, ct) is { } current) await queue.EnqueueAsync(current, ct);
        return stalled.Count;
    }
}
