using System.Net;
using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;
using Crm.Infrastructure.Integrations.HubSpot;
using Crm.Infrastructure.Jobs;
using Crm.Infrastructure.Persistence;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Crm.Tests.Infrastructure.Integrations;

/// <summary>
/// Access tokens against the sandbox's authorization servers over real HTTP: single-flight refresh under concurrency,
/// Microsoft's rotation, refresh on 401, the refresh job, and a revoked grant turning into "needs reconnect".
/// </summary>
public sealed class ConnectionTokensTests : IAsyncLifetime
{
    private const string RepEmail = "tokens.rep@first.example";
    private const string RepPassword = "tokens-rep-password";
    private readonly LogCapture _log = new();
    private SandboxServer _sandbox = default!;
    private CrmWebFactory _factory = default!;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync();
        // Jobs off: no scheduled sync makes calls these tests count.
        _factory = new CrmWebFactory(new Dictionary<string, string>(_sandbox.CrmSettings()) { ["Jobs:Enabled"] = "false" }, _log);
        await _factory.CreateUserAsync(_factory.FirstWorkspaceId, RepEmail, RepPassword);
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private CancellationToken Ct => TestContext.Current.CancellationToken;
    private IAccessTokens Tokens => _factory.Services.GetRequiredService<IAccessTokens>();
    private CrmDatabase Database => _factory.Services.GetRequiredService<CrmDatabase>();

    private async Task<ConnectionRef> ConnectAsync(string provider, string? type = null)
    {
        var session = type is null
            ? await BrowserSession.SignInAsync(_factory, CrmWebFactory.AdminEmail, CrmWebFactory.AdminPassword)
            : await BrowserSession.SignInAsync(_factory, RepEmail, RepPassword);
        var callback = await _sandbox.ConnectAsync(session, provider, type);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        await using var db = Database.Create(Actor.System(_factory.FirstWorkspaceId));
        var id = await db.Integrations.Where(i => i.Provider == provider).Select(i => i.Id).SingleAsync(Ct);
        return new ConnectionRef(_factory.FirstWorkspaceId, id, provider);
    }

    private async Task<ConnectionSecrets> StoredAsync(ConnectionRef connection)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(connection.WorkspaceId);
        return (await scope.ServiceProvider.GetRequiredService<IConnectionSecrets>().ReadAsync(connection.IntegrationId, Ct))!;
    }

    /// <summary>The token expired at the provider and, as far as we know, here too.</summary>
    private async Task ExpireAsync(ConnectionRef connection)
    {
        _sandbox.Tokens[connection.Provider].ExpireAccessTokens();
        await using var db = Database.Create(Actor.System(connection.WorkspaceId));
        await db.IntegrationCredentials.Where(c => c.IntegrationId == connection.IntegrationId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.AccessTokenExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)), Ct);
    }

    private int Refreshes(string provider) => _sandbox.Tokens[provider].RefreshRequests;

    private int Reused(string provider) => (int)_sandbox.Tokens[provider].Stats().GetType().GetProperty("reusedRefreshTokens")!.GetValue(_sandbox.Tokens[provider].Stats())!;

    [Fact]
    public async Task TwentyCallersOnAnExpiredMicrosoftToken_MakeOneRefresh_AndARotatedRefreshTokenIsNeverSentAgain()
    {
        var connection = await ConnectAsync("microsoft", "email");
        var seen = new List<ConnectionSecrets> { await StoredAsync(connection) };

        for (var round = 1; round <= 4; round++)
        {
            await ExpireAsync(connection);
            var tokens = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => i % 2 == 0
                ? Tokens.GetAsync(connection, Ct)
                : Tokens.RenewAsync(connection, seen[^1].AccessToken!, Ct), Ct)));
            Assert.Single(tokens.Distinct());
            Assert.Equal(round, Refreshes("microsoft"));
            var stored = await StoredAsync(connection);
            Assert.Equal(tokens[0], stored.AccessToken);
            Assert.DoesNotContain(seen, s => s.RefreshToken == stored.RefreshToken);
            seen.Add(stored);
        }
        Assert.Equal(0, Reused("microsoft"));

        // Nothing secret in what the refreshes logged.
        foreach (var secrets in seen)
        {
            Assert.DoesNotContain(secrets.AccessToken!, _log.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(secrets.RefreshToken!, _log.Text, StringComparison.Ordinal);
        }
        Assert.Contains("Refreshed the tokens of connection", _log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACallAnswered401_RefreshesOnce_AndIsSentAgain()
    {
        var connection = await ConnectAsync("hubspot");
        var before = await StoredAsync(connection);
        // HubSpot forgot the token early; our copy says it is still good for half an hour.
        _sandbox.Tokens["hubspot"].ExpireAccessTokens();

        var details = await _factory.Services.GetRequiredService<HubSpotApi>().AccountDetailsAsync(connection, Ct);

        Assert.Equal(62515, details.PortalId);
        // The connect (code exchange, token metadata) and the refresh on 401 logged no token.
        Assert.DoesNotContain(before.AccessToken!, _log.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(before.RefreshToken!, _log.Text, StringComparison.Ordinal);
        Assert.Equal(1, Refreshes("hubspot"));
        var after = await StoredAsync(connection);
        Assert.NotEqual(before.AccessToken, after.AccessToken);
        Assert.Equal(before.RefreshToken, after.RefreshToken);
    }

    [Fact]
    public async Task RevokedConsent_MarksTheConnectionNeedsReconnect_PausesItsRuns_AndReconnectingResumesThem()
    {
        var connection = await ConnectAsync("hubspot");
        _sandbox.Tokens["hubspot"].RevokeRefreshTokens();

        async Task<SyncRunOutcome?> RunAsync()
        {
            await using var scope = _factory.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(connection.WorkspaceId, ChangeSource.Sync);
            return await scope.ServiceProvider.GetRequiredService<SyncConnectionHandler>().HandleAsync(connection, IntegrationType.CrmSync, "62515", "manual", Ct);
        }

        Assert.Equal(SyncRunOutcome.NeedsReconnect, await RunAsync());
        await using (var db = Database.Create(Actor.System(connection.WorkspaceId)))
        {
            var row = await db.Integrations.SingleAsync(i => i.Id == connection.IntegrationId, Ct);
            Assert.Equal(ConnectionStatus.NeedsReconnect, row.Status);
            Assert.Contains("Reconnect", row.ErrorMessage, StringComparison.Ordinal);
        }
        // Paused: no run starts until the owner reconnects.
        Assert.Null(await RunAsync());

        var admin = await BrowserSession.SignInAsync(_factory, CrmWebFactory.AdminEmail, CrmWebFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, (await _sandbox.ConnectAsync(admin, "hubspot")).StatusCode);
        Assert.Equal(SyncRunOutcome.Succeeded, await RunAsync());

        await using (var db = Database.Create(Actor.System(connection.WorkspaceId)))
        {
            var row = await db.Integrations.SingleAsync(i => i.Id == connection.IntegrationId, Ct);
            Assert.Equal((ConnectionStatus.Connected, (string?)null), (row.Status, row.ErrorMessage));
            var runs = await db.SyncRuns.OrderBy(r => r.Id).ToListAsync(Ct);
            Assert.Equal([SyncRunOutcome.NeedsReconnect, SyncRunOutcome.Succeeded], runs.Select(r => r.Outcome));
            Assert.True(runs[1].ApiCalls >= 1);
        }
        Assert.Contains("needs a reconnect", _log.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("na1-refresh-", _log.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("na1-access-", _log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRefreshJob_RefreshesTokensExpiringWithinFiveMinutes_AndLeavesTheOthers()
    {
        var google = await ConnectAsync("google", "email");
        var hubspot = await ConnectAsync("hubspot");
        var now = DateTimeOffset.UtcNow;
        await using (var db = Database.Create(Actor.System(_factory.FirstWorkspaceId)))
        {
            await db.IntegrationCredentials.Where(c => c.IntegrationId == google.IntegrationId).ExecuteUpdateAsync(s => s.SetProperty(c => c.AccessTokenExpiresAt, now.AddMinutes(4)), Ct);
            await db.IntegrationCredentials.Where(c => c.IntegrationId == hubspot.IntegrationId).ExecuteUpdateAsync(s => s.SetProperty(c => c.AccessTokenExpiresAt, now.AddMinutes(20)), Ct);
        }

        Assert.Equal(1, await TokenRefresh.RunAsync(Database, Tokens, now, NullLogger.Instance, Ct));
        Assert.Equal((1, 0), (Refreshes("google"), Refreshes("hubspot")));
        // Google's new token lives an hour: the next minute's job has nothing to do.
        Assert.Equal(0, await TokenRefresh.RunAsync(Database, Tokens, now.AddMinutes(1), NullLogger.Instance, Ct));
    }

    [Fact]
    public async Task AnotherWorkspace_CannotUseTheConnectionsTokens()
    {
        var connection = await ConnectAsync("hubspot");
        var other = await _factory.CreateWorkspaceAsync("Other");
        var foreign = connection with { WorkspaceId = other };
        await Assert.ThrowsAsync<ReconnectRequiredException>(() => Tokens.GetAsync(foreign, Ct));
        await Assert.ThrowsAsync<ReconnectRequiredException>(() => _factory.Services.GetRequiredService<HubSpotApi>().AccountDetailsAsync(foreign, Ct));
        Assert.Equal(0, Refreshes("hubspot"));
    }
}
