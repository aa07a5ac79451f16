using System.Collections.Concurrent;
using Crm.Tests.TestSupport;
using Microsoft.Playwright;

namespace Crm.Tests.Browser;

/// <summary>
/// The app as a newcomer runs it — its own process, Development settings, an empty data folder — with single
/// sign-on pointed at the sandbox identity provider (also its own process), and one headless Chromium.
/// </summary>
public sealed class LiveAppFixture : IAsyncLifetime
{
    public const string ClientSecret = "browser-test-secret";

    public AppProcess Sandbox { get; private set; } = default!;
    public AppProcess Web { get; private set; } = default!;
    public BrowserFixture Browser { get; } = new();
    public string DataDirectory { get; } = TestPaths.NewTempDirectory("live");

    public async ValueTask InitializeAsync()
    {
        var sandboxTask = AppProcess.StartAsync("Crm.Sandbox", new Dictionary<string, string>
        {
            ["Sandbox__Oidc__Clients__0__ClientSecret"] = ClientSecret,
        }, readyPath: "/oidc/.well-known/openid-configuration");
        var browserTask = Browser.InitializeAsync().AsTask();
        Sandbox = await sandboxTask;
        var webPort = AppProcess.FreePort();
        Web = await AppProcess.StartAsync("Crm.Web", new Dictionary<string, string>
        {
            ["Database__DataDirectory"] = DataDirectory,
            // Where recipients' mail clients reach the tracking pixel and links.
            ["Email__PublicUrl"] = $"http://127.0.0.1:{webPort}",
            ["Authentication__Oidc__Authority"] = Sandbox.BaseUrl + "/oidc",
            ["Authentication__Oidc__ClientId"] = "crm-web",
            ["Authentication__Oidc__ClientSecret"] = ClientSecret,
            ["Authentication__Oidc__RequireHttpsMetadata"] = "false",
            ["Authentication__Oidc__DisplayName"] = "Sandbox SSO",
            // The sandbox's HubSpot app, as the run command wires it.
            ["Integrations__HubSpot__ClientId"] = "crm-hubspot-app",
            ["Integrations__HubSpot__ClientSecret"] = "sandbox-hubspot-secret-change-me",
            ["Integrations__HubSpot__AuthorizeUrl"] = Sandbox.BaseUrl + "/oauth/authorize",
            ["Integrations__HubSpot__ApiBaseUrl"] = Sandbox.BaseUrl,
            ["Integrations__Google__ClientId"] = "crm-sandbox.apps.googleusercontent.com",
            ["Integrations__Google__ClientSecret"] = "sandbox-google-secret-change-me",
            ["Integrations__Google__AuthorizeUrl"] = Sandbox.BaseUrl + "/google/o/oauth2/v2/auth",
            ["Integrations__Google__TokenUrl"] = Sandbox.BaseUrl + "/google/token",
            ["Integrations__Google__RevokeUrl"] = Sandbox.BaseUrl + "/google/revoke",
            ["Integrations__Google__UserInfoUrl"] = Sandbox.BaseUrl + "/google/v1/userinfo",
            ["Integrations__Google__GmailApiUrl"] = Sandbox.BaseUrl + "/google/gmail/v1/users/me",
            ["Integrations__Google__CalendarApiUrl"] = Sandbox.BaseUrl + "/google/calendar/v3",
            ["Integrations__Microsoft__ClientId"] = "6731de76-14a6-49ae-97bc-6eba6914391e",
            ["Integrations__Microsoft__ClientSecret"] = "sandbox-microsoft-secret-change-me",
            ["Integrations__Microsoft__LoginBaseUrl"] = Sandbox.BaseUrl + "/microsoft",
            ["Integrations__Microsoft__GraphBaseUrl"] = Sandbox.BaseUrl + "/microsoft/graph/v1.0",
            ["Integrations__Salesforce__ClientId"] = "3MVG9sandbox.crm.connected.app",
            ["Integrations__Salesforce__ClientSecret"] = "sandbox-salesforce-secret-change-me",
            ["Integrations__Salesforce__LoginUrl"] = Sandbox.BaseUrl,
            // A webhook receiver the browser tests start on this machine, as an operator allows one on their network.
            ["Webhooks__AllowedHosts__0"] = "127.0.0.1",
        }, port: webPort);
        await browserTask;
    }

    private readonly ConcurrentDictionary<string, string> _sessions = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A blank page of a new browser context already signed in as <paramref name="email"/>: the session cookie is taken
    /// from one sign-in per person and reused, for tests about pages rather than signing in (a sign-in takes seconds).
    /// A session that no longer holds (signed out, revoked) is replaced by a new sign-in.
    /// </summary>
    public async Task<IPage> SignedInPageAsync(string email, string password, int width = 1400, int height = 900)
    {
        var context = await Browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            StorageState = _sessions.TryGetValue(email, out var state) ? state : null,
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        if (state is null || !(await page.APIRequest.GetAsync($"{Web.BaseUrl}/api/v1/contacts?pageSize=1")).Ok)
        {
            await context.ClearCookiesAsync();
            await page.SignInAsync(Web.BaseUrl, email, password, "/preferences");
            _sessions[email] = await context.StorageStateAsync();
        }
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        if (Web is not null) await Web.DisposeAsync();
        if (Sandbox is not null) await Sandbox.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class LiveAppCollection : ICollectionFixture<LiveAppFixture>
{
    public const string Name = "Live app";
}
