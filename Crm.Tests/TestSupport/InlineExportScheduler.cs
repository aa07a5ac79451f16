using Crm.Core.Common;
using Crm.Core.Exports;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.TestSupport;

/// <summary>Keeps the exports the app would hand to Quartz, and runs them when the test says so (a scope, an explicit actor).</summary>
public sealed class InlineExportScheduler(IServiceScopeFactory scopes) : IExportScheduler
{
    private readonly Queue<(long ExportId, long WorkspaceId)> _queue = new();

    public int Pending => _queue.Count;

    public Task ScheduleAsync(long exportId, long workspaceId, CancellationToken ct = default)
    {
        _queue.Enqueue((exportId, workspaceId));
        return Task.CompletedTask;
    }

    public async Task RunAllAsync(CancellationToken ct = default)
    {
        while (_queue.TryDequeue(out var work))
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(work.WorkspaceId, ChangeSource.System, $"export:{work.ExportId}");
            await scope.ServiceProvider.GetRequiredService<ExportRunner>().RunAsync(work.ExportId, ct);
        }
    }
}
