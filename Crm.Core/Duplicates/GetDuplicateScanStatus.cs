using Crm.Core.Common;
using Crm.Core.Runs;

namespace Crm.Core.Duplicates;

/// <summary>Where the workspace's duplicate scan stands: running (asked for or under way), and the last one finished.</summary>
public sealed record DuplicateScanStatus(bool Running, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, int? Pairs, int? Milliseconds);

public sealed class GetDuplicateScanStatusHandler(ICrmDbFactory dbFactory, IRunService runs, TimeProvider time)
{
    /// <summary>
    /// A scan queued or running this long without a sign of life is not shown as running: the rescue job hands a dead
    /// one out again long before, so this only hides a scan no worker can take.
    /// </summary>
    public static readonly TimeSpan GivenUpAfter = TimeSpan.FromMinutes(30);

    public async Task<DuplicateScanStatus> HandleAsync(CancellationToken ct = default)
    {
        long workspaceId;
        await using (var db = await dbFactory.CreateAsync(ct)) workspaceId = db.Actor.WorkspaceId;
        var latest = await runs.LatestAsync(workspaceId, RunKind.DuplicateScan, 0, ct);
        var finished = latest is { FinishedAt: not null } ? latest : await runs.LatestFinishedAsync(workspaceId, RunKind.DuplicateScan, 0, ct);
        var running = latest is { IsActive: true } && time.GetUtcNow() - (latest.HeartbeatAt ?? latest.QueuedAt) < GivenUpAfter;
        var result = finished is null ? null : DuplicateScanRun.ResultOf(finished);
        return new DuplicateScanStatus(running, latest?.QueuedAt, finished?.FinishedAt, result is null ? null : result.ContactPairs + result.AccountPairs,
            result is null ? null : (int)Math.Min(int.MaxValue, result.Duration.TotalMilliseconds));
    }
}
