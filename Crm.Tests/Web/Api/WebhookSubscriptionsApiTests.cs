using System.Net;
using System.Net.Http.Json;
using Crm.Core.Users;

namespace Crm.Tests.Web.Api;

/// <summary>Outbound webhook endpoints through the real HTTP pipeline: admins only, secrets shown once, isolation.</summary>
public class WebhookSubscriptionsApiTests : ApiTestBase
{
    private static readonly object Endpoint = new { url = "https://93.184.216.34/crm-hooks", eventTypes = new[] { "contact.created", "deal.stage_changed" }, description = "Zap" };

    [Fact]
    public async Task AnAdmin_AddsAnEndpoint_SeesItsSecretOnce_RotatesIt_AndRemovesIt()
    {
        var created = await Admin.PostAsJsonAsync("/api/v1/webhooks/subscriptions", Endpoint);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await JsonAsync(created);
        var id = body.GetProperty("subscription").GetProperty("id").GetInt64();
        var secret = body.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret);

        var read = await Admin.GetStringAsync($"/api/v1/webhooks/subscriptions/{id}");
        var list = await Admin.GetStringAsync("/api/v1/webhooks/subscriptions");
        Assert.DoesNotContain(secret[6..], read);
        Assert.DoesNotContain(secret[6..], list);
        Assert.Contains("deal.stage_changed", read);

        var rotated = await JsonAsync(await Admin.PostAsync($"/api/v1/webhooks/subscriptions/{id}/rotate-secret", null));
        Assert.NotEqual(secret, rotated.GetProperty("secret").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.String, rotated.GetProperty("subscription").GetProperty("previousSecretExpiresAt").ValueKind);

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/api/v1/webhooks/subscriptions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/api/v1/webhooks/subscriptions/{id}")).StatusCode);
    }

    [Fact]
    public async Task APrivateTarget_AnUnknownEventType_OrNoEventType_Is400NamingTheField()
    {
        var privateTarget = await Admin.PostAsJsonAsync("/api/v1/webhooks/subscriptions", new { url = "https://192.168.1.1/in", eventTypes = new[] { "contact.created" } });
        Assert.Equal(HttpStatusCode.BadRequest, privateTarget.StatusCode);
        Assert.Contains("private", await privateTarget.Content.ReadAsStringAsync());
        var unknown = await Admin.PostAsJsonAsync("/api/v1/webhooks/subscriptions", new { url = "https://93.184.216.34/in", eventTypes = new[] { "contact.exploded" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("contact.exploded", await unknown.Content.ReadAsStringAsync());
        var none = await Admin.PostAsJsonAsync("/api/v1/webhooks/subscriptions", new { url = "https://93.184.216.34/in", eventTypes = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        var plainHttp = await Admin.PostAsJsonAsync("/api/v1/webhooks/subscriptions", new { url = "http://93.184.216.34/in", eventTypes = new[] { "contact.created" } });
        Assert.Equal(HttpStatusCode.BadRequest, plainHttp.StatusCode);
    }

    [Fact]
    public async Task ARep_Gets403_AndAnotherWorkspace_Gets404()
    {
        var id = (await JsonAsync(await Admin.PostAsJsonAsync("/api/v1/webhooks/subscriptions", Endpoint))).GetProperty("subscription").GetProperty("id").GetInt64();
        var rep = await Factory.ClientWithKeyAsync(Factory.FirstWorkspaceId, UserRole.Rep);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.GetAsync("/api/v1/webhooks/subscriptions")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostAsJsonAsync("/api/v1/webhooks/subscriptions", Endpoint)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostAsync($"/api/v1/webhooks/subscriptions/{id}/test", null)).StatusCode);

        var other = await Factory.ClientWithKeyAsync(await Factory.CreateWorkspaceAsync("Other"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/webhooks/subscriptions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/v1/webhooks/subscriptions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/webhooks/subscriptions/{id}/deliveries")).StatusCode);
        Assert.Equal("[]", (await other.GetStringAsync("/api/v1/webhooks/subscriptions")).Trim());
    }

    [Fact]
    public async Task ZapiersRestHooks_SubscribeAndUnsubscribe_AndCannotRemoveAnAdminsEndpoint()
    {
        var subscribed = await Admin.PostAsJsonAsync("/api/v1/webhooks/zapier", new { targetUrl = "https://93.184.216.34/hooks/standard/1/abc", @event = "contact.created" });
        Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        var id = (await JsonAsync(subscribed)).GetProperty("id").GetInt64();
        Assert.Contains("\"source\":\"zapier\"", await Admin.GetStringAsync($"/api/v1/webhooks/subscriptions/{id}"));
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/api/v1/webhooks/zapier/{id}")).StatusCode);

        var adminsOwn = (await JsonAsync(await Admin.PostAsJsonAsync("/api/v1/webhooks/subscriptions", Endpoint))).GetProperty("subscription").GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.DeleteAsync($"/api/v1/webhooks/zapier/{adminsOwn}")).StatusCode);
        var unknownEvent = await Admin.PostAsJsonAsync("/api/v1/webhooks/zapier", new { targetUrl = "https://93.184.216.34/hooks/x", @event = "nope" });
        Assert.Equal(HttpStatusCode.BadRequest, unknownEvent.StatusCode);
    }

    [Fact]
    public async Task TheEventsFeed_ListsWhatHappened_NewestFirst_ShapedAsDeliveries_ForAdminsOnly()
    {
        var first = await CreateContactAsync(Admin, new { firstName = "Ada", email = "ada@feed.example" });
        var second = await CreateContactAsync(Admin, new { firstName = "Grace", email = "grace@feed.example" });

        var page = await JsonAsync(await Admin.GetAsync("/api/v1/webhooks/events?type=contact.created&limit=1"));
        var newest = page.GetProperty("events")[0];
        Assert.Equal("contact.created", newest.GetProperty("type").GetString());
        Assert.Equal(second, newest.GetProperty("data").GetProperty("object").GetProperty("id").GetInt64());
        var older = await JsonAsync(await Admin.GetAsync($"/api/v1/webhooks/events?type=contact.created&limit=1&before={page.GetProperty("next").GetInt64()}"));
        Assert.Equal(first, older.GetProperty("events")[0].GetProperty("data").GetProperty("object").GetProperty("id").GetInt64());

        var rep = await Factory.ClientWithKeyAsync(Factory.FirstWorkspaceId, UserRole.Rep);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.GetAsync("/api/v1/webhooks/events")).StatusCode);
        var other = await Factory.ClientWithKeyAsync(await Factory.CreateWorkspaceAsync("Other"));
        Assert.Equal(0, (await JsonAsync(await other.GetAsync("/api/v1/webhooks/events"))).GetProperty("events").GetArrayLength());
    }
}
