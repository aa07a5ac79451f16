using Crm.Core.Imports;
using Quartz;

namespace Crm.Infrastructure.Jobs;

public sealed class QuartzImportScheduler(ISchedulerFactory factory) : IImportScheduler
{
    public Task ScheduleRunAsync(long importId, long workspaceId, CancellationToken ct = default) =>
        ScheduleAsync<RunImportJob>($"import-{importId}", importId, workspaceId, ct);

    public Task ScheduleRollbackAsync(long importId, long workspaceId, CancellationToken ct = default) =>
        ScheduleAsync<RollbackImportJob>($"rollback-{importId}", importId, workspaceId, ct);

    private Task ScheduleAsync<TJob>(string name, long importId, long workspaceId, CancellationToken ct) where TJob : IJob =>
        factory.RunNowAsync<TJob>(name, "imports", ct, ("importId", importId), ("workspaceId", workspaceId));
}
