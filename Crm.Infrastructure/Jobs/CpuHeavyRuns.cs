namespace Crm.Infrastructure.Jobs;

/// <summary>
/// How many CPU-heavy runs (imports, rollbacks, exports, duplicate scans) may work at once. Their jobs wait here for
/// a slot, so the scheduler's other threads stay free for short and I/O-bound work.
/// </summary>
public sealed class CpuHeavyRuns(int slots) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(slots, slots);

    public int Free => _slots.CurrentCount;

    /// <summary>Waits for a slot; dispose the result to give it back.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        return new Slot(_slots);
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) slots.Release();
        }
    }
}
