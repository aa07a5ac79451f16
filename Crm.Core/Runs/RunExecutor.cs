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
    public async Task ExecuteAsync(long runId, CancellationToken ct)
    {
        var run = await runs.GetAsync(runId, ct);
        if (run is not { IsActive: true }) return;
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = RunKinds.ActorOf(run);
        await scope.ServiceProvider.GetRequiredKeyedService<IRunHandler>(run.Kind).ExecuteAsync(run, ct);
    }
}
