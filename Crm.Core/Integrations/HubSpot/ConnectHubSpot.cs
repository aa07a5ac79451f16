using System.Globalization;
using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.OAuth;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Integrations.HubSpot;

/// <summary>
/// The end of "Connect HubSpot": the state checked (this admin's, once, in time), the code exchanged with its PKCE
/// verifier, one real "who am I" call to name the portal, then the workspace's HubSpot connection created or
/// reconnected with its tokens stored encrypted. A workspace has one HubSpot connection.
/// </summary>
public sealed class CompleteHubSpotConnectionHandler(ICrmDbFactory dbFactory, IOAuthStates states, IHubSpotAuth hubSpot, IConnectionSecrets secrets, TimeProvider time)
{
    public async Task<(IntegrationView Connection, string ReturnPath)> HandleAsync(string code, string state, string redirectUri, CancellationToken ct = default)
    {
        long connectionId;
        OAuthCompletion completion;
        await using (var check = await dbFactory.CreateAsync(ct)) Roles.EnsureAdmin(check.Actor);
        completion = await states.CompleteAsync(IntegrationProviders.HubSpot, state, ct);
        var tokens = await hubSpot.ExchangeCodeAsync(code, redirectUri, completion.CodeVerifier, ct);
        var who = await hubSpot.TokenInfoAsync(tokens.AccessToken, ct);
        var now = time.GetUtcNow();

        await using (var db = await dbFactory.CreateAsync(ct))
        {
            var connection = await db.Integrations.FirstOrDefaultAsync(i => i.Provider == IntegrationProviders.HubSpot && i.Type == IntegrationType.CrmSync && i.OwnerUserId == null, ct);
            if (connection is null) db.Integrations.Add(connection = new Integration { Provider = IntegrationProviders.HubSpot, Type = IntegrationType.CrmSync, Name = "HubSpot" });
            connection.Auth = IntegrationAuth.OAuth;
            connection.IsActive = true;
            connection.Status = ConnectionStatus.Connected;
            connection.ErrorMessage = null;
            connection.ErrorCount = 0;
            connection.AccountId = who.HubId.ToString(CultureInfo.InvariantCulture);
            connection.AccountName = $"{who.HubDomain} (portal {who.HubId}), connected by {who.User}";
            connection.Scopes = string.Join(' ', tokens.Scopes.Count > 0 ? tokens.Scopes : who.Scopes);
            connection.ConnectedAt = now;
            connection.ConnectedByUserId = db.Actor.UserId;
            await db.SaveChangesAsync(ct);
            connectionId = connection.Id;
        }
        await secrets.SaveAsync(connectionId, new ConnectionSecrets(tokens.AccessToken, tokens.RefreshToken), now.AddSeconds(tokens.ExpiresInSeconds), ct);
        var view = (await new ListIntegrationsHandler(dbFactory).HandleAsync(ct)).Single(v => v.Id == connectionId);
        return (view, completion.ReturnPath);
    }
}
