using Crm.Core.Common;
using Crm.Core.Imports;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Crm.Infrastructure.Jobs;

/// <summary>Runs (or resumes) one import. Thin: set the actor, call the runner.</summary>
[DisallowConcurrentExecution]
public sealed class RunImportJob(IServiceScopeFactory scopes, JobSettings settings, CpuHeavyRuns cpu) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        using var slot = await cpu.EnterOrPostponeAsync(context, ct);
        if (slot is null) return;
        var importId = context.MergedJobDataMap.GetLong("importId");
        var workspaceId = context.MergedJobDataMap.GetLong("workspaceId");
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(workspaceId, ChangeSource.Import, ImportJob.SourceRefOf(importId));
        var runner = scope.ServiceProvider.GetRequiredService<ImportRunner>();
        runner.StaleThreshold = settings.StaleAfter;
        await runner.RunAsync(importId, ct);
    }
}
