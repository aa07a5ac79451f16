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
    private MailboxRig _rig = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private CrmDatabase Database => _rig.Database;

    public async ValueTask InitializeAsync()
    {
        _rig = await MailboxRig.StartAsync("microsoft", Mailbox, "quinn@first.example", reachable: true, settings: url => new Dictionary<string, string> { ["Integrations:Microsoft:NotificationUrl"] = url + "/webhooks/microsoft" }, ct: Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _rig.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private Task DeliverAsync(string subject) => _rig.DeliverAsync(MailboxRig.Message("ada@engines.example", Mailbox, subject), "inbox", DateTimeOffset.UtcNow, Ct);

    private Task<SyncRun> SyncAsync(string trigger = "manual") => _rig.SyncAsync(trigger, Ct);

    private async Task<List<WebhookChannel>> ChannelsAsync()
    {
        await using var db = Database.Create(Actor.System(_rig.Connection.WorkspaceId));
        return await db.WebhookChannels.AsNoTracking().Where(c => c.IntegrationId == _rig.Connection.IntegrationId).OrderBy(c => c.ResourceId).ToListAsync(Ct);
    }

    [Fact]
    public async Task TheFirstSync_SubscribesInboxAndSentItems_AndNewMailIsNotifiedToTheApp_ForItsConnection()
    {
        var run = await SyncAsync();

        Assert.True(run.Outcome == SyncRunOutcome.Succeeded, run.Error);
        var subscriptions = _rig.Sandbox.GraphSubscriptions.All;
        Assert.Equal(["me/mailFolders('inbox')/messages", "me/mailFolders('sentitems')/messages"], subscriptions.Select(s => s.Resource).Order());
        Assert.All(subscriptions, s => Assert.Equal(_rig.Public!.Url + "/webhooks/microsoft", s.NotificationUrl));
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
            Assert.Equal((_rig.Connection.WorkspaceId, _rig.Connection.IntegrationId.ToString(System.Globalization.CultureInfo.InvariantCulture), "created"),
                (stored.WorkspaceId!.Value, stored.Account, stored.Type));
            Assert.DoesNotContain("clientState", stored.Payload, StringComparison.Ordinal);
        }
        // What the inbox job then starts: the mailbox's sync, which finds the message.
        await SyncAsync();
        await using var read = Database.Create(Actor.System(_rig.Connection.WorkspaceId));
        Assert.Equal("Pushed", (await read.Activities.OfType<EmailActivity>().SingleAsync(Ct)).Subject);
        Assert.Equal(2, _rig.Sandbox.GraphSubscriptions.All.Count);
    }

    [Fact]
    public async Task ASubscriptionAboutToExpire_IsRenewed_AndOneGraphForgot_IsMadeAgain()
    {
        await SyncAsync();
        var channels = await ChannelsAsync();
        var (inbox, sent) = (channels[0], channels[1]);
        await using (var db = Database.Create(Actor.System(_rig.Connection.WorkspaceId)))
            await db.WebhookChannels.Where(c => c.Id == inbox.Id).ExecuteUpdateAsync(u => u.SetProperty(c => c.ExpiresAt, DateTimeOffset.UtcNow.AddHours(5)), Ct);
        Assert.True(_rig.Sandbox.GraphSubscriptions.Forget(sent.ChannelId));
        await using (var db = Database.Create(Actor.System(_rig.Connection.WorkspaceId)))
            await db.WebhookChannels.Where(c => c.Id == sent.Id).ExecuteUpdateAsync(u => u.SetProperty(c => c.ExpiresAt, DateTimeOffset.UtcNow.AddHours(5)), Ct);

        var run = await SyncAsync();

        Assert.True(run.Outcome == SyncRunOutcome.Succeeded, run.Error);
        var after = await ChannelsAsync();
        var renewed = Assert.Single(after, c => c.ChannelId == inbox.ChannelId);
        Assert.True(renewed.ExpiresAt > DateTimeOffset.UtcNow.AddDays(2), $"renewed until {renewed.ExpiresAt}");
        Assert.True(_rig.Sandbox.GraphSubscriptions.All.Single(s => s.Id == inbox.ChannelId).ExpiresAt > DateTimeOffset.UtcNow.AddDays(2));
        Assert.DoesNotContain(after, c => c.ChannelId == sent.ChannelId);
        var remade = Assert.Single(after, c => c.ResourceId == "me/mailFolders('sentitems')/messages");
        Assert.Contains(_rig.Sandbox.GraphSubscriptions.All, s => s.Id == remade.ChannelId);
    }
}
