using Crm.Core.Imports;

namespace Crm.Infrastructure.Jobs;

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
