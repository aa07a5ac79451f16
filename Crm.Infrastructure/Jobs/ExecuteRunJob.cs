using Crm.Core.Runs;
using Quartz;

namespace Crm.Infrastructure.Jobs;

/// <summary>Runs one queued run of any kind. Thin: wait for a CPU slot if the kind needs one, then the executor.</summary>
[DisallowConcurrentExecution]
public sealed class ExecuteRunJob(RunExecutor executor, CpuHeavyRuns cpu) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        var kind = (RunKind)context.MergedJobDataMap.GetLong("kind");
        using var slot = RunKinds.IsCpuHeavy(kind) ? await cpu.EnterOrPostponeAsync(context, ct) : NoSlot.Instance;
        if (slot is null) return;
        await executor.ExecuteAsync(context.MergedJobDataMap.GetLong("runId"), ct);
    }

    private sealed class NoSlot : IDisposable
    {
        public static readonly NoSlot Instance = new();
        public void Dispose() { }
    }
}
