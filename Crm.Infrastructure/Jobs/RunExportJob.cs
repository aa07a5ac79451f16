using Crm.Core.Common;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Crm.Infrastructure.Jobs;

/// <summary>Runs (or runs again, after a crash) one export.</summary>
[DisallowConcurrentExecution]
public sealed class RunExportJob(IServiceScopeFactory scopes, JobSettings settings, CpuHeavyRuns cpu) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        using var slot = await cpu.EnterOrPostponeAsync(context, ct);
        if (slot is null) return;
        var exportId = context.MergedJobDataMap.GetLong("exportId");
        var workspaceId = context.MergedJobDataMap.GetLong("workspaceId");
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(workspaceId, ChangeSource.System, $"export:{exportId}");
        var runner = scope.ServiceProvider.GetRequiredService<Crm.Core.Exports.ExportRunner>();
        runner.StaleThreshold = settings.StaleAfter;
        await runner.RunAsync(exportId, ct);
    }
}
