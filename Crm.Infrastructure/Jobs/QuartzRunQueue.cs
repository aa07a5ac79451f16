using Crm.Core.Runs;
using Quartz;

namespace Crm.Infrastructure.Jobs;

/// <summary>
/// Queued runs as Quartz jobs in the persistent store, one per run ("run-&lt;id&gt;"): recovered when the app dies,
/// started at the run's <see cref="Run.NotBefore"/> when it has one, and handed out once however often it is asked.
/// </summary>
public sealed class QuartzRunQueue(ISchedulerFactory factory) : IRunQueue
{
    public Task EnqueueAsync(Run run, CancellationToken ct = default) =>
        factory.RunAtAsync<ExecuteRunJob>($"run-{run.Id}", "runs", run.NotBefore, ct, ("runId", run.Id), ("kind", (long)run.Kind));
}
