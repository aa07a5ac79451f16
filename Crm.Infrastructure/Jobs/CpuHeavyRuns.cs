using Quartz;

namespace Crm.Infrastructure.Jobs;

/// <summary>
/// How many CPU-heavy runs (imports, rollbacks, exports, duplicate scans) may work at once. A job that finds no free
/// slot does not hold a scheduler thread waiting: it is fired again a few seconds later, so however many runs are
/// queued, the scheduler's other threads stay free for short and I/O-bound work.
/// </summary>
public sealed class CpuHeavyRuns(int slots) : IDisposable
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(3);
    private readonly SemaphoreSlim _slots = new(slots, slots);

    public int Free => _slots.CurrentCount;

    /// <summary>A slot (dispose it to give it back), or null when none is free and the job was scheduled to fire again.</summary>
    public async Task<IDisposable?> EnterOrPostponeAsync(IJobExecutionContext context, CancellationToken ct)
    {
        if (await _slots.WaitAsync(0, ct)) return new Slot(_slots);
        var again = TriggerBuilder.Create().ForJob(context.JobDetail.Key).StartAt(DateTimeOffset.UtcNow + RetryAfter).Build();
        await context.Scheduler.ScheduleJob(context.JobDetail, [again], new ScheduleJobOptions { Replace = true }, ct);
        return null;
    }

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
