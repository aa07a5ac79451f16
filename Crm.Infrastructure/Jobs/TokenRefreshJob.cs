using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.OAuth;
using Crm.Core.Integrations.Tokens;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Crm.Infrastructure.Jobs;

/// <summary>Every minute: the access tokens that expire within 5 minutes are refreshed before anyone needs them.</summary>
[DisallowConcurrentExecution]
public sealed class TokenRefreshJob(CrmDatabase database, IAccessTokens tokens, TimeProvider time, ILogger<TokenRefreshJob> log) : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default) =>
        new(TokenRefresh.RunAsync(database, tokens, time.GetUtcNow(), log, ct));
}

/// <summary>The refresh job's work, callable from tests with their own clock.</summary>
public static class TokenRefresh
{
    public static readonly TimeSpan Ahead = TimeSpan.FromMinutes(5);

    /// <returns>How many connections got new tokens.</returns>
    public static async Task<int> RunAsync(CrmDatabase database, IAccessTokens tokens, DateTimeOffset now, ILogger log, CancellationToken ct)
    {
        var before = now + Ahead;
        List<ConnectionRef> due;
        await using (var db = database.Create(Actor.Anonymous))
            due = (await (from c in db.IntegrationCredentials.IgnoreQueryFilters()
                          join i in db.Integrations.IgnoreQueryFilters() on c.IntegrationId equals i.Id
                          where c.AccessTokenExpiresAt != null && c.AccessTokenExpiresAt < before && i.IsActive && i.Auth == IntegrationAuth.OAuth
                                && (i.Status == ConnectionStatus.Connected || i.Status == ConnectionStatus.Syncing || i.Status == ConnectionStatus.Error)
                          select new { i.WorkspaceId, i.Id, i.Provider }).ToListAsync(ct))
                .Select(r => new ConnectionRef(r.WorkspaceId, r.Id, r.Provider)).ToList();
        var refreshed = 0;
        foreach (var connection in due)
        {
            try
            {
                if (await tokens.RefreshIfExpiringAsync(connection, before, ct)) refreshed++;
            }
            catch (Exception e) when (e is ReconnectRequiredException or OAuthProviderException)
            {
                // Recorded on the connection (needs reconnect) or retried next minute (provider down); the others go on.
                log.LogWarning("Could not refresh the tokens of connection {IntegrationId} ({Provider}): {Reason}", connection.IntegrationId, connection.Provider, e.Message);
            }
        }
        return refreshed;
    }
}
