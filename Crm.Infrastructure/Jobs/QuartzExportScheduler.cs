using Crm.Core.Imports;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Crm.Infrastructure.Jobs;

public sealed class QuartzExportScheduler(ISchedulerFactory factory) : Crm.Core.Exports.IExportScheduler
{
    public Task ScheduleAsync(long exportId, long workspaceId, CancellationToken ct = default) =>
        factory.RunNowAsync<RunExportJob>($"export-{exportId}", "exports", ct, ("exportId", exportId), ("workspaceId", workspaceId));
}
