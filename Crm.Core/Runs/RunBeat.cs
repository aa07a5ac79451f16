namespace Crm.Core.Runs;

/// <summary>
/// A runner's heartbeat, written at most every few seconds however often the work reports (and at once when the
/// stage changes), so a million-row run does not pay a write per row. Throws <see cref="RunTakenOverException"/> when
/// the run is no longer this runner's.
/// </summary>
public sealed class RunBeat(IRunService runs, long runId, string runnerId, TimeProvider time, TimeSpan? every = null)
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);
    private long _last = long.MinValue;
    private string? _stage;

    public string RunnerId => runnerId;

    /// <param name="force">Write now whatever the interval (before a step that must still be this runner's).</param>
    public async Task BeatAsync(RunProgress progress, CancellationToken ct, bool force = false)
    {
        if (!force && _last != long.MinValue && progress.Stage == _stage && time.GetElapsedTime(_last) < (every ?? Every)) return;
        _last = time.GetTimestamp();
        _stage = progress.Stage;
        if (!await runs.BeatAsync(runId, runnerId, progress, ct)) throw new RunTakenOverException(runId);
    }
}
