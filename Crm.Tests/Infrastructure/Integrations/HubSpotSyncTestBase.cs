using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Integrations;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;
using Crm.Infrastructure.Persistence;
using Crm.Sandbox.HubSpot;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Infrastructure.Integrations;

/// <summary>
/// What the HubSpot sync tests share: the sandbox's HubSpot limited generously, the CRM with jobs off, a connected
/// HubSpot, an admin's session, a client acting on HubSpot as another integration would, and one sync run at a time.
/// </summary>
public abstract class HubSpotSyncTestBase : IAsyncLifetime
{
    protected SandboxServer _sandbox = default!;
    protected CrmWebFactory _factory = default!;
    protected ConnectionRef _connection;
    protected HttpClient _hubspot = default!;

    /// <summary>Settings a test class adds to the CRM's (a webhook URL).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> MoreSettings() => [];

    public virtual async ValueTask InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync();
        _sandbox.HubSpotLimits.Configure(new HubSpotApiLimits.Settings(100_000, 10_000, 10_000_000));
        var settings = new Dictionary<string, string>(_sandbox.CrmSettings()) { ["Jobs:Enabled"] = "false" };
        foreach (var (key, value) in MoreSettings()) settings[key] = value;
        _factory = new CrmWebFactory(settings);
        var admin = await BrowserSession.SignInAsync(_factory, CrmWebFactory.AdminEmail, CrmWebFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, (await _sandbox.ConnectAsync(admin, "hubspot")).StatusCode);
        await using var db = Database.Create(Actor.System(_factory.FirstWorkspaceId));
        _connection = new ConnectionRef(_factory.FirstWorkspaceId, await db.Integrations.Select(i => i.Id).SingleAsync(), "hubspot");
        _hubspot = new HttpClient { BaseAddress = new Uri(_sandbox.Url) };
        _hubspot.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _sandbox.HubSpotAccessTokenAsync());
        _admin = admin;
    }

    protected BrowserSession _admin = default!;

    protected async Task ConfirmAsync()
    {
        var confirmed = await _admin.Client.SendAsync(_admin.SameOrigin(HttpMethod.Post, $"/api/v1/integrations/{_connection.IntegrationId}/initial-sync"), Ct);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
    }

    public virtual async ValueTask DisposeAsync()
    {
        _hubspot.Dispose();
        await _factory.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    protected CancellationToken Ct => TestContext.Current.CancellationToken;
    protected CrmDatabase Database => _factory.Services.GetRequiredService<CrmDatabase>();

    protected async Task<SyncRun> SyncAsync(string trigger = "manual")
    {
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(_connection.WorkspaceId, ChangeSource.Sync);
            await scope.ServiceProvider.GetRequiredService<SyncConnectionHandler>().HandleAsync(_connection, IntegrationType.CrmSync, "62515", trigger, Ct);
        }
        await using var db = Database.Create(Actor.System(_connection.WorkspaceId));
        return await db.SyncRuns.OrderByDescending(r => r.Id).FirstAsync(Ct);
    }

    protected async Task<long> AddContactAsync(string email, string first, string? scoreTier = null)
    {
        await using var db = Database.Create(Actor.System(_connection.WorkspaceId, ChangeSource.User));
        var contact = new Contact { Email = email, FirstName = first, ScoreTier = scoreTier };
        db.Contacts.Add(contact);
        await db.SaveChangesAsync(Ct);
        return contact.Id;
    }

    /// <summary>A record made in HubSpot through its API, as another integration would: its id there.</summary>
    protected async Task<string> AddHubSpotAsync(string type, object properties)
    {
        var response = await _hubspot.PostAsJsonAsync($"/crm/v3/objects/{type}", new { properties }, Ct);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString()!;
    }

    protected async Task<string> AddHubSpotContactAsync(object properties)
    {
        var response = await _hubspot.PostAsJsonAsync("/crm/v3/objects/contacts", new { properties }, Ct);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString()!;
    }

    protected async Task<JsonElement> HubSpotContactAsync(string id) =>
        JsonDocument.Parse(await _hubspot.GetStringAsync($"/crm/v3/objects/contacts/{id}?properties=email,firstname,jobtitle,lifecyclestage,hs_lead_status", Ct)).RootElement.Clone();

    protected async Task<List<Contact>> OurContactsAsync()
    {
        await using var db = Database.Create(Actor.System(_connection.WorkspaceId));
        return await db.Contacts.AsNoTracking().OrderBy(c => c.Id).ToListAsync(Ct);
    }
}
