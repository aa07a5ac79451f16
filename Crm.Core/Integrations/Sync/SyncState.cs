using Crm.Core.Common;

namespace Crm.Core.Integrations.Sync;

public enum SyncStage
{
    Idle = 0,
    Syncing = 1,
    Failed = 2,
}

/// <summary>
/// Where one connection's sync of one object type stands (the seed's <c>SyncState</c>): the provider's cursor, the last
/// sync, running totals, the stage and when it began (a run stuck "syncing" for 30 minutes is rescued), and the failures
/// in a row. Changed only through <see cref="ISyncStatus"/>.
/// </summary>
public sealed class SyncState : Entity, IWorkspaceOwned
{
    public long WorkspaceId { get; set; }
    public long IntegrationId { get; set; }
    /// <summary>"connection" (the check every run makes), "contacts", "companies", "deals", "messages", "events", …</summary>
    public string ObjectType { get; set; } = "";
    /// <summary>The provider's position: a modified-since time, a history id, a delta link, a sync token.</summary>
    public string? Cursor { get; set; }
    public DateTimeOffset? LastSyncAt { get; set; }
    public SyncStage Stage { get; set; }
    public DateTimeOffset? StageStartedAt { get; set; }
    public long RecordsRead { get; set; }
    public long RecordsWritten { get; set; }
    public int FailuresInARow { get; set; }
    public string? LastError { get; set; }
}

public enum SyncRunOutcome
{
    Running = 0,
    Succeeded = 1,
    /// <summary>Finished, some records failed (listed on the sync health page).</summary>
    PartlyFailed = 2,
    Failed = 3,
    /// <summary>The provider refused the grant: the connection waits for a reconnect.</summary>
    NeedsReconnect = 4,
    /// <summary>Stopped by the rescue after 30 minutes without finishing.</summary>
    Abandoned = 5,
}

/// <summary>One sync run of a connection: when, what it read and wrote each way, conflicts, errors and API calls.</summary>
public sealed class SyncRun : Entity, IWorkspaceOwned
{
    public long WorkspaceId { get; set; }
    public long IntegrationId { get; set; }
    /// <summary>"schedule", "manual", "webhook", "reconnect".</summary>
    public string Trigger { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public SyncRunOutcome Outcome { get; set; }
    /// <summary>Read from the provider, and of those written here (created or updated).</summary>
    public int ReadIn { get; set; }
    public int WrittenIn { get; set; }
    /// <summary>Our changes found, and of those written to the provider.</summary>
    public int ReadOut { get; set; }
    public int WrittenOut { get; set; }
    public int Conflicts { get; set; }
    public int Errors { get; set; }
    public int ApiCalls { get; set; }
    public string? Error { get; set; }
}
