using Crm.Core.Runs;
using Crm.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Web.Jobs;

/// <summary>The app's run queue (Quartz, persistent store): a run asked for now runs now, one asked for later waits for its time.</summary>
public class RunQueueTests : IAsyncLifetime
{
    private readonly CrmWebFactory _factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private Task<Run> RunAsync(long runId) => RunWaiter.UntilAsync(
        async ct => (await _factory.Services.GetRequiredService<IRunService>().GetAsync(runId, ct))!, r => !r.IsActive, what: $"run {runId}");

    [Fact]
    public async Task ARunQueuedForLater_StartsNoEarlierThanItsTime_AndARunQueuedNow_RunsAtOnce()
    {
        var runs = _factory.Services.GetRequiredService<IRunService>();
        var workspace = _factory.FirstWorkspaceId;
        var at = DateTimeOffset.UtcNow.AddSeconds(4);

        var later = await runs.QueueAsync(new RunRequest(RunKind.DuplicateScan, workspace, 0, null, NotBefore: at), TestContext.Current.CancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
        Assert.Equal(RunStatus.Queued, (await runs.GetAsync(later.Id, TestContext.Current.CancellationToken))!.Status);

        var done = await RunAsync(later.Id);
        Assert.Equal(RunStatus.Succeeded, done.Status);
        Assert.True(done.StartedAt >= at.AddMilliseconds(-50), $"started {done.StartedAt:O}, asked for {at:O}");

        var now = await runs.QueueAsync(new RunRequest(RunKind.DuplicateScan, workspace, 0, null), TestContext.Current.CancellationToken);
        Assert.NotEqual(later.Id, now.Id);
        Assert.Equal(RunStatus.Succeeded, (await RunAsync(now.Id)).Status);
    }
}
