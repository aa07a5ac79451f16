using System.Net;
using System.Text.RegularExpressions;
using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Infrastructure.Persistence;
using Crm.Sandbox;
using Crm.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Web.Api;

/// <summary>
/// "Connect HubSpot" end to end over real HTTP: the CRM's redirect, the sandbox's consent page (HubSpot's OAuth as
/// documented), the callback with state and PKCE, the code exchange and the "who am I" call.
/// </summary>
public sealed partial class HubSpotConnectTests : IAsyncLifetime
{
    private const string ClientId = "crm-hubspot-app";
    private const string ClientSecret = "test-hubspot-client-secret";
    private WebApplication _sandbox = default!;
    private CrmWebFactory _factory = default!;
    private string _sandboxUrl = "";

    public async ValueTask InitializeAsync()
    {
        _sandboxUrl = $"http://127.0.0.1:{AppProcess.FreePort()}";
        _sandbox = SandboxApp.Build(["--urls", _sandboxUrl, "--Sandbox:HubSpot:ClientId", ClientId, "--Sandbox:HubSpot:ClientSecret", ClientSecret,
            "--Logging:LogLevel:Default", "Warning"]);
        await _sandbox.StartAsync(TestContext.Current.CancellationToken);
        _factory = new CrmWebFactory(new Dictionary<string, string>
        {
            ["Integrations:HubSpot:ClientId"] = ClientId, ["Integrations:HubSpot:ClientSecret"] = ClientSecret,
            ["Integrations:HubSpot:AuthorizeUrl"] = _sandboxUrl + "/oauth/authorize", ["Integrations:HubSpot:ApiBaseUrl"] = _sandboxUrl,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([a-z_]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenField();

    /// <summary>The admin starts connecting; returns the sandbox's answer (the redirect back to the CRM, granted or not).</summary>
    private async Task<Uri> ConsentAsync(BrowserSession admin, bool grant = true)
    {
        var start = await admin.Client.GetAsync("/integrations/hubspot/connect?returnUrl=/settings", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!;
        Assert.StartsWith(_sandboxUrl + "/oauth/authorize?", authorize.ToString(), StringComparison.Ordinal);
        Assert.Contains("code_challenge_method=S256", authorize.Query, StringComparison.Ordinal);
        Assert.Contains("crm.objects.contacts.write", Uri.UnescapeDataString(authorize.Query), StringComparison.Ordinal);

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var page = await browser.GetStringAsync(authorize, TestContext.Current.CancellationToken);
        Assert.Contains("sandbox-62515.hubspot.test", page, StringComparison.Ordinal);
        var fields = HiddenField().Matches(page).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["decision"] = grant ? "grant" : "deny";
        var decision = await browser.PostAsync(_sandboxUrl + "/oauth/authorize/decision", new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, decision.StatusCode);
        return decision.Headers.Location!;
    }

    [Fact]
    public async Task AnAdmin_ConnectsHubSpot_ThroughTheConsentPage_AndSeesTheConnectedPortal_WithTokensStoredEncrypted()
    {
        var admin = await BrowserSession.SignInAsync(_factory, CrmWebFactory.AdminEmail, CrmWebFactory.AdminPassword);
        var back = await ConsentAsync(admin);
        Assert.Equal(IntegrationConnectEndpointsPath, back.AbsolutePath);

        var callback = await admin.Client.GetAsync(back.PathAndQuery, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/settings", callback.Headers.Location!.OriginalString);

        var list = await admin.Client.GetStringAsync("/api/v1/integrations", TestContext.Current.CancellationToken);
        Assert.Contains("\"provider\":\"hubspot\"", list, StringComparison.Ordinal);
        Assert.Contains("sandbox-62515.hubspot.test (portal 62515), connected by owner@sandbox.example", list, StringComparison.Ordinal);
        Assert.Contains("\"hasCredentials\":true", list, StringComparison.Ordinal);
        Assert.DoesNotContain("na1-access", list, StringComparison.Ordinal);
        Assert.DoesNotContain("na1-refresh", list, StringComparison.Ordinal);

        await using var scope = _factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(_factory.FirstWorkspaceId);
        await using var db = _factory.Services.GetRequiredService<CrmDatabase>().Create(Actor.System(_factory.FirstWorkspaceId));
        var connection = await db.Integrations.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(("62515", ConnectionStatus.Connected), (connection.AccountId, connection.Status));
        var secrets = await scope.ServiceProvider.GetRequiredService<IConnectionSecrets>().ReadAsync(connection.Id, TestContext.Current.CancellationToken);
        Assert.StartsWith("na1-access-", secrets!.AccessToken, StringComparison.Ordinal);
        Assert.StartsWith("na1-refresh-", secrets.RefreshToken, StringComparison.Ordinal);

        // HubSpot's answer is good once: the same callback again is refused with a page saying so.
        var replay = await admin.Client.GetAsync(back.PathAndQuery, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Contains("already used", await replay.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disconnect_RevokesTheGrantAtHubSpot_DeletesTheTokens_AndReconnectBringsItBack()
    {
        var admin = await BrowserSession.SignInAsync(_factory, CrmWebFactory.AdminEmail, CrmWebFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Client.GetAsync((await ConsentAsync(admin)).PathAndQuery, TestContext.Current.CancellationToken)).StatusCode);
        long id;
        string refresh;
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(_factory.FirstWorkspaceId);
            await using var db = _factory.Services.GetRequiredService<CrmDatabase>().Create(Actor.System(_factory.FirstWorkspaceId));
            id = (await db.Integrations.SingleAsync(TestContext.Current.CancellationToken)).Id;
            refresh = (await scope.ServiceProvider.GetRequiredService<IConnectionSecrets>().ReadAsync(id, TestContext.Current.CancellationToken))!.RefreshToken!;
        }
        using var hubSpot = new HttpClient { BaseAddress = new Uri(_sandboxUrl) };
        FormUrlEncodedContent RefreshRequest() => new(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = ClientId, ["client_secret"] = ClientSecret, ["refresh_token"] = refresh,
        });
        Assert.Equal(HttpStatusCode.OK, (await hubSpot.PostAsync("/oauth/v1/token", RefreshRequest(), TestContext.Current.CancellationToken)).StatusCode);

        var api = await _factory.ClientWithKeyAsync(_factory.FirstWorkspaceId);
        var response = await api.PostAsync($"/api/v1/integrations/{id}/disconnect", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("\"status\":\"disconnected\"", body, StringComparison.Ordinal);
        Assert.Contains("\"hasCredentials\":false", body, StringComparison.Ordinal);
        Assert.Contains("\"warning\":null", body, StringComparison.Ordinal);
        var refused = await hubSpot.PostAsync("/oauth/v1/token", RefreshRequest(), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("BAD_REFRESH_TOKEN", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        // Another workspace cannot disconnect it; reconnecting brings the same connection back.
        var other = await _factory.ClientWithKeyAsync(await _factory.CreateWorkspaceAsync("Other"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/v1/integrations/{id}/disconnect", null, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Client.GetAsync((await ConsentAsync(admin)).PathAndQuery, TestContext.Current.CancellationToken)).StatusCode);
        var list = await admin.Client.GetStringAsync("/api/v1/integrations", TestContext.Current.CancellationToken);
        Assert.Contains($"\"id\":{id},", list, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"connected\"", list, StringComparison.Ordinal);
    }

    private const string IntegrationConnectEndpointsPath = Crm.Web.Endpoints.IntegrationConnectEndpoints.HubSpotCallbackPath;

    [Fact]
    public async Task Declining_OnHubSpotsPage_ConnectsNothing_AndSaysSo()
    {
        var admin = await BrowserSession.SignInAsync(_factory, CrmWebFactory.AdminEmail, CrmWebFactory.AdminPassword);
        var back = await ConsentAsync(admin, grant: false);

        var callback = await admin.Client.GetAsync(back.PathAndQuery, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, callback.StatusCode);
        Assert.Contains("not granted", await callback.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        await using var db = _factory.Services.GetRequiredService<CrmDatabase>().Create(Actor.System(_factory.FirstWorkspaceId));
        Assert.Empty(await db.Integrations.ToListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AnotherAdminsCallback_IsRefused_AndTheirStateStaysUnused()
    {
        var admin = await BrowserSession.SignInAsync(_factory, CrmWebFactory.AdminEmail, CrmWebFactory.AdminPassword);
        var back = await ConsentAsync(admin);
        var otherWorkspace = await _factory.CreateWorkspaceAsync("Other");
        // An admin of another workspace replays the answer: refused, nothing connected anywhere.
        var key = await _factory.ClientWithKeyAsync(otherWorkspace);
        var foreign = await key.GetAsync(back.PathAndQuery, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Contains("someone else", await foreign.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        await using var db = _factory.Services.GetRequiredService<CrmDatabase>().Create(Actor.Anonymous);
        Assert.Empty(await db.Integrations.IgnoreQueryFilters().ToListAsync(TestContext.Current.CancellationToken));
        // The admin who started it still completes it.
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Client.GetAsync(back.PathAndQuery, TestContext.Current.CancellationToken)).StatusCode);
    }
}
