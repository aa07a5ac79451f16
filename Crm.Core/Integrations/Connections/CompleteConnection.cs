using Crm.Core.Common;
using Crm.Core.Integrations.OAuth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Core.Integrations.Connections;

/// <summary>
/// The end of any "Connect": the state checked (this person's, once, in time, for this provider), the code exchanged with
/// its PKCE verifier, one real "who am I" call to name the account, then the connection created or reconnected with
/// its tokens stored encrypted and its jobs resumed. A workspace has one CRM sync per provider (admins connect it);
/// a person has one mailbox and one calendar per provider.
/// </summary>
public sealed class CompleteConnectionHandler(ICrmDbFactory dbFactory, IOAuthStates states, IServiceProvider services, IConnectionSecrets secrets,
    IConnectionSchedule schedule, TimeProvider time)
{
    public async Task<(IntegrationView Connection, string ReturnPath)> HandleAsync(string provider, string code, string state, string redirectUri, CancellationToken ct = default)
    {
        var completion = await states.CompleteAsync(provider, state, ct);
        var kind = ConnectionKind.Parse(completion.Provider) is { } parsed && parsed.Provider == provider
            ? parsed
            : throw new OAuthStateRefusedException("This answer is for another provider. Start connecting again.");
        await using (var check = await dbFactory.CreateAsync(ct))
            if (!IntegrationProviders.IsPersonal(kind.Type)) Roles.EnsureAdmin(check.Actor);

        var oauth = services.GetRequiredKeyedService<IOAuthProvider>(provider);
        var tokens = await oauth.ExchangeCodeAsync(code, redirectUri, completion.CodeVerifier, ct);
        if (tokens.RefreshToken is null)
            throw new OAuthProviderException(provider, 200, "no_refresh_token", "The provider sent no refresh token, so the connection could not keep working on its own. Connect again and allow offline access.");
        var who = await oauth.WhoAmIAsync(tokens, ct);
        var now = time.GetUtcNow();

        long connectionId;
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            var owner = IntegrationProviders.IsPersonal(kind.Type) ? db.Actor.UserId : null;
            var connection = await db.Integrations.FirstOrDefaultAsync(i => i.Provider == provider && i.Type == kind.Type && i.OwnerUserId == owner, ct);
            if (connection is null)
                db.Integrations.Add(connection = new Integration { Provider = provider, Type = kind.Type, Name = kind.DefaultName, OwnerUserId = owner });
            connection.Auth = IntegrationAuth.OAuth;
            connection.IsActive = true;
            connection.Status = ConnectionStatus.Connected;
            connection.ErrorMessage = null;
            connection.ErrorCount = 0;
            connection.AccountId = who.Id;
            connection.AccountName = who.Name;
            connection.InstanceUrl = who.InstanceUrl ?? tokens.InstanceUrl;
            connection.Scopes = string.Join(' ', tokens.Scopes);
            connection.ConnectedAt = now;
            connection.ConnectedByUserId = db.Actor.UserId;
            await db.SaveChangesAsync(ct);
            connectionId = connection.Id;
        }
        await secrets.SaveAsync(connectionId, new ConnectionSecrets(tokens.AccessToken, tokens.RefreshToken),
            tokens.ExpiresInSeconds is { } seconds ? now.AddSeconds(seconds) : null, ct);
        var view = (await new ListIntegrationsHandler(dbFactory).HandleAsync(ct)).Single(v => v.Id == connectionId);
        await schedule.ScheduleAsync(view, ct);
        return (view, completion.ReturnPath);
    }
}
