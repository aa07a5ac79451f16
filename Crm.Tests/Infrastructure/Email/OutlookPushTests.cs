using System.Net;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Integrations.Webhooks;
using Crm.Core.Timeline;
using Crm.Infrastructure.Persistence;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Crm.Tests.Infrastructure.Email;

/// <summary>
/// Graph change notifications for a rep's Outlook mailbox, end to end over real HTTP: the sandbox's Graph checks the
/// app's /webhooks/microsoft by the validation handshake, notifies new mail there with the subscription's clientState,
/// and the app's sync renews what is about to expire and makes again what Graph forgot.
/// </summary>
public class OutlookPushTests : IAsyncLifetime
{
    private const string Mailbox = "quinn@contoso.test";
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
            ["Jobs:Enabled"] = "false", ["Integrations:Microsoft:NotificationUrl"] = _public.Url + "/webhooks/microsoft",
        });
        _public.Start(_factory.CreateClient());
        await _factory.CreateUserAsync(_factory.FirstWorkspaceId, "quinn@first.example", "quinn-password-1");
        var rep = await BrowserSession.SignInAsync(_factory, "quinn@first.example", "quinn-password-1");
        Assert.Equal(HttpStatusCode.Redirect, (await _sandbox.ConnectAsync(rep, "microsoft", "email", account: Mailbox, returnUrl: "/me/connections")).StatusCode);
        await using var db = Database.Create(Actor.System(_factory.FirstWorkspaceId));
        var connection = await db.Integrations.SingleAsync(i => i.Type == IntegrationType.Email, Ct);
        _connection = new ConnectionRef(_factory.FirstWorkspaceId, connection.Id, connection.Provider);
        _accountId = connection.AccountId;
        db.Contacts.Add(new Contact { FirstName = "Ada", Email = "ada@engines.example" });
        await db.SaveChangesAsync(Ct);
        _control = new HttpClient { BaseAddress = new Uri(_sandbox.Url) };
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
        (await _control.PostAsync($"/_sandbox/microsoft/mail/{Mailbox}/messages?folder=inbox", new ByteArrayContent(raw.ToArray()), Ct)).EnsureSuccessStatusCode();
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

    private async Task<List<WebhookChannel>> ChannelsAsync()
    {
        await using var db = Database.Create(Actor.System(_connection.WorkspaceId));
        return await db.WebhookChannels.AsNoTracking().Where(c => c.IntegrationId == _connection.IntegrationId).OrderBy(c => c.ResourceId).ToListAsync(Ct);
    }

    [Fact]
    public async Task TheFirstSync_SubscribesInboxAndSentItems_AndNewMailIsNotifiedToTheApp_ForItsConnection()
    {
        var run = await SyncAsync();

        Assert.True(run.Outcome == SyncRunOutcome.Succeeded, run.Error);
        var subscriptions = _sandbox.GraphSubscriptions.All;
        Assert.Equal(["me/mailFolders('inbox')/messages", "me/mailFolders('sentitems')/messages"], subscriptions.Select(s => s.Resource).Order());
        Assert.All(subscriptions, s => Assert.Equal(_public.Url + "/webhooks/microsoft", s.NotificationUrl));
        var channels = await ChannelsAsync();
        Assert.Equal(subscriptions.Select(s => s.Id).Order(), channels.Select(c => c.ChannelId).Order());
        // The clientState is a secret: the app keeps only its hash.
        Assert.All(channels, c => Assert.Equal(WebhookChannel.HashOf(subscriptions.Single(s => s.Id == c.ChannelId).ClientState!), c.SecretHash));

        await DeliverAsync("Pushed");

        await using (var db = Database.Create(Actor.Anonymous))
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            WebhookEvent? stored = null;
            while (stored is null && DateTime.UtcNow < deadline)
            {
                stored = await db.WebhookEvents.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(e => e.Provider == "microsoft", Ct);
                if (stored is null) await Task.Delay(100, Ct);
            }
            Assert.NotNull(stored);
            Assert.Equal((_connection.WorkspaceId, _connection.IntegrationId.ToString(System.Globalization.CultureInfo.InvariantCulture), "created"),
                (stored.WorkspaceId!.Value, stored.Account, stored.Type));
            Assert.DoesNotContain("clientState", stored.Payload, StringComparison.Ordinal);
        }
        // What the inbox job then starts: the mailbox's sync, which finds the message.
        await SyncAsync();
        await using var read = Database.Create(Actor.System(_connection.WorkspaceId));
        Assert.Equal("Pushed", (await read.Activities.OfType<EmailActivity>().SingleAsync(Ct)).Subject);
        Assert.Equal(2, _sandbox.GraphSubscriptions.All.Count);
    }

    [Fact]
    public async Task ASubscriptionAboutToExpire_IsRenewed_AndOneGraphForgot_IsMadeAgain()
    {
        await SyncAsync();
        var channels = await ChannelsAsync();
        var (inbox, sent) = (channels[0], channels[1]);
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
            await db.WebhookChannels.Where(c => c.Id == inbox.Id).ExecuteUpdateAsync(u => u.SetProperty(c => c.ExpiresAt, DateTimeOffset.UtcNow.AddHours(5)), Ct);
        Assert.True(_sandbox.GraphSubscriptions.Forget(sent.ChannelId));
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
            await db.WebhookChannels.Where(c => c.Id == sent.Id).ExecuteUpdateAsync(u => u.SetProperty(c => c.ExpiresAt, DateTimeOffset.UtcNow.AddHours(5)), Ct);

        var run = await SyncAsync();

        Assert.True(run.Outcome == SyncRunOutcome.Succeeded, run.Error);
        var after = await ChannelsAsync();
        var renewed = Assert.Single(after, c => c.ChannelId == inbox.ChannelId);
        Assert.True(renewed.ExpiresAt > DateTimeOffset.UtcNow.AddDays(2), $"renewed until {renewed.ExpiresAt}");
        Assert.True(_sandbox.GraphSubscriptions.All.Single(s => s.Id == inbox.ChannelId).ExpiresAt > DateTimeOffset.UtcNow.AddDays(2));
        Assert.DoesNotContain(after, c => c.ChannelId == sent.ChannelId);
        var remade = Assert.Single(after, c => c.ResourceId == "me/mailFolders('sentitems')/messages");
        Assert.Contains(_sandbox.GraphSubscriptions.All, s => s.Id == remade.ChannelId);
    }
}
