using Crm.Core.Common;
using Crm.Core.Imports;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.TestSupport;

/// <summary>Keeps what the app would hand to Quartz, and runs it when the test says so (as the jobs do: a scope, an explicit actor).</summary>
public sealed class InlineImportScheduler(IServiceScopeFactory scopes) : IImportScheduler
{
    private readonly Queue<(bool Rollback, long ImportId, long WorkspaceId)> _queue = new();

    public int Pending => _queue.Count;

    public Task ScheduleRunAsync(long importId, long workspaceId, CancellationToken ct = default)
    {
        _queue.Enqueue((false, importId, workspaceId));
        return Task.CompletedTask;
    }

    public Task ScheduleRollbackAsync(long importId, long workspaceId, CancellationToken ct = default)
    {
        _queue.Enqueue((true, importId, workspaceId));
        return Task.CompletedTask;
    }

    public async Task RunAllAsync(Action<ImportRunner>? configure = null, CancellationToken ct = default)
    {
        while (_queue.TryDequeue(out var work))
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(work.WorkspaceId, ChangeSource.Import, $"import:{work.ImportId}");
            if (work.Rollback)
            {
                await scope.ServiceProvider.GetRequiredService<RollbackRunner>().RunAsync(work.ImportId, ct);
            }
            else
            {
                var runner = scope.ServiceProvider.GetRequiredService<ImportRunner>();
                configure?.Invoke(runner);
                await runner.RunAsync(work.ImportId, ct);
            }
        }
    }
}
