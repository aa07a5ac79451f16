using System.Net.Http.Json;
using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Deals;
using Crm.Core.Integrations;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Webhooks;
using Crm.Infrastructure.Jobs;
using Crm.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Infrastructure.Integrations;

/// <summary>
/// Webhooks end to end: a person's change in the sandbox's HubSpot is delivered, signed, to the CRM's webhook endpoint
/// (through a proxy, as in production), stored in the inbox, attributed to the connection by the inbox job, and the
/// run it starts brings the creation, the deal-stage change and the deletion in — a deletion no search would show.
/// </summary>
public sealed class HubSpotWebhookSyncTests : HubSpotSyncTestBase
{
    private readonly int _proxyPort = AppProcess.FreePort();
    private WebApplication _proxy = default!;
    private string ProxyUrl => $"http://127.0.0.1:{_proxyPort}/webhooks/hubspot";

    /// <summary>HubSpot signs the URL it calls (the proxy's): the app is told it is its public one.</summary>
    protected override IEnumerable<KeyValuePair<string, string>> MoreSettings() => [new("Integrations:HubSpot:WebhookUrl", ProxyUrl)];

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var crm = _factory.CreateClient();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_proxyPort}");
        _proxy = builder.Build();
        _proxy.MapPost("/webhooks/hubspot", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            using var forward = new HttpRequestMessage(HttpMethod.Post, "/webhooks/hubspot") { Content = new StringContent(await reader.ReadToEndAsync(), System.Text.Encoding.UTF8, "application/json") };
            foreach (var header in new[] { "X-HubSpot-Signature-v3", "X-HubSpot-Request-Timestamp" })
                forward.Headers.TryAddWithoutValidation(header, request.Headers[header].ToString());
            var answer = await crm.SendAsync(forward);
            return Results.StatusCode((int)answer.StatusCode);
        });
        await _proxy.StartAsync();
        (await _hubspot.PostAsJsonAsync("/_sandbox/hubspot/webhooks", new { targetUrl = ProxyUrl, retryScale = 0.0005 }, Ct)).EnsureSuccessStatusCode();
    }

    public override async ValueTask DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>Waits for the deliveries to be stored, then does what the inbox job does, then the run it starts.</summary>
    private async Task<SyncRun> DeliveredAndRunAsync(int events)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
                if (await db.WebhookEvents.CountAsync(e => e.Status == WebhookEventStatus.Received, Ct) >= events) break;
            Assert.True(DateTime.UtcNow < deadline, "HubSpot's webhooks did not arrive.");
            await Task.Delay(100, Ct);
        }
        await WebhookInboxProcessing.RunAsync(Database, _factory.Services.GetRequiredService<IConnectionSchedule>(), DateTimeOffset.UtcNow, Ct);
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
            Assert.False(await db.WebhookEvents.AnyAsync(e => e.Status == WebhookEventStatus.Received, Ct));
        return await SyncAsync();
    }

    [Fact]
    public async Task ACreation_ADealStageChange_AndADeletionInHubSpot_ReachTheCrmThroughItsWebhooks()
    {
        await ConfirmAsync();
        await SyncAsync();

        var created = await _hubspot.PostAsJsonAsync("/_sandbox/hubspot/as-user/contacts", new { properties = new { email = "hooked@example.com", firstname = "Hooked" } }, Ct);
        var contactThere = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString()!;
        var deal = await _hubspot.PostAsJsonAsync("/_sandbox/hubspot/as-user/deals", new { properties = new { dealname = "Hooked deal", dealstage = "closedwon", pipeline = "default" } }, Ct);
        var dealThere = JsonDocument.Parse(await deal.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString()!;
        var first = await DeliveredAndRunAsync(2);
        Assert.Equal(2, first.WrittenIn);
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
        {
            Assert.True(await db.Contacts.AnyAsync(c => c.Email == "hooked@example.com", Ct));
            Assert.Equal("Closed won", await db.Deals.Where(d => d.Name == "Hooked deal").Select(d => d.Stage!.Name).SingleAsync(Ct));
        }

        (await _hubspot.PatchAsJsonAsync($"/_sandbox/hubspot/as-user/deals/{dealThere}", new { properties = new { dealstage = "closedlost" } }, Ct)).EnsureSuccessStatusCode();
        await DeliveredAndRunAsync(1);
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
            Assert.Equal("Closed lost", await db.Deals.Where(d => d.Name == "Hooked deal").Select(d => d.Stage!.Name).SingleAsync(Ct));

        // Deleted in HubSpot: its search never shows archived records, the webhook does.
        Assert.True((await _hubspot.DeleteAsync($"/_sandbox/hubspot/as-user/contacts/{contactThere}", Ct)).IsSuccessStatusCode);
        await DeliveredAndRunAsync(1);
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
            Assert.NotNull((await db.Contacts.IgnoreQueryFilters().SingleAsync(c => c.Email == "hooked@example.com", Ct)).DeletedAt);
        // Restorable: the contact is in the bin, not gone.
        var quiet = await SyncAsync();
        Assert.Equal((0, 0), (quiet.WrittenIn, quiet.WrittenOut));
    }
}
