using System.Net;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Email;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Timeline;
using Crm.Infrastructure.Persistence;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Crm.Tests.Infrastructure.Email;

/// <summary>A rep's Outlook mailbox through the Microsoft Graph SDK against the sandbox's Graph over HTTP: the window per folder, delta links, @removed, an expired delta token.</summary>
public class OutlookSyncTests : IAsyncLifetime
{
    private const string Mailbox = "riley@contoso.test";
    private MailboxRig _rig = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private CrmDatabase Database => _rig.Database;

    public async ValueTask InitializeAsync()
    {
        _rig = await MailboxRig.StartAsync("microsoft", Mailbox, "riley@first.example", ct: Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _rig.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A message put in the sandbox mailbox's folder as Exchange would have received (or sent) it; its Graph id.</summary>
    private Task<string> DeliverAsync(string from, string to, string subject, DateTimeOffset? at = null, string folder = "inbox", bool bulk = false) =>
        _rig.DeliverAsync(MailboxRig.Message(from, to, subject, at, bulk), folder, at, Ct);

    private Task<SyncRun> SyncAsync(string trigger = "manual") => _rig.SyncAsync(trigger, Ct);

    private Task<List<EmailActivity>> EmailsAsync() => _rig.EmailsAsync(Ct);

    [Fact]
    public async Task FirstSync_LogsInboxAndSentItems_InBothDirections_AndSkipsBulk()
    {
        await DeliverAsync("Ada <ada@engines.example>", Mailbox, "Question", DateTimeOffset.UtcNow.AddDays(-3));
        await DeliverAsync(Mailbox, "ada@engines.example", "Answer", DateTimeOffset.UtcNow.AddDays(-2), folder: "sentitems");
        await DeliverAsync("news@engines.example", Mailbox, "Newsletter", bulk: true);

        var run = await SyncAsync();

        Assert.True(run.Outcome == SyncRunOutcome.Succeeded, run.Error);
        var emails = await EmailsAsync();
        Assert.Equal(["Question", "Answer"], emails.Select(e => e.Subject));
        Assert.Equal([ActivityDirection.Inbound, ActivityDirection.Outbound], emails.Select(e => e.Direction));
        Assert.All(emails, e => Assert.Equal((_rig.AdaId, EmailProvider.Outlook), (e.ContactId!.Value, e.Provider)));
        await using var db = Database.Create(Actor.System(_rig.Connection.WorkspaceId));
        Assert.Equal(SkipReasons.Bulk, (await db.MailboxMessages.SingleAsync(s => s.Outcome == MailOutcome.Skipped, Ct)).Reason);
    }

    [Fact]
    public async Task NextSyncs_FollowTheDeltaLinks_RemovedMailIsMarked_AndAnExpiredDeltaTokenRereadsWithoutDuplicates()
    {
        var first = await DeliverAsync("ada@engines.example", Mailbox, "One");
        await SyncAsync();

        await DeliverAsync("ada@engines.example", Mailbox, "Two");
        Assert.Equal(HttpStatusCode.NoContent, (await _rig.Control.DeleteAsync($"/_sandbox/microsoft/mail/{Mailbox}/messages/{Uri.EscapeDataString(first)}", Ct)).StatusCode);
        var second = await SyncAsync();
        Assert.True(second.Outcome == SyncRunOutcome.Succeeded && second.ReadIn == 1, $"{second.Outcome} {second.Error} read {second.ReadIn}");

        Assert.Equal(["One", "Two"], (await EmailsAsync()).Select(e => e.Subject).Order());
        await using (var db = Database.Create(Actor.System(_rig.Connection.WorkspaceId)))
            Assert.True((await db.MailboxMessages.SingleAsync(m => m.ProviderMessageId == first, Ct)).RemovedAtProvider);

        (await _rig.Control.PostAsync($"/_sandbox/microsoft/mail/{Mailbox}/expire-delta", null, Ct)).EnsureSuccessStatusCode();
        await DeliverAsync("ada@engines.example", Mailbox, "Three");
        var run = await SyncAsync();

        Assert.True(run.Outcome == SyncRunOutcome.Succeeded, run.Error);
        Assert.Equal(["One", "Three", "Two"], (await EmailsAsync()).Select(e => e.Subject).Order());
    }

    [Fact]
    public async Task ManyMessages_ArriveOverSeveralPages()
    {
        for (var i = 0; i < 120; i++) await DeliverAsync("ada@engines.example", Mailbox, $"Message {i:000}");

        var run = await SyncAsync();

        Assert.True(run.Outcome == SyncRunOutcome.Succeeded, run.Error);
        Assert.Equal(120, (await EmailsAsync()).Count);
    }

    [Fact]
    public async Task TheNightlyCheck_CountsEveryMessageInTheWindow_AndBackfillsOneThatWasNeverLogged()
    {
        await DeliverAsync("ada@engines.example", Mailbox, "Kept");
        var lost = await DeliverAsync("ada@engines.example", Mailbox, "Lost");
        await DeliverAsync("news@engines.example", Mailbox, "Newsletter", bulk: true);
        await SyncAsync();
        // As if a sync had lost it: neither its activity nor its row exist.
        await using (var db = Database.Create(Actor.System(_rig.Connection.WorkspaceId)))
        {
            var row = await db.MailboxMessages.SingleAsync(m => m.ProviderMessageId == lost, Ct);
            await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM ActivityLinks WHERE ActivityId = {row.ActivityId}", Ct);
            await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM OutboxEvents WHERE ActivityId = {row.ActivityId}", Ct);
            await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM MailboxMessages WHERE Id = {row.Id}", Ct);
            await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM Activities WHERE Id = {row.ActivityId}", Ct);
        }
        Assert.Equal(["Kept"], (await EmailsAsync()).Select(e => e.Subject));

        var run = await SyncAsync(SyncConnectionHandler.Reconcile);

        Assert.True(run.Outcome == SyncRunOutcome.Succeeded, run.Error);
        Assert.Equal(["Kept", "Lost"], (await EmailsAsync()).Select(e => e.Subject).Order());
        await using var read = Database.Create(Actor.System(_rig.Connection.WorkspaceId));
        var check = MailboxCheck.FromJson((await read.SyncStates.SingleAsync(s => s.ObjectType == MailboxCheck.ObjectType, Ct)).Cursor)!;
        Assert.Equal((3, 2, 1, 0, 1), (check.Seen, check.Logged, check.Skipped, check.Missing, check.Backfilled));
        Assert.Equal(1, check.SkippedByReason[SkipReasons.Bulk]);
        Assert.StartsWith("3 seen, 2 logged, 1 skipped by rule, 0 missing", check.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFirstSync_KeepsTheMailboxsFourRequestSlotsBusy_AndNeverAsksForAFifth()
    {
        for (var i = 0; i < 240; i++)
            await DeliverAsync("ada@engines.example", Mailbox, $"Message {i:000}", DateTimeOffset.UtcNow.AddHours(-1 - i * 8), folder: i % 4 == 0 ? "sentitems" : "inbox");
        // Each request takes a while, as Graph's do, so requests overlap only if they are sent side by side.
        (await _rig.Control.PostAsync($"/_sandbox/microsoft/mail/{Mailbox}/latency?baseMs=40&perMessageMs=1", null, Ct)).EnsureSuccessStatusCode();

        var run = await SyncAsync();

        Assert.True(run.Outcome == SyncRunOutcome.Succeeded, run.Error);
        Assert.Equal(240, (await EmailsAsync()).Count);
        var stats = System.Text.Json.JsonDocument.Parse(await _rig.Control.GetStringAsync($"/_sandbox/microsoft/mail/{Mailbox}/stats", Ct)).RootElement;
        Assert.Equal(4, stats.GetProperty("maxInFlight").GetInt32());
        Assert.Equal(0, stats.GetProperty("refusedForConcurrency").GetInt64());

        // The next sync reads only the delta links: nothing read again.
        var requests = stats.GetProperty("requests").GetInt64();
        var next = await SyncAsync();
        var after = System.Text.Json.JsonDocument.Parse(await _rig.Control.GetStringAsync($"/_sandbox/microsoft/mail/{Mailbox}/stats", Ct)).RootElement;
        Assert.Equal((0, 2L), (next.ReadIn, after.GetProperty("requests").GetInt64() - requests));
    }

    [Fact]
    public async Task AMessageArrivingAfterTheFirstSync_IsReadOnItsOwn_FromTheIdsTheDeltaLinkReports()
    {
        await DeliverAsync("ada@engines.example", Mailbox, "Before");
        await SyncAsync();
        await DeliverAsync(Mailbox, "ada@engines.example", "After", folder: "sentitems");

        var run = await SyncAsync();

        Assert.True(run.Outcome == SyncRunOutcome.Succeeded && run.ReadIn == 1, $"{run.Outcome} {run.Error} read {run.ReadIn}");
        var after = (await EmailsAsync()).Single(e => e.Subject == "After");
        Assert.Equal(ActivityDirection.Outbound, after.Direction);
    }

    [Fact]
    public async Task TheNightlyCheck_CountsEveryMessageOfBothFolders_OverSeveralPagesOfIds()
    {
        for (var i = 0; i < 1100; i++) await DeliverAsync("ada@engines.example", Mailbox, $"In {i}", DateTimeOffset.UtcNow.AddMinutes(-i * 4.0));
        await DeliverAsync(Mailbox, "ada@engines.example", "Out 1", folder: "sentitems");
        await DeliverAsync(Mailbox, "ada@engines.example", "Out 2", folder: "sentitems");
        await SyncAsync();

        var run = await SyncAsync(SyncConnectionHandler.Reconcile);

        Assert.True(run.Outcome == SyncRunOutcome.Succeeded, run.Error);
        await using var read = Database.Create(Actor.System(_rig.Connection.WorkspaceId));
        var check = MailboxCheck.FromJson((await read.SyncStates.SingleAsync(s => s.ObjectType == MailboxCheck.ObjectType, Ct)).Cursor)!;
        Assert.Equal((1102, 1102, 0), (check.Seen, check.Logged, check.Missing));
    }

    [Fact]
    public async Task AnAttachment_IsListedAndKept_AndAnInlineImageIsNot()
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("ada@engines.example"));
        message.To.Add(MailboxAddress.Parse(Mailbox));
        message.Subject = "The quote";
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("mail.example");
        var body = new BodyBuilder { HtmlBody = "<p>Attached.</p><img src=\"cid:logo\">" };
        body.Attachments.Add("quote.pdf", "%PDF-1.4 the quote"u8.ToArray(), new ContentType("application", "pdf"));
        var logo = body.LinkedResources.Add("logo.png", new byte[] { 137, 80, 78, 71 }, new ContentType("image", "png"));
        logo.ContentId = "logo";
        message.Body = body.ToMessageBody();
        using var raw = new MemoryStream();
        await message.WriteToAsync(raw, Ct);
        (await _rig.Control.PostAsync($"/_sandbox/microsoft/mail/{Mailbox}/messages?folder=inbox", new ByteArrayContent(raw.ToArray()), Ct)).EnsureSuccessStatusCode();

        var run = await SyncAsync();

        Assert.True(run.Outcome == SyncRunOutcome.Succeeded, run.Error);
        var email = Assert.Single(await EmailsAsync());
        Assert.Equal(1, email.AttachmentCount);
        await using var db = Database.Create(Actor.System(_rig.Connection.WorkspaceId));
        var file = await db.EmailAttachments.SingleAsync(Ct);
        Assert.Equal(("quote.pdf", "application/pdf", 18L), (file.FileName, file.ContentType, file.Size));
        Assert.Equal("%PDF-1.4 the quote"u8.ToArray(), file.Content);
    }
}
