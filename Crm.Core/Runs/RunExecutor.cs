using Crm.Core.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Core.Runs;

/// <summary>
/// Runs one queued run: a scope acting as the run's workspace (<see cref="RunKinds.ActorOf"/>) and the handler of its
/// kind. The background worker and the tests' inline queue both come through here; the handler claims the run, so a
/// run handed out twice is worked once.
/// </summary>
public sealed class RunExecutor(IServiceScopeFactory scopes, IRunService runs)
{
    /// <param name="configure">Adjusts the handler before it runs (tests: smaller batches).</param>
    public async Task ExecuteAsync(long runId, CancellationToken ct, Action<IRunHandler>? configure = null)
    {
        var run = await runs.GetAsync(runId, ct);
        if (run is not { IsActive: true }) return;
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = RunKinds.ActorOf(run);
        var handler = scope.ServiceProvider.GetRequiredKeyedService<IRunHandler>(run.Kind);
        configure?.Invoke(handler);
        await handler.ExecuteAsync(run, ct);
    }
}
