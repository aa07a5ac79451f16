using Crm.Core.Common;
using Crm.Core.Imports;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Crm.Infrastructure.Jobs;

/// <summary>Runs (or resumes) one import. Thin: set the actor, call the runner.</summary>
[DisallowConcurrentExecution]
public sealed class RunImportJob(IServiceScopeFactory scopes, JobSettings settings) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        var importId = context.MergedJobDataMap.GetLong("importId");
        var workspaceId = context.MergedJobDataMap.GetLong("workspaceId");
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(workspaceId, ChangeSource.Import, $"import:{importId}");
        var runner = scope.ServiceProvider.GetRequiredService<ImportRunner>();
        runner.StaleThreshold = settings.StaleAfter;
        await runner.RunAsync(importId, ct);
    }
}

[DisallowConcurrentExecution]
public sealed class RollbackImportJob(IServiceScopeFactory scopes) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        var importId = context.MergedJobDataMap.GetLong("importId");
        var workspaceId = context.MergedJobDataMap.GetLong("workspaceId");
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(workspaceId, ChangeSource.Import, $"rollback:import:{importId}");
        await scope.ServiceProvider.GetRequiredService<RollbackRunner>().RunAsync(importId, ct);
    }
}

/// <summary>
/// Every 30 seconds: imports whose runner stopped answering (a crash, a killed process) or that were queued but
/// never picked up are scheduled again; the runner resumes after their last committed row.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ImportWatchdogJob(IImportJobStore jobs, IImportScheduler scheduler, JobSettings settings, TimeProvider time) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        foreach (var (importId, workspaceId) in await jobs.FindStalledAsync(settings.StaleAfter, time.GetUtcNow(), ct))
            await scheduler.ScheduleRunAsync(importId, workspaceId, ct);
    }
}

/// <summary>Configuration section "Jobs".</summary>
public sealed class JobSettings
{
    public const string Section = "Jobs";
    /// <summary>How long an import's heartbeat may be silent before it is resumed elsewhere.</summary>
    public TimeSpan StaleAfter { get; set; } = ImportRunner.StaleAfter;
    public TimeSpan WatchdogInterval { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Off in tools that only use the database (benchmarks); on in the app.</summary>
    public bool Enabled { get; set; } = true;
}

public sealed class QuartzImportScheduler(ISchedulerFactory factory) : IImportScheduler
{
    public Task ScheduleRunAsync(long importId, long workspaceId, CancellationToken ct = default) =>
        ScheduleAsync<RunImportJob>($"import-{importId}", importId, workspaceId, ct);

    public Task ScheduleRollbackAsync(long importId, long workspaceId, CancellationToken ct = default) =>
        ScheduleAsync<RollbackImportJob>($"rollback-{importId}", importId, workspaceId, ct);

    private async Task ScheduleAsync<TJob>(string name, long importId, long workspaceId, CancellationToken ct) where TJob : IJob
    {
        var scheduler = await factory.GetScheduler(ct);
        var job = JobBuilder.Create<TJob>()
            .WithIdentity(name, "imports")
            .UsingJobData("importId", importId)
            .UsingJobData("workspaceId", workspaceId)
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create().WithIdentity($"{name}-{Guid.NewGuid():N}", "imports").StartNow().Build();
        await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, ct);
    }
}
