using System.Security.Cryptography;
using System.Text;
using Crm.Core.Imports;
using Crm.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace Crm.Infrastructure.Jobs;

public static class JobsSetup
{
    /// <summary>
    /// Quartz with a persistent job store in the CRM's own database (its QRTZ_ tables are provisioned at start), so
    /// queued and interrupted work survives restarts. SQL Server runs clustered; SQLite cannot.
    /// </summary>
    public static IHostApplicationBuilder AddCrmJobs(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(JobSettings.Section).Get<JobSettings>() ?? new JobSettings();
        settings.Validate();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(new CpuHeavyRuns(settings.CpuHeavyRuns));
        builder.Services.AddSingleton<Crm.Core.Runs.IRunQueue, QuartzRunQueue>();
        if (!settings.Enabled) return builder;

        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = DependencyInjection.ConnectionStringOf(options, builder.Environment.ContentRootPath);
        builder.Services.AddQuartz(q =>
        {
            // One scheduler name per database: instances sharing a database form one cluster, tests with their own files do not collide.
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = "crm-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(connectionString)))[..12];
                s.GenerateInstanceId = true;
            });
            q.UsePersistentStore(store =>
            {
                if (options.Provider == DatabaseProvider.Sqlite)
                {
                    store.UseSqlite(connectionString);
                }
                else
                {
                    store.UseSqlServer(connectionString);
                    store.UseClustering(c => c.CheckinInterval = TimeSpan.FromSeconds(10));
                }
                store.ProvisionSchema();
            });
            q.UseDefaultThreadPool(pool => pool.MaxConcurrency = settings.Threads);
            q.ScheduleJob<RunRescueJob>(t => t.WithIdentity("run-rescue", "system")
                .StartAt(DateTimeOffset.UtcNow.AddSeconds(5))
                .WithSimpleSchedule(s => s.WithInterval(settings.WatchdogInterval).RepeatForever()));
            q.ScheduleJob<ExportExpiryJob>(t => t.WithIdentity("export-expiry", "system")
                .StartAt(DateTimeOffset.UtcNow.AddSeconds(10))
                .WithSimpleSchedule(s => s.WithInterval(settings.ExportHousekeepingInterval).RepeatForever()));
            q.ScheduleJob<ImportDraftHousekeepingJob>(t => t.WithIdentity("import-draft-housekeeping", "system")
                .StartAt(DateTimeOffset.UtcNow.AddSeconds(20))
                .WithSimpleSchedule(s => s.WithInterval(settings.DraftHousekeepingInterval).RepeatForever()));
            q.ScheduleJob<TokenRefreshJob>(t => t.WithIdentity("token-refresh", "system")
                .StartAt(DateTimeOffset.UtcNow.AddSeconds(15))
                .WithSimpleSchedule(s => s.WithInterval(settings.TokenRefreshInterval).RepeatForever()));
            q.ScheduleJob<WebhookInboxJob>(t => t.WithIdentity("webhook-inbox", "system")
                .StartAt(DateTimeOffset.UtcNow.AddSeconds(10))
                .WithSimpleSchedule(s => s.WithInterval(settings.WebhookInboxInterval).RepeatForever()));
            q.ScheduleJob<SyncRescueJob>(t => t.WithIdentity("sync-rescue", "system")
                .StartAt(DateTimeOffset.UtcNow.AddSeconds(25))
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(5)).RepeatForever()));
            q.ScheduleJob<NightlyDuplicateScanJob>(t => t.WithIdentity("duplicate-nightly", "system")
                .WithCronSchedule(settings.DuplicateScanCron));
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return builder;
    }
}
