using Quartz;

namespace Crm.Infrastructure.Jobs;

/// <summary>Configuration section "Jobs".</summary>
public sealed class JobSettings
{
    public const string Section = "Jobs";
    /// <summary>How long a run's heartbeat may be silent before it is thought dead and handed out again.</summary>
    public TimeSpan StaleAfter { get; set; } = Crm.Core.Runs.RunLimits.DefaultStaleAfter;
    /// <summary>How often the rescue job looks for runs whose heartbeat stopped or that no worker picked up.</summary>
    public TimeSpan WatchdogInterval { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How often expired export files are deleted.</summary>
    public TimeSpan ExportHousekeepingInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>How often tokens expiring within 5 minutes are looked for and refreshed.</summary>
    public TimeSpan TokenRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>How often the webhook inbox is worked off.</summary>
    public TimeSpan WebhookInboxInterval { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>How often expired uploads are looked for.</summary>
    public TimeSpan DraftHousekeepingInterval { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>When every workspace is scanned for duplicates (Quartz cron, server time): 03:00 every night.</summary>
    public string DuplicateScanCron { get; set; } = "0 0 3 * * ?";
    /// <summary>Off in tools that only use the database (benchmarks); on in the app.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Threads for background work. CPU-heavy runs (imports, rollbacks, exports, scans) take at most
    /// <see cref="CpuHeavyRuns"/> of them at once; the rest stay free for short and waiting work (housekeeping, the
    /// rescue job, and the syncs, token refreshes and webhooks to come), so two long runs never block everything else.
    /// </summary>
    public int Threads { get; set; } = 8;

    /// <summary>CPU-heavy runs at once (one per core on the 2-core machines this is measured on).</summary>
    public int CpuHeavyRuns { get; set; } = 2;

    private static bool IsCron(string expression)
    {
        try
        {
            _ = new CronExpression(expression);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Stops the app at start, naming the key, when a value cannot work.</summary>
    public void Validate()
    {
        foreach (var (key, value) in new[] { (nameof(StaleAfter), StaleAfter), (nameof(WatchdogInterval), WatchdogInterval),
                     (nameof(ExportHousekeepingInterval), ExportHousekeepingInterval), (nameof(DraftHousekeepingInterval), DraftHousekeepingInterval), (nameof(TokenRefreshInterval), TokenRefreshInterval), (nameof(WebhookInboxInterval), WebhookInboxInterval) })
            if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(7))
                throw new SettingsProblem($"{Section}:{key}", $"'{value}' is not a duration between 00:00:00.001 and 7.00:00:00 (hh:mm:ss).");
        if (StaleAfter < TimeSpan.FromSeconds(1))
            throw new SettingsProblem($"{Section}:{nameof(StaleAfter)}", "a runner is thought dead after at least one second of silence.");
        if (!IsCron(DuplicateScanCron))
            throw new SettingsProblem($"{Section}:{nameof(DuplicateScanCron)}", $"'{DuplicateScanCron}' is not a Quartz cron expression (e.g. \"0 0 3 * * ?\" for 03:00 every night).");
        if (CpuHeavyRuns < 1) throw new SettingsProblem($"{Section}:{nameof(CpuHeavyRuns)}", "at least one CPU-heavy run must be able to run.");
        if (Threads < CpuHeavyRuns + 2 || Threads > 64)
            throw new SettingsProblem($"{Section}:{nameof(Threads)}", $"between {CpuHeavyRuns + 2} ({nameof(CpuHeavyRuns)} + 2, so short work always has a thread) and 64.");
    }
}
