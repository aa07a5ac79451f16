using System.Net;
using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Infrastructure.Persistence;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Web.Api;

/// <summary>
/// Connecting Google, Microsoft and Salesforce end to end over real HTTP against the sandbox's authorization servers:
/// the consent page, PKCE, the code exchange, one "who am I", and who may connect and see what.
/// </summary>
public sealed class ProviderConnectTests : IAsyncLifetime
{
    private const string RepEmail = "riley.rep@first.example";
    private const string RepPassword = "rep-password-first";
    private SandboxServer _sandbox = default!;
    private CrmWebFactory _factory = default!;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync();
        _factory = new CrmWebFactory(new Dictionary<string, string>(_sandbox.CrmSettings()) { ["Jobs:Enabled"] = "false" });
        await _factory.CreateUserAsync(_factory.FirstWorkspaceId, RepEmail, RepPassword);
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private async Task<List<Integration>> ConnectionsAsync(long workspaceId)
    {
        await using var db = _factory.Services.GetRequiredService<CrmDatabase>().Create(Actor.System(workspaceId));
        return await db.Integrations.AsNoTracking().OrderBy(i => i.Id).ToListAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task ARep_ConnectsTheirGoogleMailbox_AndItIsTheirs_NamedByItsAddress()
    {
        var rep = await BrowserSession.SignInAsync(_factory, RepEmail, RepPassword);
        var callback = await _sandbox.ConnectAsync(rep, "google", "email", account: "riley@gmail.test", returnUrl: "/me/connections");
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/me/connections", callback.Headers.Location!.OriginalString);

        var connection = Assert.Single(await ConnectionsAsync(_factory.FirstWorkspaceId));
        Assert.Equal((IntegrationProviders.Google, IntegrationType.Email, "riley@gmail.test", "Gmail"), (connection.Provider, connection.Type, connection.AccountName, connection.Name));
        Assert.NotNull(connection.OwnerUserId);
        Assert.Contains("gmail.readonly", connection.Scopes, StringComparison.Ordinal);

        // The rep sees theirs; the admin sees it too (health, never tokens); another rep does not.
        var mine = await rep.Client.GetStringAsync("/api/v1/integrations", TestContext.Current.CancellationToken);
        Assert.Contains("riley@gmail.test", mine, StringComparison.Ordinal);
        Assert.DoesNotContain("ya29.", mine, StringComparison.Ordinal);
        await _factory.CreateUserAsync(_factory.FirstWorkspaceId, "other.rep@first.example", "other-rep-password");
        var other = await BrowserSession.SignInAsync(_factory, "other.rep@first.example", "other-rep-password");
        Assert.Equal("[]", await other.Client.GetStringAsync("/api/v1/integrations", TestContext.Current.CancellationToken));
        var notTheirs = await other.Client.SendAsync(other.SameOrigin(HttpMethod.Post, $"/api/v1/integrations/{connection.Id}/disconnect"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, notTheirs.StatusCode);
        Assert.Contains("Only an admin, or the person", await notTheirs.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var admin = await BrowserSession.SignInAsync(_factory, CrmWebFactory.AdminEmail, CrmWebFactory.AdminPassword);
        Assert.Contains("riley@gmail.test", await admin.Client.GetStringAsync("/api/v1/integrations", TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARep_CannotConnectTheWorkspacesCrmSync_ButAnAdminConnectsSalesforce_WithOrgAndInstanceUrl()
    {
        var rep = await BrowserSession.SignInAsync(_factory, RepEmail, RepPassword);
        var refused = await rep.Client.GetAsync("/integrations/salesforce/connect", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Only an admin", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        var admin = await BrowserSession.SignInAsync(_factory, CrmWebFactory.AdminEmail, CrmWebFactory.AdminPassword);
        var callback = await _sandbox.ConnectAsync(admin, "salesforce");
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        var connection = Assert.Single(await ConnectionsAsync(_factory.FirstWorkspaceId));
        Assert.Equal((IntegrationType.CrmSync, (long?)null, "00D5g00000SANDBOX", _sandbox.Url), (connection.Type, connection.OwnerUserId, connection.AccountId, connection.InstanceUrl));
        Assert.Contains("org 00D5g00000SANDBOX", connection.AccountName, StringComparison.Ordinal);

        // Its first run reads the org's daily allocation from /limits: that is its daily budget from then on.
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(_factory.FirstWorkspaceId, ChangeSource.Sync);
            var outcome = await scope.ServiceProvider.GetRequiredService<Crm.Core.Integrations.Sync.SyncConnectionHandler>().HandleAsync(
                new Crm.Core.Integrations.Tokens.ConnectionRef(_factory.FirstWorkspaceId, connection.Id, "salesforce"), IntegrationType.CrmSync, connection.AccountId, "manual", TestContext.Current.CancellationToken);
            Assert.Equal(Crm.Core.Integrations.Sync.SyncRunOutcome.Succeeded, outcome);
        }
        var listed = await admin.Client.GetStringAsync("/api/v1/integrations", TestContext.Current.CancellationToken);
        Assert.Contains("\"dailyCallLimit\":100000", listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARep_ConnectsOutlookCalendar_NamedByTheUserPrincipalName()
    {
        var rep = await BrowserSession.SignInAsync(_factory, RepEmail, RepPassword);
        var callback = await _sandbox.ConnectAsync(rep, "microsoft", "calendar", account: "riley@contoso.test");
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        var connection = Assert.Single(await ConnectionsAsync(_factory.FirstWorkspaceId));
        Assert.Equal((IntegrationType.Calendar, "riley@contoso.test", "Outlook Calendar"), (connection.Type, connection.AccountName, connection.Name));
        Assert.Contains("Calendars.ReadWrite", connection.Scopes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeclinedConsent_UnknownKinds_AndAStateOfAnotherProvider_AreRefusedWithAPage()
    {
        var rep = await BrowserSession.SignInAsync(_factory, RepEmail, RepPassword);
        var declined = await _sandbox.ConnectAsync(rep, "google", "email", grant: false);
        Assert.Equal(HttpStatusCode.BadRequest, declined.StatusCode);
        Assert.Contains("Access was not granted", await declined.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await rep.Client.GetAsync("/integrations/google/connect?type=crm_sync", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await rep.Client.GetAsync("/integrations/dropbox/connect", TestContext.Current.CancellationToken)).StatusCode);

        // Google's answer presented at Microsoft's callback: refused, nothing connected.
        var start = await rep.Client.GetAsync("/integrations/google/connect?type=email", TestContext.Current.CancellationToken);
        var back = await _sandbox.ConsentAsync(start.Headers.Location!);
        var crossed = await rep.Client.GetAsync("/integrations/microsoft/callback" + back.Query, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, crossed.StatusCode);
        Assert.Contains("another provider", await crossed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Empty(await ConnectionsAsync(_factory.FirstWorkspaceId));
    }

    [Fact]
    public async Task Disconnect_RevokesAtGoogle_DeletesTheTokens_AndMicrosoftWhichCannotRevoke_SaysSo()
    {
        var rep = await BrowserSession.SignInAsync(_factory, RepEmail, RepPassword);
        await _sandbox.ConnectAsync(rep, "google", "email");
        await _sandbox.ConnectAsync(rep, "microsoft", "email");
        var connections = await ConnectionsAsync(_factory.FirstWorkspaceId);
        Assert.Equal(2, connections.Count);

        var google = connections.Single(c => c.Provider == "google");
        var result = await rep.Client.SendAsync(rep.SameOrigin(HttpMethod.Post, $"/api/v1/integrations/{google.Id}/disconnect"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        Assert.Contains("\"warning\":null", await result.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Contains("\"revocations\":1", System.Text.Json.JsonSerializer.Serialize(_sandbox.Tokens["google"].Stats()), StringComparison.Ordinal);

        var microsoft = connections.Single(c => c.Provider == "microsoft");
        var warned = await rep.Client.SendAsync(rep.SameOrigin(HttpMethod.Post, $"/api/v1/integrations/{microsoft.Id}/disconnect"), TestContext.Current.CancellationToken);
        Assert.Contains("no way for apps to give back access", await warned.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        await using var db = _factory.Services.GetRequiredService<CrmDatabase>().Create(Actor.System(_factory.FirstWorkspaceId));
        Assert.Empty(await db.IntegrationCredentials.ToListAsync(TestContext.Current.CancellationToken));
        Assert.All(await db.Integrations.ToListAsync(TestContext.Current.CancellationToken), c => Assert.Equal(ConnectionStatus.Disconnected, c.Status));
    }
}
