using System.Globalization;
using System.Text.Json;
using Crm.Core.Runs;
using Microsoft.Extensions.Logging;

namespace Crm.Core.Duplicates;

/// <summary>A duplicate scan as a run: claimed, beating through its steps, finished with what it found.</summary>
public sealed partial class DuplicateScanRun(IRunService runs, DuplicateScanner scanner, TimeProvider time, ILogger<DuplicateScanRun> logger) : IRunHandler
{
    public async Task ExecuteAsync(Run run, CancellationToken ct)
    {
        var beat = new RunBeat(runs, run.Id, Guid.NewGuid().ToString("N"), time);
        if (await runs.ClaimAsync(run.Id, beat.RunnerId, ct) is null) return;
        try
        {
            var result = await scanner.RunAsync(ct, stage => beat.BeatAsync(new RunProgress(stage, 0), ct));
            var pairs = result.ContactPairs + result.AccountPairs;
            var summary = string.Create(CultureInfo.InvariantCulture,
                $"{result.ContactPairs:N0} contact and {result.AccountPairs:N0} account pairs; {result.Queued:N0} new in the queue, {result.AutoMerged:N0} merged; {result.Duration.TotalMilliseconds:N0} ms");
            await runs.FinishAsync(run.Id, beat.RunnerId, new RunOutcome(RunStatus.Succeeded, summary, new RunProgress("Done", pairs), JsonSerializer.Serialize(result)), CancellationToken.None);
        }
        catch (RunTakenOverException)
        {
            // Another runner scans now; its result is the one that counts.
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await runs.ReleaseAsync(run.Id, beat.RunnerId, null, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogFailed(e, run.WorkspaceId);
            await runs.FinishAsync(run.Id, beat.RunnerId, new RunOutcome(RunStatus.Failed, "The scan stopped on an unexpected error; the next scan starts afresh."), CancellationToken.None);
            throw;
        }
    }

    /// <summary>What a finished scan run found, as the scanner reported it.</summary>
    public static ScanResult? ResultOf(Run run) => run is { Status: RunStatus.Succeeded, Result: { } json } ? JsonSerializer.Deserialize<ScanResult>(json) : null;

    [LoggerMessage(Level = LogLevel.Error, Message = "Duplicate scan of workspace {WorkspaceId} failed")]
    private partial void LogFailed(Exception exception, long workspaceId);
}
