using Crm.Core.Common;
using Crm.Core.Integrations.OAuth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Integrations.Connections;

/// <param name="Warning">Set when the provider could not be told (its access then has to be removed on its side too).</param>
public sealed record DisconnectResult(IntegrationView Connection, string? Warning);

/// <summary>
/// Disconnect: the grant is revoked at the provider where it has a revoke endpoint (HubSpot, Google, Salesforce), its jobs stopped, the
/// tokens are deleted here whatever the provider answered, and the connection stays listed as disconnected (its
/// history and links kept; Reconnect brings it back). Admins disconnect any connection of the workspace; a user their own.
/// </summary>
public sealed class DisconnectIntegrationHandler(ICrmDbFactory dbFactory, IConnectionSecrets secrets, IServiceProvider services, IConnectionSchedule schedule)
{
    public async Task<DisconnectResult> HandleAsync(long integrationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var connection = await ConnectionAccess.LoadAsync(db, integrationId, ct);

        string? warning = null;
        var stored = await secrets.ReadAsync(integrationId, ct);
        var oauth = services.GetKeyedService<IOAuthProvider>(connection.Provider);
        var name = new ConnectionKind(connection.Provider, connection.Type).DefaultName;
        if (oauth is not null && stored is not null && connection.Auth == IntegrationAuth.OAuth)
        {
            try
            {
                if (!await oauth.RevokeAsync(stored, ct))
                    warning = $"{name} has no way for apps to give back access; the tokens are deleted here — remove the app from the account's connected apps too.";
            }
            catch (OAuthProviderException)
            {
                warning = $"{name} could not be told; the tokens are deleted here, but remove the app from the account's connected apps too.";
            }
        }
        await schedule.StopAsync(integrationId, ct);
        await secrets.DeleteAsync(integrationId, ct);
        connection.Status = ConnectionStatus.Disconnected;
        connection.IsActive = false;
        connection.ErrorMessage = null;
        connection.ErrorCount = 0;
        await db.SaveChangesAsync(ct);
        var view = (await new ListIntegrationsHandler(dbFactory).HandleAsync(ct)).Single(v => v.Id == integrationId);
        return new DisconnectResult(view, warning);
    }
}
