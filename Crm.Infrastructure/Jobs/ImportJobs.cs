using Microsoft.EntityFrameworkCore;
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
        scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(workspaceId, ChangeSource.Import, ImportJob.SourceRefOf(importId));
        var runner = scope.ServiceProvider.GetRequiredService<ImportRunner>();
        runner.StaleThreshold = settings.StaleAfter;
        await runner.RunAsync(importId, ct);
    }
}

[DisallowConcurrentExecution]
public sealed class RollbackImportJob(IServiceScopeFactory scopes, JobSettings settings) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        var importId = context.MergedJobDataMap.GetLong("importId");
        var workspaceId = context.MergedJobDataMap.GetLong("workspaceId");
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(workspaceId, ChangeSource.Import, $"rollback:import:{importId}");
        var runner = scope.ServiceProvider.GetRequiredService<RollbackRunner>();
        runner.StaleThreshold = settings.StaleAfter;
        await runner.RunAsync(importId, ct);
    }
}

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

/// <summary>Configuration section "Jobs".</summary>
public sealed class JobSettings
{
    public const string Section = "Jobs";
    /// <summary>How long an import's heartbeat may be silent before it is resumed elsewhere.</summary>
    public TimeSpan StaleAfter { get; set; } = ImportRunner.StaleAfter;
    public TimeSpan WatchdogInterval { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How often expired export files are deleted and stalled exports queued again.</summary>
    public TimeSpan ExportHousekeepingInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>How often expired uploads are looked for.</summary>
    public TimeSpan DraftHousekeepingInterval { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>When every workspace is scanned for duplicates (Quartz cron, server time): 03:00 every night.</summary>
    public string DuplicateScanCron { get; set; } = "0 0 3 * * ?";
    /// <summary>Off in tools that only use the database (benchmarks); on in the app.</summary>
    public bool Enabled { get; set; } = true;
}

public sealed class QuartzImportScheduler(ISchedulerFactory factory) : IImportScheduler
{
    public Task ScheduleRunAsync(long importId, long workspaceId, CancellationToken ct = default) =>
        ScheduleAsync<RunImportJob>($"import-{importId}", importId, workspaceId, ct);

    public Task ScheduleRollbackAsync(long importId, long workspaceId, CancellationToken ct = default) =>
        ScheduleAsync<RollbackImportJob>($"rollback-{importId}", importId, workspaceId, ct);

    private Task ScheduleAsync<TJob>(string name, long importId, long workspaceId, CancellationToken ct) where TJob : IJob =>
        factory.RunNowAsync<TJob>(name, "imports", ct, ("importId", importId), ("workspaceId", workspaceId));
}

internal static class OneOffJobs
{
    /// <summary>
    /// A job that runs once, now, from the persistent store: recovered (run again) when the app dies during it, and
    /// replacing a job of the same name that has not run yet, so asking twice runs it once.
    /// </summary>
    public static async Task RunNowAsync<TJob>(this ISchedulerFactory factory, string name, string group, CancellationToken ct, params (string Key, long Value)[] data)
        where TJob : IJob
    {
        var scheduler = await factory.GetScheduler(ct);
        var builder = JobBuilder.Create<TJob>().WithIdentity(name, group).RequestRecovery();
        foreach (var (key, value) in data) builder = builder.UsingJobData(key, value);
        var trigger = TriggerBuilder.Create().WithIdentity($"{name}-{Guid.NewGuid():N}", group).StartNow().Build();
        await scheduler.ScheduleJob(builder.Build(), [trigger], new ScheduleJobOptions { Replace = true }, ct);
    }
}

/// <summary>Runs (or runs again, after a crash) one export.</summary>
[DisallowConcurrentExecution]
public sealed class RunExportJob(IServiceScopeFactory scopes, JobSettings settings) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        var exportId = context.MergedJobDataMap.GetLong("exportId");
        var workspaceId = context.MergedJobDataMap.GetLong("workspaceId");
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(workspaceId, ChangeSource.System, $"export:{exportId}");
        var runner = scope.ServiceProvider.GetRequiredService<Crm.Core.Exports.ExportRunner>();
        runner.StaleThreshold = settings.StaleAfter;
        await runner.RunAsync(exportId, ct);
    }
}

/// <summary>
/// Every minute: deletes the files of expired exports and marks them expired, and queues again exports whose runner
/// stopped answering or that were never picked up.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ExportHousekeepingJob(Crm.Infrastructure.Persistence.CrmDatabase database, Crm.Core.Imports.IFileStore files,
    Crm.Core.Exports.IExportScheduler scheduler, JobSettings settings, TimeProvider time) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default) =>
        await ExportHousekeeping.RunAsync(database, files, scheduler, settings.StaleAfter, time.GetUtcNow(), ct);
}

public static class ExportHousekeeping
{
    /// <returns>How many exports expired now.</returns>
    public static async Task<int> RunAsync(Crm.Infrastructure.Persistence.CrmDatabase database, Crm.Core.Imports.IFileStore files,
        Crm.Core.Exports.IExportScheduler scheduler, TimeSpan staleAfter, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = database.Create(Actor.Anonymous);
        var due = await db.ExportJobs.IgnoreQueryFilters().Where(j => j.Status == Crm.Core.Exports.ExportStatus.Completed && j.ExpiresAt != null && j.ExpiresAt < now)
            .Select(j => new { j.Id, j.FileKey }).ToListAsync(ct);
        foreach (var job in due)
        {
            if (job.FileKey is not null) await files.DeleteAsync(job.FileKey, ct);
            await db.ExportJobs.IgnoreQueryFilters().Where(j => j.Id == job.Id && j.Status == Crm.Core.Exports.ExportStatus.Completed)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, Crm.Core.Exports.ExportStatus.Expired).SetProperty(j => j.FileKey, (string?)null).SetProperty(j => j.UpdatedAt, now), ct);
        }

        var stale = now - staleAfter;
        var stalled = await db.ExportJobs.IgnoreQueryFilters()
            .Where(j => j.Status == Crm.Core.Exports.ExportStatus.Pending && j.UpdatedAt < stale
                        || j.Status == Crm.Core.Exports.ExportStatus.Processing && (j.HeartbeatAt == null || j.HeartbeatAt < stale))
            .Select(j => new { j.Id, j.WorkspaceId }).ToListAsync(ct);
        foreach (var job in stalled) await scheduler.ScheduleAsync(job.Id, job.WorkspaceId, ct);
        return due.Count;
    }
}

public sealed class QuartzExportScheduler(ISchedulerFactory factory) : Crm.Core.Exports.IExportScheduler
{
    public Task ScheduleAsync(long exportId, long workspaceId, CancellationToken ct = default) =>
        factory.RunNowAsync<RunExportJob>($"export-{exportId}", "exports", ct, ("exportId", exportId), ("workspaceId", workspaceId));
}

/// <summary>Scans one workspace for duplicate contacts and accounts.</summary>
[DisallowConcurrentExecution]
public sealed class DuplicateScanJob(IServiceScopeFactory scopes) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        var workspaceId = context.MergedJobDataMap.GetLong("workspaceId");
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(workspaceId, ChangeSource.System, "duplicate-scan");
        await scope.ServiceProvider.GetRequiredService<Crm.Core.Duplicates.DuplicateScanner>().RunAsync(ct);
    }
}

/// <summary>Every night: a duplicate scan of every workspace.</summary>
[DisallowConcurrentExecution]
public sealed class NightlyDuplicateScanJob(Crm.Infrastructure.Persistence.CrmDatabase database, Crm.Core.Duplicates.IDuplicateScheduler scheduler) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        await using var db = database.Create(Actor.Anonymous);
        foreach (var workspaceId in await db.Workspaces.IgnoreQueryFilters().Select(w => w.Id).ToListAsync(ct))
            await scheduler.ScheduleScanAsync(workspaceId, ct);
    }
}

public sealed class QuartzDuplicateScheduler(ISchedulerFactory factory) : Crm.Core.Duplicates.IDuplicateScheduler
{
    public Task ScheduleScanAsync(long workspaceId, CancellationToken ct = default) =>
        factory.RunNowAsync<DuplicateScanJob>($"duplicate-scan-{workspaceId}", "duplicates", ct, ("workspaceId", workspaceId));
}
