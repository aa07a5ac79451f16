using Crm.Core.Duplicates;
using Crm.Core.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.TestSupport;

/// <summary>Keeps the runs the app would hand to Quartz, and runs them (through the app's own executor) when the test says so.</summary>
public sealed class InlineRunQueue(IServiceProvider services) : IRunQueue
{
    private readonly List<(long RunId, RunKind Kind)> _queue = [];
    private readonly Lock _lock = new();

    public Task EnqueueAsync(Run run, CancellationToken ct = default)
    {
        lock (_lock)
            if (!_queue.Exists(q => q.RunId == run.Id)) _queue.Add((run.Id, run.Kind));
        return Task.CompletedTask;
    }

    public int Pending(RunKind kind)
    {
        lock (_lock) return _queue.Count(q => q.Kind == kind);
    }

    /// <summary>Runs every queued run of this kind, in order, including those queued while they run; returns their ids.</summary>
    public Task<IReadOnlyList<long>> RunAllAsync(RunKind kind, CancellationToken ct = default) => RunAllAsync([kind], ct);

    /// <summary>As <see cref="RunAllAsync(RunKind, CancellationToken)"/> for several kinds, in the order they were queued.</summary>
    public async Task<IReadOnlyList<long>> RunAllAsync(IReadOnlyCollection<RunKind> kinds, CancellationToken ct = default, Action<IRunHandler>? configure = null)
    {
        var ran = new List<long>();
        while (true)
        {
            long runId;
            lock (_lock)
            {
                var index = _queue.FindIndex(q => kinds.Contains(q.Kind));
                if (index < 0) return ran;
                runId = _queue[index].RunId;
                _queue.RemoveAt(index);
            }
            await services.GetRequiredService<RunExecutor>().ExecuteAsync(runId, ct, configure);
            ran.Add(runId);
        }
    }
}

/// <summary>The queued imports and rollbacks of a test host.</summary>
public sealed class InlineImports(InlineRunQueue queue, IRunService runs)
{
    public int Pending => queue.Pending(RunKind.Import) + queue.Pending(RunKind.ImportRollback);

    /// <summary>What the rescue job does for an import whose runner stopped: hands its run out again.</summary>
    public Task ScheduleRunAsync(long importId, long workspaceId, CancellationToken ct = default) =>
        runs.QueueAsync(new RunRequest(RunKind.Import, workspaceId, importId, null), ct);

    public Task RunAllAsync(Action<Crm.Core.Imports.ImportRunner>? configure = null, CancellationToken ct = default) =>
        queue.RunAllAsync([RunKind.Import, RunKind.ImportRollback], ct, handler =>
        {
            if (handler is Crm.Core.Imports.ImportRunner runner) configure?.Invoke(runner);
        });
}

/// <summary>The queued exports of a test host.</summary>
public sealed class InlineExports(InlineRunQueue queue)
{
    public int Pending => queue.Pending(RunKind.Export);

    public Task RunAllAsync(CancellationToken ct = default) => queue.RunAllAsync(RunKind.Export, ct);
}

/// <summary>The queued duplicate scans of a test host.</summary>
public sealed class InlineScans(InlineRunQueue queue, IRunService runs)
{
    public Task ScheduleScanAsync(long workspaceId, CancellationToken ct = default) =>
        runs.QueueAsync(new RunRequest(RunKind.DuplicateScan, workspaceId, 0, null), ct);

    /// <summary>Runs the queued scans; what each finished scan found.</summary>
    public async Task<IReadOnlyList<ScanResult>> RunAllAsync(CancellationToken ct = default)
    {
        var results = new List<ScanResult>();
        foreach (var runId in await queue.RunAllAsync(RunKind.DuplicateScan, ct))
            if (await runs.GetAsync(runId, ct) is { } run && DuplicateScanRun.ResultOf(run) is { } result) results.Add(result);
        return results;
    }
}
