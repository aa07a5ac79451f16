using System.Net;
using System.Net.Http.Json;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Integrations.Webhooks;
using Crm.Core.Timeline;
using Crm.Infrastructure.Email.Gmail;
using Crm.Infrastructure.Persistence;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Crm.Tests.Infrastructure.Email;

/// <summary>
/// Gmail's push end to end over real HTTP: the sync watches the mailbox (users.watch on the configured Pub/Sub topic),
/// the sandbox's Pub/Sub pushes each change to the app's /webhooks/google/gmail with the subscription's token, and the
/// push becomes an inbox event for the connection watching that address — which starts its sync.
/// </summary>
public class GmailPushTests : IAsyncLifetime
{
    private const string Mailbox = "robin@gmail.test";
    private const string Topic = "projects/crm-test-project/topics/gmail-changes";
    private const string PushToken = "push-token-0123456789abcdef";
    private MailboxRig _rig = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private CrmDatabase Database => _rig.Database;

    public async ValueTask InitializeAsync()
    {
        _rig = await MailboxRig.StartAsync("google", Mailbox, "robin@first.example", reachable: true, settings: _ => new Dictionary<string, string> { ["Integrations:Google:GmailPushTopic"] = Topic, ["Integrations:Google:GmailPushToken"] = PushToken }, ct: Ct);
        (await _rig.Control.PostAsJsonAsync("/_sandbox/google/pubsub/subscriptions", new { topic = Topic, pushEndpoint = $"{_rig.Public!.Url}/webhooks/google/gmail?token={PushToken}" }, Ct))
            .EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        await _rig.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private Task DeliverAsync(string subject) => _rig.DeliverAsync(MailboxRig.Message("ada@engines.example", Mailbox, subject), "INBOX", DateTimeOffset.UtcNow, Ct);

    private Task<SyncRun> SyncAsync(string trigger = "manual") => _rig.SyncAsync(trigger, Ct);

    private async Task<WebhookEvent?> PushedAsync()
    {
        await using var db = Database.Create(Actor.Anonymous);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (await db.WebhookEvents.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(e => e.Provider == GmailWatches.Provider, Ct) is { } stored) return stored;
            await Task.Delay(100, Ct);
        }
        return null;
    }

    [Fact]
    public async Task TheFirstSync_WatchesTheMailbox_AndANewMessageIsPushedToTheApp_ForItsConnection()
    {
        var run = await SyncAsync();

        Assert.True(run.Outcome == SyncRunOutcome.Succeeded, run.Error);
        await using (var db = Database.Create(Actor.System(_rig.Connection.WorkspaceId)))
        {
            var channel = await db.WebhookChannels.AsNoTracking().SingleAsync(c => c.Provider == GmailWatches.Provider, Ct);
            Assert.Equal((_rig.Connection.IntegrationId, Mailbox), (channel.IntegrationId, channel.ResourceId));
            Assert.True(channel.ExpiresAt > DateTimeOffset.UtcNow.AddDays(6));
        }

        await DeliverAsync("Pushed");

        var pushed = await PushedAsync();
        Assert.NotNull(pushed);
        Assert.Equal((_rig.Connection.WorkspaceId, _rig.Connection.IntegrationId.ToString(System.Globalization.CultureInfo.InvariantCulture), "history"),
            (pushed.WorkspaceId!.Value, pushed.Account, pushed.Type));
        Assert.Contains(Mailbox, pushed.Payload, StringComparison.Ordinal);
        await SyncAsync();
        await using var read = Database.Create(Actor.System(_rig.Connection.WorkspaceId));
        Assert.Equal("Pushed", (await read.Activities.OfType<EmailActivity>().SingleAsync(Ct)).Subject);
    }

    [Fact]
    public async Task APush_WithoutTheToken_IsRefused_AndOneForAnUnwatchedAddress_IsAcknowledgedAndKeptNowhere()
    {
        await SyncAsync();
        var app = _rig.Factory.CreateClient();
        var data = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{{\"emailAddress\":\"{Mailbox}\",\"historyId\":\"99\"}}"));
        object Envelope(string id, string payload) => new { message = new { data = payload, messageId = id, publishTime = DateTimeOffset.UtcNow }, subscription = "projects/p/subscriptions/s" };

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.PostAsJsonAsync("/webhooks/google/gmail?token=wrong", Envelope("1", data), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.PostAsJsonAsync("/webhooks/google/gmail", Envelope("2", data), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostAsJsonAsync($"/webhooks/google/gmail?token={PushToken}", Envelope("3", "not base64!"), Ct)).StatusCode);
        var stranger = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("{\"emailAddress\":\"someone@else.test\",\"historyId\":\"5\"}"));
        Assert.Equal(HttpStatusCode.OK, (await app.PostAsJsonAsync($"/webhooks/google/gmail?token={PushToken}", Envelope("4", stranger), Ct)).StatusCode);
        // The same Pub/Sub message twice is one event.
        Assert.Equal(HttpStatusCode.OK, (await app.PostAsJsonAsync($"/webhooks/google/gmail?token={PushToken}", Envelope("5", data), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.PostAsJsonAsync($"/webhooks/google/gmail?token={PushToken}", Envelope("5", data), Ct)).StatusCode);

        await using var db = Database.Create(Actor.Anonymous);
        var events = await db.WebhookEvents.IgnoreQueryFilters().AsNoTracking().Where(e => e.Provider == GmailWatches.Provider).ToListAsync(Ct);
        Assert.Equal([$"5:{_rig.Connection.IntegrationId}"], events.Select(e => e.EventId));
    }

    [Fact]
    public async Task AWatchOlderThanADay_IsRenewed_ByTheNextSync()
    {
        await SyncAsync();
        await using (var db = Database.Create(Actor.System(_rig.Connection.WorkspaceId)))
            await db.WebhookChannels.Where(c => c.Provider == GmailWatches.Provider).ExecuteUpdateAsync(u => u.SetProperty(c => c.CreatedAt, DateTimeOffset.UtcNow.AddDays(-2)), Ct);

        await SyncAsync();

        await using var read = Database.Create(Actor.System(_rig.Connection.WorkspaceId));
        var channel = await read.WebhookChannels.AsNoTracking().SingleAsync(c => c.Provider == GmailWatches.Provider, Ct);
        Assert.True(channel.CreatedAt > DateTimeOffset.UtcNow.AddMinutes(-1), $"watched at {channel.CreatedAt}");
    }
}
