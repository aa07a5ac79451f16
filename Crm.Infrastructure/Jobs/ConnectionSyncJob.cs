using Crm.Core.Common;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Crm.Infrastructure.Jobs;

/// <summary>
/// One connection's sync run, on its own trigger or on "Sync now". Thin: a scope acting as the connection's workspace
/// and <see cref="SyncConnectionHandler"/>. One at a time per connection (the job key is the connection's).
/// </summary>
[DisallowConcurrentExecution]
public sealed class ConnectionSyncJob(IServiceScopeFactory scopes, CrmDatabase database) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        var workspaceId = context.MergedJobDataMap.GetLong("workspaceId");
        var integrationId = context.MergedJobDataMap.GetLong("integrationId");
        await using (var db = database.Create(Actor.System(workspaceId, ChangeSource.Sync)))
        {
            var connection = await db.Integrations.AsNoTracking().Where(i => i.Id == integrationId)
                .Select(i => new { i.Provider, i.Type, i.AccountId }).SingleOrDefaultAsync(ct);
            if (connection is null) return;
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(workspaceId, ChangeSource.Sync, $"connection:{integrationId}");
            var name = context.Trigger.Key.Name;
            var trigger = name.EndsWith("-every", StringComparison.Ordinal) ? "schedule"
                : name.EndsWith("-nightly", StringComparison.Ordinal) ? SyncConnectionHandler.Reconcile : "manual";
            await scope.ServiceProvider.GetRequiredService<SyncConnectionHandler>()
                .HandleAsync(new ConnectionRef(workspaceId, integrationId, connection.Provider), connection.Type, connection.AccountId, trigger, ct);
        }
    }
}
