using Crm.Web.Components.Shared;

namespace Crm.Tests.Web.Components;

/// <summary>The one way pages follow long work: read while active, call back only on a change, stop at the end or when the page goes.</summary>
public sealed class RunWatchTests
{
    private sealed record State(string Status, int Processed)
    {
        public bool Active => Status is "queued" or "running";
    }

    [Fact]
    public async Task AnActiveRun_IsFollowed_WithACallbackForEachChange_UntilItEnds()
    {
        var states = new Queue<State>([new("running", 10), new("running", 10), new("running", 20), new("completed", 30), new("completed", 30)]);
        var reads = 0;
        var seen = new List<State>();
        var ended = new TaskCompletionSource();
        await using var watch = new RunWatch<State>(_ => { reads++; return Task.FromResult(states.Count > 1 ? states.Dequeue() : states.Peek()); },
            s => s.Active, s => s, s => { seen.Add(s); if (!s.Active) ended.TrySetResult(); return Task.CompletedTask; }, TimeSpan.FromMilliseconds(10));

        watch.Follow(new State("running", 0));
        await ended.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await Task.Delay(100, TestContext.Current.CancellationToken);

        Assert.Equal([new("running", 10), new("running", 20), new("completed", 30)], seen);
        Assert.Equal(4, reads); // it stopped reading once the run ended
    }

    [Fact]
    public async Task AFinishedRun_IsNotFollowed()
    {
        var reads = 0;
        await using var watch = new RunWatch<State>(_ => { reads++; return Task.FromResult(new State("completed", 1)); },
            s => s.Active, s => s, _ => Task.CompletedTask, TimeSpan.FromMilliseconds(10));

        watch.Follow(new State("completed", 1));
        await Task.Delay(100, TestContext.Current.CancellationToken);

        Assert.Equal(0, reads);
    }

    [Fact]
    public async Task LeavingThePage_StopsTheWatch()
    {
        var reads = 0;
        var watch = new RunWatch<State>(_ => { reads++; return Task.FromResult(new State("running", reads)); },
            s => s.Active, s => s, _ => Task.CompletedTask, TimeSpan.FromMilliseconds(10));
        watch.Follow(new State("running", 0));
        await Task.Delay(100, TestContext.Current.CancellationToken);

        await watch.DisposeAsync();
        var afterDispose = reads;
        await Task.Delay(100, TestContext.Current.CancellationToken);

        Assert.Equal(afterDispose, reads);
        Assert.True(afterDispose > 0);
    }
}
