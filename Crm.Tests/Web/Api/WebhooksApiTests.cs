using System.Net;
using System.Security.Cryptography;
using System.Text;
using Crm.Core.Integrations.Webhooks;
using Crm.Infrastructure.Persistence;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Web.Api;

/// <summary>HubSpot deliveries through the real pipeline: verified, bounded, stored once, answered at once.</summary>
public class WebhooksApiTests : IAsyncLifetime
{
    private const string Secret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
    private readonly CrmWebFactory _factory = new(new Dictionary<string, string> { ["Integrations:HubSpot:ClientSecret"] = Secret });
    private HttpClient _client = default!;

    public ValueTask InitializeAsync()
    {
        _client = _factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static string Event(long id, string type = "contact.propertyChange") =>
        $$"""{"eventId":{{id}},"subscriptionId":12345,"portalId":62515,"appId":54321,"occurredAt":1764500000000,"subscriptionType":"{{type}}","attemptNumber":0,"objectId":{{id * 10}},"propertyName":"email","propertyValue":"a{{id}}@example.com","changeSource":"CRM"}""";

    private static string Batch(params long[] ids) => "[" + string.Join(",", ids.Select(i => Event(i))) + "]";

    private Task<HttpResponseMessage> DeliverAsync(string body, DateTimeOffset? at = null, string secret = Secret, Action<HttpRequestMessage>? tamper = null)
    {
        var uri = new Uri(_client.BaseAddress!, "/webhooks/hubspot");
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes("POST" + uri + body + timestamp)));
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-HubSpot-Signature-v3", signature);
        request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
        tamper?.Invoke(request);
        return _client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<List<WebhookEvent>> InboxAsync()
    {
        await using var db = _factory.Services.GetRequiredService<CrmDatabase>().Create(Crm.Core.Common.Actor.Anonymous);
        return await db.WebhookEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task SignedDelivery_IsStoredEventByEvent_AndARedeliveryStoresNothingTwice()
    {
        var first = await DeliverAsync(Batch(1, 2, 3));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("\"stored\":3", await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        // HubSpot retries a delivery it thinks failed; the same event can also come twice in one batch.
        var again = await DeliverAsync(Batch(2, 3, 4, 4));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("\"stored\":1,\"duplicates\":3", await again.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        var inbox = await InboxAsync();
        Assert.Equal(["1", "2", "3", "4"], inbox.Select(e => e.EventId));
        Assert.All(inbox, e => Assert.Equal(("hubspot", "62515", "contact.propertyChange", WebhookEventStatus.Received, (long?)null), (e.Provider, e.Account, e.Type, e.Status, e.WorkspaceId)));
        Assert.Equal(Event(1), inbox[0].Payload);
    }

    [Fact]
    public async Task ConcurrentRedeliveries_StoreEachEventOnce()
    {
        var deliveries = Enumerable.Range(0, 8).Select(_ => DeliverAsync(Batch(10, 11, 12, 13, 14)));
        var responses = await Task.WhenAll(deliveries);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(["10", "11", "12", "13", "14"], (await InboxAsync()).Select(e => e.EventId));
    }

    [Fact]
    public async Task ForgedStaleFutureAndUnsignedDeliveries_AreRefused_AndNothingIsStored()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await DeliverAsync(Batch(1), secret: "guessed")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await DeliverAsync(Batch(1), at: DateTimeOffset.UtcNow.AddMinutes(-6))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await DeliverAsync(Batch(1), at: DateTimeOffset.UtcNow.AddMinutes(6))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await DeliverAsync(Batch(1), tamper: r => r.Headers.Remove("X-HubSpot-Signature-v3"))).StatusCode);
        // The body changed after signing (an event added on the way).
        Assert.Equal(HttpStatusCode.Unauthorized, (await DeliverAsync(Batch(1), tamper: r => r.Content = new StringContent(Batch(1, 2), Encoding.UTF8, "application/json"))).StatusCode);

        var refused = await DeliverAsync(Batch(1), secret: "guessed");
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await InboxAsync());
    }

    [Fact]
    public async Task OversizedAndMalformedDeliveries_AreRefusedWithAClearStatus()
    {
        var huge = "[" + string.Join(",", Enumerable.Range(1, 100).Select(i => Event(i).Replace("\"CRM\"", "\"" + new string('x', 3000) + "\""))) + "]";
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await DeliverAsync(huge)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await DeliverAsync(Batch(Enumerable.Range(1, 101).Select(i => (long)i).ToArray()))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await DeliverAsync("{\"eventId\":1}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await DeliverAsync("[{\"portalId\":1}]")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await DeliverAsync("[{\"eventId\":1,")).StatusCode);
        Assert.Empty(await InboxAsync());
    }

    [Fact]
    public async Task MicrosoftGraph_ValidationHandshake_EchoesTheTokenAsPlainText()
    {
        var response = await _client.PostAsync("/webhooks/microsoft?validationToken=Validation%3A%20Testing%20client%20application%20reachability", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Validation: Testing client application reachability", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}

public class WebhooksNotConfiguredTests
{
    [Fact]
    public async Task WithoutAClientSecret_HubSpotDeliveriesAreNotTaken()
    {
        await using var factory = new CrmWebFactory();
        var response = await factory.CreateClient().PostAsync("/webhooks/hubspot", new StringContent("[]", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
