using Crm.Core.Common;

namespace Crm.Tests.Core.Common;

public class DatabaseRetryTests
{
    private sealed class Busy : Exception;

    private sealed class BusyIsTransient : ITransientFailures
    {
        public bool IsTransient(Exception exception) => exception is Busy || exception.InnerException is Busy;
    }

    private static DatabaseRetry Retry() => new(new BusyIsTransient(), TimeProvider.System) { FirstPause = TimeSpan.FromMilliseconds(1) };

    [Fact]
    public async Task RunAsync_OnATransientError_TriesTheWorkAgain_UntilItSucceeds()
    {
        var attempts = 0;

        var result = await Retry().RunAsync(_ => ++attempts < 3 ? throw new InvalidOperationException("wrapped", new Busy()) : Task.FromResult("done"), TestContext.Current.CancellationToken);

        Assert.Equal(("done", 3), (result, attempts));
    }

    [Fact]
    public async Task RunAsync_OnAnotherError_DoesNotTryAgain()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(() => Retry().RunAsync(_ => { attempts++; throw new InvalidOperationException("a bug"); }, TestContext.Current.CancellationToken));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task RunAsync_GivesUpAfterMaxAttempts_WithTheLastError()
    {
        var attempts = 0;
        var retry = Retry();

        await Assert.ThrowsAsync<Busy>(() => retry.RunAsync(_ => { attempts++; throw new Busy(); }, TestContext.Current.CancellationToken));

        Assert.Equal(retry.MaxAttempts, attempts);
    }

    [Fact]
    public void PauseBefore_Doubles_AndStopsGrowing()
    {
        var retry = new DatabaseRetry(new BusyIsTransient(), TimeProvider.System) { FirstPause = TimeSpan.FromSeconds(1) };

        Assert.InRange(retry.PauseBefore(2).TotalSeconds, 0.8, 1.2);
        Assert.InRange(retry.PauseBefore(3).TotalSeconds, 1.6, 2.4);
        Assert.InRange(retry.PauseBefore(20).TotalSeconds, 12.8, 19.2);
    }
}
