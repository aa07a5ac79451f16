using System.Net;
using System.Text.RegularExpressions;
using Crm.Sandbox;
using Crm.Sandbox.Faults;
using Crm.Sandbox.HubSpot;
using Crm.Sandbox.OAuth;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.TestSupport;

/// <summary>
/// The sandbox on a free port for one test class, with the CRM settings that point every provider at it, and the
/// steps of a consent page a person would take (the form's fields posted as the browser posts them).
/// </summary>
public sealed partial class SandboxServer : IAsyncDisposable
{
    public const string HubSpotClientId = "crm-hubspot-app";
    public const string HubSpotSecret = "test-hubspot-client-secret";
    public const string GoogleClientId = "crm-test.apps.googleusercontent.com";
    public const string GoogleSecret = "test-google-secret";
    public const string MicrosoftClientId = "4f1c0c1e-9c1d-4e0e-8f44-5a0f7d4f3b21";
    public const string MicrosoftSecret = "test-microsoft-secret";
    public const string SalesforceClientId = "3MVG9test.connected.app";
    public const string SalesforceSecret = "test-salesforce-secret";

    private readonly WebApplication _app;

    public string Url { get; }
    public SandboxTokens Tokens => _app.Services.GetRequiredService<SandboxTokens>();
    public SandboxFaults Faults => _app.Services.GetRequiredService<SandboxFaults>();
    public Crm.Sandbox.Graph.GraphSubscriptions GraphSubscriptions => _app.Services.GetRequiredService<Crm.Sandbox.Graph.GraphSubscriptions>();
    public HubSpotApiLimits HubSpotLimits => _app.Services.GetRequiredService<HubSpotApiLimits>();
    /// <summary>The portal's records, for planting what the API cannot (a change HubSpot's search does not see).</summary>
    public Crm.Sandbox.HubSpot.HubSpotCrmStore HubSpotStore => _app.Services.GetRequiredService<Crm.Sandbox.HubSpot.HubSpotCrmStore>();

    private SandboxServer(WebApplication app, string url) => (_app, Url) = (app, url);

    /// <param name="accessTokenSeconds">How long the stand-ins' access tokens live.</param>
    public static async Task<SandboxServer> StartAsync(int accessTokenSeconds = 3600, params string[] extra)
    {
        var url = $"http://127.0.0.1:{AppProcess.FreePort()}";
        var seconds = accessTokenSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var app = SandboxApp.Build([
            "--urls", url, "--Logging:LogLevel:Default", "Warning",
            "--Sandbox:HubSpot:ClientId", HubSpotClientId, "--Sandbox:HubSpot:ClientSecret", HubSpotSecret, "--Sandbox:HubSpot:AccessTokenSeconds", seconds,
            "--Sandbox:Google:ClientId", GoogleClientId, "--Sandbox:Google:ClientSecret", GoogleSecret, "--Sandbox:Google:AccessTokenSeconds", seconds,
            "--Sandbox:Microsoft:ClientId", MicrosoftClientId, "--Sandbox:Microsoft:ClientSecret", MicrosoftSecret, "--Sandbox:Microsoft:AccessTokenSeconds", seconds,
            "--Sandbox:Salesforce:ClientId", SalesforceClientId, "--Sandbox:Salesforce:ClientSecret", SalesforceSecret, "--Sandbox:Salesforce:AccessTokenSeconds", seconds,
            .. extra]);
        await app.StartAsync();
        return new SandboxServer(app, url);
    }

    /// <summary>The CRM's settings for every provider, pointed here.</summary>
    public Dictionary<string, string> CrmSettings() => new()
    {
        ["Integrations:HubSpot:ClientId"] = HubSpotClientId, ["Integrations:HubSpot:ClientSecret"] = HubSpotSecret,
        ["Integrations:HubSpot:AuthorizeUrl"] = Url + "/oauth/authorize", ["Integrations:HubSpot:ApiBaseUrl"] = Url,
        ["Integrations:Google:ClientId"] = GoogleClientId, ["Integrations:Google:ClientSecret"] = GoogleSecret,
        ["Integrations:Google:AuthorizeUrl"] = Url + "/google/o/oauth2/v2/auth", ["Integrations:Google:TokenUrl"] = Url + "/google/token",
        ["Integrations:Google:RevokeUrl"] = Url + "/google/revoke", ["Integrations:Google:UserInfoUrl"] = Url + "/google/v1/userinfo",
        ["Integrations:Google:GmailApiUrl"] = Url + "/google/gmail/v1/users/me",
        ["Integrations:Google:CalendarApiUrl"] = Url + "/google/calendar/v3",
        ["Integrations:Microsoft:ClientId"] = MicrosoftClientId, ["Integrations:Microsoft:ClientSecret"] = MicrosoftSecret,
        ["Integrations:Microsoft:LoginBaseUrl"] = Url + "/microsoft", ["Integrations:Microsoft:GraphBaseUrl"] = Url + "/microsoft/graph/v1.0",
        ["Integrations:Salesforce:ClientId"] = SalesforceClientId, ["Integrations:Salesforce:ClientSecret"] = SalesforceSecret,
        ["Integrations:Salesforce:LoginUrl"] = Url,
        // Quick retries: a test waits for Retry-After, not for a production back-off.
        ["Integrations:Retries:FirstDelay"] = "00:00:00.050", ["Integrations:Retries:MaxDelay"] = "00:00:05",
    };

    [GeneratedRegex("<input type=\"(?:hidden|email)\" (?:id=\"[a-z_]+\" )?name=\"([a-z_]+)\" value=\"([^\"]*)\"")]
    private static partial Regex Field();

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\"")]
    private static partial Regex FormAction();

    /// <summary>
    /// Starts connecting in the CRM as <paramref name="session"/>, answers the provider's consent page (as
    /// <paramref name="account"/> when given) and returns the CRM's answer to the callback.
    /// </summary>
    public async Task<HttpResponseMessage> ConnectAsync(BrowserSession session, string provider, string? type = null, bool grant = true, string? account = null,
        string returnUrl = "/settings")
    {
        var ct = TestContext.Current.CancellationToken;
        var start = await session.Client.GetAsync($"/integrations/{provider}/connect?{(type is null ? "" : "type=" + type + "&")}returnUrl={Uri.EscapeDataString(returnUrl)}", ct);
        if (start.StatusCode != HttpStatusCode.Redirect) return start;
        var back = await ConsentAsync(start.Headers.Location!, grant, account);
        return await session.Client.GetAsync(back.PathAndQuery, ct);
    }

    /// <summary>The consent page answered; returns where the provider sends the browser back to.</summary>
    public async Task<Uri> ConsentAsync(Uri authorize, bool grant = true, string? account = null)
    {
        var ct = TestContext.Current.CancellationToken;
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var page = await browser.GetStringAsync(authorize, ct);
        var fields = Field().Matches(page).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        if (account is not null) fields["account"] = account;
        fields["decision"] = grant ? "grant" : "deny";
        var action = WebUtility.HtmlDecode(FormAction().Match(page).Groups[1].Value);
        var decision = await browser.PostAsync(new Uri(new Uri(Url), action), new FormUrlEncodedContent(fields), ct);
        if (decision.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"The consent page answered {decision.StatusCode}: {await decision.Content.ReadAsStringAsync(ct)}");
        return decision.Headers.Location!;
    }

    /// <summary>A HubSpot access token for the sandbox's portal, got as an app gets one (consent, code, token endpoint).</summary>
    public async Task<string> HubSpotAccessTokenAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        const string redirect = "http://127.0.0.1:5080/integrations/hubspot/callback";
        var back = await ConsentAsync(new Uri($"{Url}/oauth/authorize?client_id={HubSpotClientId}&redirect_uri={Uri.EscapeDataString(redirect)}&scope=crm.objects.contacts.read"));
        var code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(back.Query)["code"].ToString();
        using var http = new HttpClient();
        var response = await http.PostAsync($"{Url}/oauth/v1/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = HubSpotClientId, ["client_secret"] = HubSpotSecret, ["redirect_uri"] = redirect, ["code"] = code,
        }), ct);
        response.EnsureSuccessStatusCode();
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>A Google access token for <paramref name="account"/>, got as an app gets one (consent, code, token endpoint).</summary>
    public async Task<string> GoogleAccessTokenAsync(string account, string scope = "https://www.googleapis.com/auth/calendar")
    {
        var ct = TestContext.Current.CancellationToken;
        const string redirect = "http://127.0.0.1:5080/integrations/google/callback";
        var back = await ConsentAsync(new Uri($"{Url}/google/o/oauth2/v2/auth?client_id={GoogleClientId}&redirect_uri={Uri.EscapeDataString(redirect)}" +
                                              $"&response_type=code&access_type=offline&scope={Uri.EscapeDataString(scope)}"), account: account);
        var code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(back.Query)["code"].ToString();
        using var http = new HttpClient();
        var response = await http.PostAsync($"{Url}/google/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = GoogleClientId, ["client_secret"] = GoogleSecret, ["redirect_uri"] = redirect, ["code"] = code,
        }), ct);
        response.EnsureSuccessStatusCode();
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
