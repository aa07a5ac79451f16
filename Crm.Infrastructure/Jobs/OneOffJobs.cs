using Crm.Core.Imports;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Crm.Infrastructure.Jobs;

internal static class OneOffJobs
{
    /// <summary>
    /// A job that runs once, now, from the persistent store: recovered (run again) when the app dies during it, and
    /// replacing a job of the same name that has not run yet, so asking twice runs it once.
    /// </summary>
    public static Task RunNowAsync<TJob>(this ISchedulerFactory factory, string name, string group, CancellationToken ct, params (string Key, long Value)[] data)
        where TJob : IJob => factory.RunAtAsync<TJob>(name, group, null, ct, data);

    /// <summary>As <see cref="RunNowAsync{TJob}"/>, at <paramref name="at"/> (now when null or past).</summary>
    public static async Task RunAtAsync<TJob>(this ISchedulerFactory factory, string name, string group, DateTimeOffset? at, CancellationToken ct, params (string Key, long Value)[] data)
        where TJob : IJob
    {
        var scheduler = await factory.GetScheduler(ct);
        var builder = JobBuilder.Create<TJob>().WithIdentity(name, group).RequestRecovery();
        foreach (var (key, value) in data) builder = builder.UsingJobData(key, value);
        var trigger = TriggerBuilder.Create().WithIdentity($"{name}-{Guid.NewGuid():N}", group);
        trigger = at is { } when && when > DateTimeOffset.UtcNow ? trigger.StartAt(when) : trigger.StartNow();
        await scheduler.ScheduleJob(builder.Build(), [trigger.Build()], new ScheduleJobOptions { Replace = true }, ct);
    }
}
