using System.Net;
using System.Text;
using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Integrations.Webhooks;
using Crm.Infrastructure.Jobs;
using Crm.Infrastructure.Persistence;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Web.Api;

/// <summary>
/// Microsoft Graph and Google push notifications through the real pipeline (clientState, channel token and resource id
/// checked; stored once, without the secret), and the inbox job attributing every provider's events to connections.
/// </summary>
public sealed class PushNotificationsTests : IAsyncLifetime
{
    private readonly CrmWebFactory _factory = new(new Dictionary<string, string> { ["Jobs:Enabled"] = "false" });
    private HttpClient _client = default!;

    public ValueTask InitializeAsync()
    {
        _client = _factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private CancellationToken Ct => TestContext.Current.CancellationToken;
    private CrmDatabase Database => _factory.Services.GetRequiredService<CrmDatabase>();

    private async Task<ConnectionRef> AddConnectionAsync(long workspaceId, string provider, IntegrationType type, string? accountId = null, bool paused = false)
    {
        await using var db = Database.Create(Actor.System(workspaceId));
        var integration = new Integration { Provider = provider, Type = type, Name = provider, AccountId = accountId, Status = ConnectionStatus.Connected, PausedAt = paused ? DateTimeOffset.UtcNow : null };
        db.Integrations.Add(integration);
        await db.SaveChangesAsync(Ct);
        return new ConnectionRef(workspaceId, integration.Id, provider);
    }

    private async Task<List<WebhookEvent>> InboxAsync()
    {
        await using var db = Database.Create(Actor.Anonymous);
        return await db.WebhookEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync(Ct);
    }

    private static string Graph(string subscription, string? clientState, string resource = "Users/abc/Messages/AAMk1") =>
        $$"""{"subscriptionId":"{{subscription}}","clientState":{{(clientState is null ? "null" : "\"" + clientState + "\"")}},"changeType":"created","resource":"{{resource}}","subscriptionExpirationDateTime":"2026-12-03T11:00:00Z","resourceData":{"@odata.type":"#Microsoft.Graph.Message","id":"AAMk1"},"tenantId":"t1"}""";

    private Task<HttpResponseMessage> PostGraphAsync(params string[] notifications) =>
        _client.PostAsync("/webhooks/microsoft", new StringContent($$"""{"value":[{{string.Join(",", notifications)}}]}""", Encoding.UTF8, "application/json"), Ct);

    [Fact]
    public async Task GraphNotifications_WithTheSubscriptionsClientState_AreStoredOnceWithoutIt_AndForgedOnesAreRefused()
    {
        var mailbox = await AddConnectionAsync(_factory.FirstWorkspaceId, IntegrationProviders.Microsoft, IntegrationType.Email);
        var clientState = await _factory.Services.GetRequiredService<IWebhookChannels>().OpenAsync(mailbox, "sub-1", null, DateTimeOffset.UtcNow.AddDays(2), Ct);

        var accepted = await PostGraphAsync(Graph("sub-1", clientState));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostGraphAsync(Graph("sub-1", clientState))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostGraphAsync(Graph("sub-1", "guessed-state"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostGraphAsync(Graph("sub-1", null))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostGraphAsync(Graph("sub-unknown", clientState))).StatusCode);
        var mixed = await PostGraphAsync(Graph("sub-1", clientState, "Users/abc/Messages/AAMk2"), Graph("sub-1", "forged", "Users/abc/Messages/AAMk3"));
        Assert.Equal(HttpStatusCode.Accepted, mixed.StatusCode);
        Assert.Contains("1 notification(s) refused", await mixed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.PostAsync("/webhooks/microsoft", new StringContent("{\"value\":", Encoding.UTF8, "application/json"), Ct)).StatusCode);
        var huge = new StringContent(new string(' ', WebhookLimits.MaxBodyBytes + 1), Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await _client.PostAsync("/webhooks/microsoft", huge, Ct)).StatusCode);

        var inbox = await InboxAsync();
        Assert.Equal(2, inbox.Count);
        Assert.All(inbox, e => Assert.Equal((_factory.FirstWorkspaceId, mailbox.IntegrationId.ToString(System.Globalization.CultureInfo.InvariantCulture), "created"), (e.WorkspaceId!.Value, e.Account!, e.Type!)));
        Assert.All(inbox, e => Assert.DoesNotContain(clientState, e.Payload, StringComparison.Ordinal));
        Assert.DoesNotContain(inbox, e => e.Payload.Contains("AAMk3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GoogleChannelNotifications_NeedTheChannelsTokenAndResource_AndAreStoredOncePerMessage()
    {
        var calendar = await AddConnectionAsync(_factory.FirstWorkspaceId, IntegrationProviders.Google, IntegrationType.Calendar);
        var token = await _factory.Services.GetRequiredService<IWebhookChannels>().OpenAsync(calendar, "channel-7", "resource-42", DateTimeOffset.UtcNow.AddDays(7), Ct);

        Task<HttpResponseMessage> NotifyAsync(string? channelToken, string resource = "resource-42", string number = "1", string state = "exists")
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/google");
            request.Headers.Add("X-Goog-Channel-ID", "channel-7");
            if (channelToken is not null) request.Headers.Add("X-Goog-Channel-Token", channelToken);
            request.Headers.Add("X-Goog-Resource-ID", resource);
            request.Headers.Add("X-Goog-Resource-State", state);
            request.Headers.Add("X-Goog-Message-Number", number);
            request.Headers.Add("X-Goog-Resource-URI", "https://www.googleapis.com/calendar/v3/calendars/primary/events");
            return _client.SendAsync(request, Ct);
        }

        Assert.Equal(HttpStatusCode.OK, (await NotifyAsync(token, state: "sync")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NotifyAsync(token, number: "2")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NotifyAsync(token, number: "2")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await NotifyAsync("wrong", number: "3")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await NotifyAsync(null, number: "4")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await NotifyAsync(token, resource: "resource-other", number: "5")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.PostAsync("/webhooks/google", null, Ct)).StatusCode);

        var inbox = await InboxAsync();
        Assert.Equal(["channel-7:1", "channel-7:2"], inbox.Select(e => e.EventId));
        Assert.Equal(["sync", "exists"], inbox.Select(e => e.Type!));
        Assert.All(inbox, e => Assert.DoesNotContain(token, e.Payload, StringComparison.Ordinal));
    }

    private sealed class RecordingSchedule : IConnectionSchedule
    {
        public List<(long WorkspaceId, long IntegrationId)> Runs { get; } = [];
        public Task ScheduleAsync(IntegrationView connection, CancellationToken ct = default) => Task.CompletedTask;
        public Task StopAsync(long integrationId, CancellationToken ct = default) => Task.CompletedTask;
        public Task<DateTimeOffset?> NextRunAsync(long integrationId, CancellationToken ct = default) => Task.FromResult<DateTimeOffset?>(null);

        public Task RunNowAsync(long workspaceId, long integrationId, CancellationToken ct = default)
        {
            Runs.Add((workspaceId, integrationId));
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task TheInboxJob_AttributesEventsToTheirConnections_InAnyWorkspace_AndRunsEachConnectionOnce()
    {
        var second = await _factory.CreateWorkspaceAsync("Second");
        var hubspot = await AddConnectionAsync(second, IntegrationProviders.HubSpot, IntegrationType.CrmSync, accountId: "62515");
        var pausedMailbox = await AddConnectionAsync(_factory.FirstWorkspaceId, IntegrationProviders.Microsoft, IntegrationType.Email, paused: true);
        var now = DateTimeOffset.UtcNow;
        await _factory.Services.GetRequiredService<IWebhookInbox>().StoreAsync([
            new WebhookEvent { Provider = "hubspot", EventId = "1", Account = "62515", Type = "contact.creation", Payload = "{}", ReceivedAt = now },
            new WebhookEvent { Provider = "hubspot", EventId = "2", Account = "62515", Type = "contact.propertyChange", Payload = "{}", ReceivedAt = now },
            new WebhookEvent { Provider = "hubspot", EventId = "3", Account = "99999", Type = "contact.creation", Payload = "{}", ReceivedAt = now },
            new WebhookEvent { Provider = "microsoft", EventId = "sha256:x", Account = pausedMailbox.IntegrationId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                WorkspaceId = _factory.FirstWorkspaceId, Type = "created", Payload = "{}", ReceivedAt = now },
            new WebhookEvent { Provider = "hubspot", EventId = "old", Account = "62515", Payload = "{}", ReceivedAt = now.AddDays(-40), Status = WebhookEventStatus.Processed },
        ], Ct);

        var schedule = new RecordingSchedule();
        Assert.Equal(4, await WebhookInboxProcessing.RunAsync(Database, schedule, now, Ct));

        Assert.Equal([(second, hubspot.IntegrationId)], schedule.Runs);
        var inbox = (await InboxAsync()).ToDictionary(e => e.EventId);
        Assert.Equal((WebhookEventStatus.Processed, (long?)second), (inbox["1"].Status, inbox["1"].WorkspaceId));
        Assert.Equal((WebhookEventStatus.Processed, (long?)second), (inbox["2"].Status, inbox["2"].WorkspaceId));
        Assert.Equal((WebhookEventStatus.Ignored, (long?)null), (inbox["3"].Status, inbox["3"].WorkspaceId));
        Assert.Equal(WebhookEventStatus.Processed, inbox["sha256:x"].Status);
        Assert.False(inbox.ContainsKey("old"), "handled events older than 30 days are deleted");
        Assert.Equal(0, await WebhookInboxProcessing.RunAsync(Database, schedule, now, Ct));
    }
}
