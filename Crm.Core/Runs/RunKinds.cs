using Crm.Core.Common;

namespace Crm.Core.Runs;

/// <summary>What each kind of run acts as and how it uses the machine; a new kind adds its lines here and a handler.</summary>
public static class RunKinds
{
    /// <summary>Who the work acts as: the run's workspace, through the channel its changes are recorded under.</summary>
    public static Actor ActorOf(Run run) => run.Kind switch
    {
        RunKind.Import or RunKind.ImportRollback => Actor.System(run.WorkspaceId, ChangeSource.Import, Imports.ImportJob.SourceRefOf(run.SubjectId)),
        RunKind.Export => Actor.System(run.WorkspaceId, ChangeSource.System, $"export:{run.SubjectId}"),
        RunKind.DuplicateScan => Actor.System(run.WorkspaceId, ChangeSource.System, "duplicate-scan"),
        _ => throw new ArgumentOutOfRangeException(nameof(run), run.Kind, "Unknown kind of run."),
    };

    /// <summary>
    /// Runs that keep a core busy for minutes (they share <c>Jobs:CpuHeavyRuns</c> slots); runs that mostly wait on the
    /// network (syncs, token refreshes) are not, and never queue behind them.
    /// </summary>
    public static bool IsCpuHeavy(RunKind kind) => kind is RunKind.Import or RunKind.ImportRollback or RunKind.Export or RunKind.DuplicateScan;
}
