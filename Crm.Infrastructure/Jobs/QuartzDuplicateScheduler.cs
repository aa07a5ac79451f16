using Crm.Core.Imports;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Crm.Infrastructure.Jobs;

public sealed class QuartzDuplicateScheduler(ISchedulerFactory factory) : Crm.Core.Duplicates.IDuplicateScheduler
{
    public Task ScheduleScanAsync(long workspaceId, CancellationToken ct = default) =>
        factory.RunNowAsync<DuplicateScanJob>($"duplicate-scan-{workspaceId}", "duplicates", ct, ("workspaceId", workspaceId));
}
