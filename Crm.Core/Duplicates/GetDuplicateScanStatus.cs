using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Duplicates;

/// <summary>Where the workspace's duplicate scan stands: running (asked for or under way), and the last one finished.</summary>
public sealed record DuplicateScanStatus(bool Running, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, int? Pairs, int? Milliseconds);

public sealed class GetDuplicateScanStatusHandler(ICrmDbFactory dbFactory, TimeProvider time)
{
    /// <summary>A scan not finished after this long died with its process; the next one starts afresh.</summary>
    public static readonly TimeSpan GivenUpAfter = TimeSpan.FromMinutes(30);

    public async Task<DuplicateScanStatus> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var w = await db.Workspaces.AsNoTracking().Where(x => x.Id == db.Actor.WorkspaceId)
            .Select(x => new { x.DuplicateScanStartedAt, x.DuplicateScanFinishedAt, x.DuplicateScanPairs, x.DuplicateScanMilliseconds }).SingleAsync(ct);
        var running = w.DuplicateScanStartedAt is { } started && (w.DuplicateScanFinishedAt is not { } finished || started > finished)
            && time.GetUtcNow() - started < GivenUpAfter;
        return new DuplicateScanStatus(running, w.DuplicateScanStartedAt, w.DuplicateScanFinishedAt, w.DuplicateScanPairs, w.DuplicateScanMilliseconds);
    }
}
