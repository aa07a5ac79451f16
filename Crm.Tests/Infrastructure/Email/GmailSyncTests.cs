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

/// <summary>A rep's Gmail against the sandbox's Gmail API over HTTP: the window, history, deletions, an expired history id.</summary>
public class GmailSyncTests : IAsyncLifetime
{
    private const string Mailbox = "riley@gmail.test";
    private MailboxRig _rig = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private CrmDatabase Database => _rig.Database;

    public async ValueTask InitializeAsync()
    {
        _rig = await MailboxRig.StartAsync("google", Mailbox, "riley@first.example", ct: Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _rig.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A message put in the sandbox mailbox as Gmail would have received (or sent) it; its Gmail id.</summary>
    private Task<string> DeliverAsync(string from, string to, string subject, DateTimeOffset? at = null, string labels = "INBOX", bool bulk = false) =>
        _rig.DeliverAsync(MailboxRig.Message(from, to, subject, at, bulk), labels, at, Ct);

    private Task<SyncRun> SyncAsync(string trigger = "manual") => _rig.SyncAsync(trigger, Ct);

    private Task<List<EmailActivity>> EmailsAsync() => _rig.EmailsAsync(Ct);

    [Fact]
    public async Task FirstSync_LogsTheWindowsMailWithContacts_InBothDirections_AndSkipsBulkOldSpamAndDrafts()
    {
        await DeliverAsync("Ada <ada@engines.example>", Mailbox, "Question", DateTimeOffset.UtcNow.AddDays(-3));
        await DeliverAsync(Mailbox, "ada@engines.example", "Answer", DateTimeOffset.UtcNow.AddDays(-2), labels: "SENT");
        await DeliverAsync("news@engines.example", Mailbox, "Newsletter", bulk: true);
        await DeliverAsync("ada@engines.example", Mailbox, "Long ago", DateTimeOffset.UtcNow.AddDays(-120));
        await DeliverAsync("ada@engines.example", Mailbox, "Spam", labels: "SPAM");
        await DeliverAsync(Mailbox, "ada@engines.example", "Unsent", labels: "DRAFT");

        var run = await SyncAsync();

        Assert.Equal(SyncRunOutcome.Succeeded, run.Outcome);
        var emails = await EmailsAsync();
        Assert.Equal(["Question", "Answer"], emails.Select(e => e.Subject));
        Assert.Equal([ActivityDirection.Inbound, ActivityDirection.Outbound], emails.Select(e => e.Direction));
        Assert.All(emails, e => Assert.Equal((_rig.AdaId, EmailProvider.Gmail), (e.ContactId!.Value, e.Provider)));
        await using var db = Database.Create(Actor.System(_rig.Connection.WorkspaceId));
        var seen = await db.MailboxMessages.ToListAsync(Ct);
        Assert.Equal(4, seen.Count);
        Assert.Equal([SkipReasons.Bulk, SkipReasons.NotMail], seen.Where(s => s.Outcome == MailOutcome.Skipped).Select(s => s.Reason).Order());
    }

    [Fact]
    public async Task NextSyncs_ReadHistory_NewMailIsLogged_DeletedMailIsMarked_AndAnExpiredHistoryIdResyncsWithoutDuplicates()
    {
        var first = await DeliverAsync("ada@engines.example", Mailbox, "One");
        await SyncAsync();

        await DeliverAsync("ada@engines.example", Mailbox, "Two");
        Assert.Equal(HttpStatusCode.NoContent, (await _rig.Control.DeleteAsync($"/_sandbox/google/gmail/{Mailbox}/messages/{first}", Ct)).StatusCode);
        var second = await SyncAsync();
        Assert.True(second.Outcome == SyncRunOutcome.Succeeded && second.ReadIn == 1, $"{second.Outcome} {second.Error} read {second.ReadIn} written {second.WrittenIn} calls {second.ApiCalls}");

        Assert.Equal(["One", "Two"], (await EmailsAsync()).Select(e => e.Subject).Order());
        await using (var db = Database.Create(Actor.System(_rig.Connection.WorkspaceId)))
            Assert.True((await db.MailboxMessages.SingleAsync(m => m.ProviderMessageId == first, Ct)).RemovedAtProvider);

        // Gmail forgets the history; the next run starts the window again and logs only what is new.
        (await _rig.Control.PostAsync($"/_sandbox/google/gmail/{Mailbox}/expire-history", null, Ct)).EnsureSuccessStatusCode();
        await DeliverAsync("ada@engines.example", Mailbox, "Three");
        var run = await SyncAsync();

        Assert.Equal(SyncRunOutcome.Succeeded, run.Outcome);
        Assert.Equal(["One", "Three", "Two"], (await EmailsAsync()).Select(e => e.Subject).Order());
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
}
