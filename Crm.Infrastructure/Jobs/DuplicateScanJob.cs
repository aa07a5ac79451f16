using Crm.Core.Common;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Crm.Infrastructure.Jobs;

/// <summary>Scans one workspace for duplicate contacts and accounts.</summary>
[DisallowConcurrentExecution]
public sealed class DuplicateScanJob(IServiceScopeFactory scopes, CpuHeavyRuns cpu) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        using var slot = await cpu.EnterOrPostponeAsync(context, ct);
        if (slot is null) return;
        var workspaceId = context.MergedJobDataMap.GetLong("workspaceId");
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(workspaceId, ChangeSource.System, "duplicate-scan");
        await scope.ServiceProvider.GetRequiredService<Crm.Core.Duplicates.DuplicateScanner>().RunAsync(ct);
    }
}
