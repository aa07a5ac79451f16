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
    private SandboxServer _sandbox = default!;
    private PublicAddress _public = default!;
    private CrmWebFactory _factory = default!;
    private ConnectionRef _connection;
    private string? _accountId;
    private HttpClient _control = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private CrmDatabase Database => _factory.Services.GetRequiredService<CrmDatabase>();

    public async ValueTask InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync();
        _public = new PublicAddress();
        _factory = new CrmWebFactory(new Dictionary<string, string>(_sandbox.CrmSettings())
        {
            ["Jobs:Enabled"] = "false", ["Integrations:Google:GmailPushTopic"] = Topic, ["Integrations:Google:GmailPushToken"] = PushToken,
        });
        _public.Start(_factory.CreateClient());
        _control = new HttpClient { BaseAddress = new Uri(_sandbox.Url) };
        (await _control.PostAsJsonAsync("/_sandbox/google/pubsub/subscriptions", new { topic = Topic, pushEndpoint = $"{_public.Url}/webhooks/google/gmail?token={PushToken}" }, Ct))
            .EnsureSuccessStatusCode();
        await _factory.CreateUserAsync(_factory.FirstWorkspaceId, "robin@first.example", "robin-password-1");
        var rep = await BrowserSession.SignInAsync(_factory, "robin@first.example", "robin-password-1");
        Assert.Equal(HttpStatusCode.Redirect, (await _sandbox.ConnectAsync(rep, "google", "email", account: Mailbox, returnUrl: "/me/connections")).StatusCode);
        await using var db = Database.Create(Actor.System(_factory.FirstWorkspaceId));
        var connection = await db.Integrations.SingleAsync(i => i.Type == IntegrationType.Email, Ct);
        _connection = new ConnectionRef(_factory.FirstWorkspaceId, connection.Id, connection.Provider);
        _accountId = connection.AccountId;
        db.Contacts.Add(new Contact { FirstName = "Ada", Email = "ada@engines.example" });
        await db.SaveChangesAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        _control.Dispose();
        await _public.DisposeAsync();
        await _factory.DisposeAsync();
        await _sandbox.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private async Task DeliverAsync(string subject)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("ada@engines.example"));
        message.To.Add(MailboxAddress.Parse(Mailbox));
        message.Subject = subject;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("mail.example");
        message.Body = new TextPart("plain") { Text = subject };
        using var raw = new MemoryStream();
        await message.WriteToAsync(raw, Ct);
        (await _control.PostAsync($"/_sandbox/google/gmail/{Mailbox}/messages?labels=INBOX", new ByteArrayContent(raw.ToArray()), Ct)).EnsureSuccessStatusCode();
    }

    private async Task<SyncRun> SyncAsync()
    {
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(_connection.WorkspaceId, ChangeSource.Sync, $"connection:{_connection.IntegrationId}");
            await scope.ServiceProvider.GetRequiredService<SyncConnectionHandler>().HandleAsync(_connection, IntegrationType.Email, _accountId, "manual", Ct);
        }
        await using var db = Database.Create(Actor.System(_connection.WorkspaceId));
        return await db.SyncRuns.OrderByDescending(r => r.Id).FirstAsync(Ct);
    }

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
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
        {
            var channel = await db.WebhookChannels.AsNoTracking().SingleAsync(c => c.Provider == GmailWatches.Provider, Ct);
            Assert.Equal((_connection.IntegrationId, Mailbox), (channel.IntegrationId, channel.ResourceId));
            Assert.True(channel.ExpiresAt > DateTimeOffset.UtcNow.AddDays(6));
        }

        await DeliverAsync("Pushed");

        var pushed = await PushedAsync();
        Assert.NotNull(pushed);
        Assert.Equal((_connection.WorkspaceId, _connection.IntegrationId.ToString(System.Globalization.CultureInfo.InvariantCulture), "history"),
            (pushed.WorkspaceId!.Value, pushed.Account, pushed.Type));
        Assert.Contains(Mailbox, pushed.Payload, StringComparison.Ordinal);
        await SyncAsync();
        await using var read = Database.Create(Actor.System(_connection.WorkspaceId));
        Assert.Equal("Pushed", (await read.Activities.OfType<EmailActivity>().SingleAsync(Ct)).Subject);
    }

    [Fact]
    public async Task APush_WithoutTheToken_IsRefused_AndOneForAnUnwatchedAddress_IsAcknowledgedAndKeptNowhere()
    {
        await SyncAsync();
        var app = _factory.CreateClient();
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
        Assert.Equal([$"5:{_connection.IntegrationId}"], events.Select(e => e.EventId));
    }

    [Fact]
    public async Task AWatchOlderThanADay_IsRenewed_ByTheNextSync()
    {
        await SyncAsync();
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
            await db.WebhookChannels.Where(c => c.Provider == GmailWatches.Provider).ExecuteUpdateAsync(u => u.SetProperty(c => c.CreatedAt, DateTimeOffset.UtcNow.AddDays(-2)), Ct);

        await SyncAsync();

        await using var read = Database.Create(Actor.System(_connection.WorkspaceId));
        var channel = await read.WebhookChannels.AsNoTracking().SingleAsync(c => c.Provider == GmailWatches.Provider, Ct);
        Assert.True(channel.CreatedAt > DateTimeOffset.UtcNow.AddMinutes(-1), $"watched at {channel.CreatedAt}");
    }
}
