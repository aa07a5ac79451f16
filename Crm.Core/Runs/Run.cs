using Crm.Core.Common;

namespace Crm.Core.Runs;

/// <summary>What a run does. Each kind has one <see cref="IRunHandler"/>; a new kind of long work adds a value and a handler.</summary>
public enum RunKind
{
    Import = 0,
    ImportRollback = 1,
    Export = 2,
    DuplicateScan = 3,
}

public enum RunStatus
{
    /// <summary>Waiting for a worker (now, or at <see cref="Run.NotBefore"/>).</summary>
    Queued = 0,
    Running = 1,
    Succeeded = 2,
    Failed = 3,
    Cancelled = 4,
}

/// <summary>
/// One piece of long work in the background — an import, a rollback, an export, a duplicate scan, later a sync — and
/// where it stands. Only <see cref="RunService"/> writes it: its claim (one runner at a time), heartbeat, stage,
/// progress, attempts and outcome. What the work produced stays with its subject (the import's counts, the export's
/// file); the run says who runs it, how far it is and whether it is alive.
/// </summary>
public sealed class Run : Entity, IWorkspaceOwned
{
    public long WorkspaceId { get; set; }
    public RunKind Kind { get; set; }
    /// <summary>What it works on: the import or export id; 0 for work on the whole workspace (a scan).</summary>
    public long SubjectId { get; set; }
    public RunStatus Status { get; set; }
    /// <summary>The step it is at, in the words of its kind (e.g. "Writing", "DeleteCreated").</summary>
    public string? Stage { get; set; }
    public long Done { get; set; }
    public long? Total { get; set; }

    /// <summary>Written by its runner while it works; a run whose heartbeat stopped is taken over by the rescue job.</summary>
    public DateTimeOffset? HeartbeatAt { get; set; }
    public string? RunnerId { get; set; }
    /// <summary>Times a runner took it (a rescue after a crash is one more).</summary>
    public int Attempts { get; set; }
    /// <summary>Attempts that stopped on an error; the rescue job gives up after <see cref="RunService.MaxFailures"/>.</summary>
    public int Failures { get; set; }
    public string? LastError { get; set; }

    public long? RequestedByUserId { get; set; }
    public DateTimeOffset QueuedAt { get; set; }
    /// <summary>A scheduled run starts no earlier than this.</summary>
    public DateTimeOffset? NotBefore { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>What it did, in a sentence, once finished.</summary>
    public string? Summary { get; set; }
    /// <summary>What it did, as its kind reports it (JSON: a scan's pairs, a sync's counts), for programs.</summary>
    public string? Result { get; set; }

    public bool IsActive => Status is RunStatus.Queued or RunStatus.Running;
}
