using Crm.Core.Common;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Crm.Web.Health;

/// <summary>Ready when the database answers and no migration is pending.</summary>
public sealed class DatabaseHealthCheck(CrmDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var db = database.Create(Actor.Anonymous);
            if (!await db.Database.CanConnectAsync(ct)) return HealthCheckResult.Unhealthy($"{database.Provider} database is not reachable.");
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).Count();
            return pending == 0
                ? HealthCheckResult.Healthy($"{database.Provider} database is reachable and up to date.")
                : HealthCheckResult.Unhealthy($"{pending} migration(s) are pending.");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"{database.Provider} database check failed: {e.GetType().Name}.");
        }
    }
}
