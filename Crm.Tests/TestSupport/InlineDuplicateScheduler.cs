using Crm.Core.Common;
using Crm.Core.Duplicates;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.TestSupport;

/// <summary>Keeps the scans the app would hand to Quartz, and runs them when the test says so.</summary>
public sealed class InlineDuplicateScheduler(IServiceScopeFactory scopes) : IDuplicateScheduler
{
    private readonly Queue<long> _queue = new();

    public Task ScheduleScanAsync(long workspaceId, CancellationToken ct = default)
    {
        _queue.Enqueue(workspaceId);
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<ScanResult>> RunAllAsync(CancellationToken ct = default)
    {
        var results = new List<ScanResult>();
        while (_queue.TryDequeue(out var workspaceId))
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(workspaceId, ChangeSource.System, "duplicate-scan");
            results.Add(await scope.ServiceProvider.GetRequiredService<DuplicateScanner>().RunAsync(ct));
        }
        return results;
    }
}
