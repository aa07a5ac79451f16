using Crm.Core.Common;
using Crm.Core.Runs;

namespace Crm.Core.Duplicates;

/// <summary>Queues a scan of the workspace (once: asking while one is queued or running joins it).</summary>
public sealed class StartDuplicateScanHandler(ICrmDbFactory dbFactory, IRunService runs)
{
    public async Task HandleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        await runs.QueueAsync(new RunRequest(RunKind.DuplicateScan, db.Actor.WorkspaceId, 0, db.Actor.UserId), ct);
    }
}
