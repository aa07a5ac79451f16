using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Core.Integrations.Webhooks;
using Crm.Sandbox.HubSpot;
using Crm.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;

namespace Crm.Tests.Sandbox;

/// <summary>
/// The sandbox's app webhooks as HubSpot documents them: a change made as a HubSpot user reaches the target URL as a
/// batch of events signed with v3 (checked here with the CRM's own verifier), and a failed delivery is retried with
/// its attempt number.
/// </summary>
public sealed class HubSpotWebhooksTests : IAsyncLifetime
{
    private SandboxServer _sandbox = default!;
    private WebApplication _receiver = default!;
    private string _target = "";
    private readonly ConcurrentQueue<(string Body, string? Signature, string? Timestamp)> _received = new();
    private int _refuseFirst = 1;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync();
        var port = AppProcess.FreePort();
        _target = $"http://127.0.0.1:{port}/webhooks/hubspot";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        _receiver = builder.Build();
        _receiver.MapPost("/webhooks/hubspot", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            _received.Enqueue((body, request.Headers["X-HubSpot-Signature-v3"].FirstOrDefault(), request.Headers["X-HubSpot-Request-Timestamp"].FirstOrDefault()));
            return Interlocked.Exchange(ref _refuseFirst, 0) == 1 ? Results.StatusCode(503) : Results.Ok();
        });
        await _receiver.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task AChangeAsAHubSpotUser_IsDeliveredSignedV3_AndRetriedAfterAFailure()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = new Uri(_sandbox.Url) };
        (await http.PostAsJsonAsync("/_sandbox/hubspot/webhooks", new { targetUrl = _target, retryScale = 0.0005 }, ct)).EnsureSuccessStatusCode();
        var created = await http.PostAsJsonAsync("/_sandbox/hubspot/as-user/contacts", new { properties = new { email = "webhook@example.com", firstname = "Web" } }, ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("id").GetString();

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (_received.Count < 2 && DateTime.UtcNow < deadline) await Task.Delay(50, ct);
        var deliveries = _received.ToList();
        Assert.Equal(2, deliveries.Count);
        foreach (var (body, signature, timestamp) in deliveries)
            Assert.Null(HubSpotSignature.CheckV3(SandboxServer.HubSpotSecret, "POST", _target, body, timestamp, signature, DateTimeOffset.UtcNow));
        var first = JsonDocument.Parse(deliveries[0].Body).RootElement[0];
        var retry = JsonDocument.Parse(deliveries[1].Body).RootElement[0];
        Assert.Equal(("contact.creation", id, "CRM_UI", 0), (first.GetProperty("subscriptionType").GetString(), first.GetProperty("objectId").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            first.GetProperty("changeSource").GetString(), first.GetProperty("attemptNumber").GetInt32()));
        Assert.Equal((first.GetProperty("eventId").GetInt64(), 1), (retry.GetProperty("eventId").GetInt64(), retry.GetProperty("attemptNumber").GetInt32()));
        Assert.Equal(62515, first.GetProperty("portalId").GetInt64());

        // A property change made as a user: one event per property.
        (await http.PatchAsJsonAsync($"/_sandbox/hubspot/as-user/contacts/{id}", new { properties = new { lifecyclestage = "customer" } }, ct)).EnsureSuccessStatusCode();
        deadline = DateTime.UtcNow.AddSeconds(15);
        while (_received.Count < 3 && DateTime.UtcNow < deadline) await Task.Delay(50, ct);
        var change = JsonDocument.Parse(_received.Last().Body).RootElement[0];
        Assert.Equal(("contact.propertyChange", "lifecyclestage", "customer"), (change.GetProperty("subscriptionType").GetString(), change.GetProperty("propertyName").GetString(), change.GetProperty("propertyValue").GetString()));
    }
}
