using Crm.Core.Common;
using Crm.Core.Imports;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Crm.Infrastructure.Jobs;

[DisallowConcurrentExecution]
public sealed class RollbackImportJob(IServiceScopeFactory scopes, JobSettings settings, CpuHeavyRuns cpu) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        using var slot = await cpu.EnterOrPostponeAsync(context, ct);
        if (slot is null) return;
        var importId = context.MergedJobDataMap.GetLong("importId");
        var workspaceId = context.MergedJobDataMap.GetLong("workspaceId");
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(workspaceId, ChangeSource.Import, $"rollback:import:{importId}");
        var runner = scope.ServiceProvider.GetRequiredService<RollbackRunner>();
        runner.StaleThreshold = settings.StaleAfter;
        await runner.RunAsync(importId, ct);
    }
}
