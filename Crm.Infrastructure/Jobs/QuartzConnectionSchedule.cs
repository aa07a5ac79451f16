using Crm.Core.Integrations.Connections;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Crm.Infrastructure.Jobs;

/// <summary>
/// Each connection's sync as its own durable Quartz job ("connection-&lt;id&gt;", one run at a time per connection, also
/// across clustered instances) with its own recurring trigger at the connection's interval. Without a scheduler in
/// this process (tools that only use the database), there is nothing to schedule.
/// </summary>
public sealed class QuartzConnectionSchedule(IServiceProvider services) : IConnectionSchedule
{
    private const string Group = "connections";

    private static JobKey JobOf(long integrationId) => new($"connection-{integrationId}", Group);
    private static TriggerKey TriggerOf(long integrationId) => new($"connection-{integrationId}-every", Group);
    private static TriggerKey NightlyOf(long integrationId) => new($"connection-{integrationId}-nightly", Group);

    private async Task<IScheduler?> SchedulerAsync(CancellationToken ct) =>
        services.GetService<ISchedulerFactory>() is { } factory ? await factory.GetScheduler(ct) : null;

    public async Task ScheduleAsync(IntegrationView connection, CancellationToken ct = default)
    {
        if (await SchedulerAsync(ct) is not { } scheduler) return;
        if (connection is not { IsActive: true, PausedAt: null, Status: ConnectionStatus.Connected or ConnectionStatus.Syncing or ConnectionStatus.Error })
        {
            await scheduler.UnscheduleJobs([TriggerOf(connection.Id), NightlyOf(connection.Id)], ct);
            return;
        }
        var job = JobBuilder.Create<ConnectionSyncJob>().WithIdentity(JobOf(connection.Id)).StoreDurably().RequestRecovery()
            .UsingJobData("integrationId", connection.Id).UsingJobData("workspaceId", connection.WorkspaceId).Build();
        await scheduler.AddJob(job, AddJobOptions.Replacing, ct);
        var every = TimeSpan.FromMinutes(Math.Clamp(connection.SyncIntervalMinutes, 1, 24 * 60));
        var trigger = TriggerBuilder.Create().WithIdentity(TriggerOf(connection.Id)).ForJob(job)
            .StartAt(DateTimeOffset.UtcNow.AddSeconds(5))
            .WithSimpleSchedule(s => s.WithInterval(every).RepeatForever()).Build();
        if (await scheduler.Exists(trigger.Key, ct)) await scheduler.RescheduleJob(trigger.Key, trigger, ct);
        else await scheduler.ScheduleJob(trigger, ScheduleJobOptions.Replacing, ct);
        // A CRM sync is also compared with the other side in full each night (the seed's Q2), and a mailbox checked for
        // completeness (every message in the window logged or skipped by a rule), spread over 02:00–02:59 UTC.
        if (connection.Type is IntegrationType.CrmSync or IntegrationType.Email && !await scheduler.Exists(NightlyOf(connection.Id), ct))
            await scheduler.ScheduleJob(TriggerBuilder.Create().WithIdentity(NightlyOf(connection.Id)).ForJob(job)
                .WithCronSchedule($"0 {connection.Id % 60} 2 * * ?", c => c.InTimeZone(TimeZoneInfo.Utc)).Build(),
                ScheduleJobOptions.Replacing, ct);
    }

    /// <summary>When the connection's next full comparison is due; null when it has none.</summary>
    public async Task<DateTimeOffset?> NextReconcileAsync(long integrationId, CancellationToken ct = default)
    {
        if (await SchedulerAsync(ct) is not { } scheduler) return null;
        return (await scheduler.GetTrigger(NightlyOf(integrationId), ct))?.NextFireTimeUtc;
    }

    public async Task StopAsync(long integrationId, CancellationToken ct = default)
    {
        if (await SchedulerAsync(ct) is not { } scheduler) return;
        await scheduler.UnscheduleJobs([TriggerOf(integrationId), NightlyOf(integrationId)], ct);
    }

    public async Task RunNowAsync(long workspaceId, long integrationId, CancellationToken ct = default)
    {
        if (await SchedulerAsync(ct) is not { } scheduler) return;
        var job = JobBuilder.Create<ConnectionSyncJob>().WithIdentity(JobOf(integrationId)).StoreDurably().RequestRecovery()
            .UsingJobData("integrationId", integrationId).UsingJobData("workspaceId", workspaceId).Build();
        if (!await scheduler.Exists(job.Key, ct)) await scheduler.AddJob(job, default, ct);
        // One run at a time per connection: a second "now" while one runs waits for it, as the job disallows concurrency.
        await scheduler.TriggerJob(job.Key, null, ct);
    }

    public async Task<DateTimeOffset?> NextRunAsync(long integrationId, CancellationToken ct = default)
    {
        if (await SchedulerAsync(ct) is not { } scheduler) return null;
        return (await scheduler.GetTrigger(TriggerOf(integrationId), ct))?.NextFireTimeUtc;
    }
}
