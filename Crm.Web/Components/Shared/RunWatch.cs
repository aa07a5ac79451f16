namespace Crm.Web.Components.Shared;

/// <summary>
/// Follows long work (an import, a list of exports, a duplicate scan) for a page: reads its state from the database
/// about once a second while it is active — so it follows runs on any app instance — and calls the page back only
/// when the state changed. The one way pages show live progress; it stops when the work ends or the page goes.
/// </summary>
public sealed class RunWatch<T> : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<T>> _read;
    private readonly Func<T, bool> _active;
    private readonly Func<T, object?> _stamp;
    private readonly Func<T, Task> _changed;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private Task? _loop;
    private object? _last;

    /// <param name="read">Reads the current state (a use case call).</param>
    /// <param name="active">Whether the state is still moving (queued, running).</param>
    /// <param name="stamp">What tells two states apart (a record compares by value; a list by what it shows).</param>
    /// <param name="changed">Called (on the page's synchronization context, through InvokeAsync) with a new state.</param>
    public RunWatch(Func<CancellationToken, Task<T>> read, Func<T, bool> active, Func<T, object?> stamp, Func<T, Task> changed, TimeSpan? interval = null)
    {
        _read = read;
        _active = active;
        _stamp = stamp;
        _changed = changed;
        _interval = interval ?? TimeSpan.FromSeconds(1);
    }

    /// <summary>Follows from this state on, if it is active; does nothing when it is not (call again after starting work).</summary>
    public void Follow(T current)
    {
        lock (_gate)
        {
            _last = _stamp(current);
            if (!_active(current) || _loop is { IsCompleted: false } || _stop.IsCancellationRequested) return;
            _loop = Task.Run(() => LoopAsync(_stop.Token));
        }
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                T state;
                try
                {
                    state = await _read(ct);
                }
                catch (Exception e) when (e is not OperationCanceledException && Feedback.Message(e) is not null)
                {
                    return; // gone or forbidden now: the next page load says so
                }
                var stamp = _stamp(state);
                if (!Equals(stamp, _last))
                {
                    _last = stamp;
                    await _changed(state);
                }
                if (!_active(state)) return;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
            // The page's circuit went away while a callback was on its way.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
