using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Deals;
using Crm.Core.Email;
using Crm.Core.Timeline;
using Crm.Core.Users;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Email;

/// <summary>Logging rules on a real SQLite file: matching, one activity per Message-ID, links, never-log, internal, bulk, auto-create, body access.</summary>
public class EmailLoggingTests : WorkspaceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private long _rep;
    private long _account;
    private long _ada;
    private long _charles;
    private readonly List<long> _openDeals = [];
    private long _wonDeal;
    private const string RepAddress = "riley@acme.example";

    private async Task SeedAsync()
    {
        await using var db = Host.Database.Create(Ws.Admin());
        var rep = new User { Email = RepAddress, Name = "Riley Rep", Role = UserRole.Rep, IsActive = true };
        db.CrmUsers.Add(rep);
        var account = new Account { Name = "Analytical Engines", Domain = "engines.example" };
        db.Accounts.Add(account);
        await db.SaveChangesAsync(Ct);
        var ada = new Contact { FirstName = "Ada", LastName = "Lovelace", Email = "ada.lovelace@gmail.com", AccountId = account.Id };
        var charles = new Contact { FirstName = "Charles", LastName = "Babbage", Email = "charles@engines.example", AdditionalEmails = ["cb@babbage.example"], AccountId = account.Id };
        db.Contacts.AddRange(ada, charles);
        await db.SaveChangesAsync(Ct);
        var stages = await db.PipelineStages.ToListAsync(Ct);
        var open = stages.First(s => !s.IsClosed);
        var won = stages.Single(s => s.IsWon);
        for (var i = 0; i < 6; i++)
        {
            var deal = new Deal { Name = $"Engine {i}", PipelineId = open.PipelineId, StageId = open.Id, AccountId = account.Id };
            db.Deals.Add(deal);
            await db.SaveChangesAsync(Ct);
            db.DealContacts.Add(new DealContact { DealId = deal.Id, ContactId = ada.Id });
            _openDeals.Add(deal.Id);
        }
        var wonDeal = new Deal { Name = "Won engine", PipelineId = won.PipelineId, StageId = won.Id, AccountId = account.Id };
        db.Deals.Add(wonDeal);
        await db.SaveChangesAsync(Ct);
        db.DealContacts.Add(new DealContact { DealId = wonDeal.Id, ContactId = ada.Id });
        await db.SaveChangesAsync(Ct);
        (_rep, _account, _ada, _charles, _wonDeal) = (rep.Id, account.Id, ada.Id, charles.Id, wonDeal.Id);
    }

    private Actor Rep => new(Ws.Id, _rep, UserRole.Rep, ChangeSource.Sync);

    private static IncomingEmail Mail(string messageId, string from, string[] to, string[]? cc = null, string subject = "Engines", bool bulk = false, string? html = null) => new()
    {
        MessageId = messageId,
        From = new MailAddress(from, from.StartsWith("ada", StringComparison.OrdinalIgnoreCase) ? "Ada Lovelace" : null),
        To = to.Select(a => new MailAddress(a)).ToList(),
        Cc = (cc ?? []).Select(a => new MailAddress(a)).ToList(),
        Subject = subject,
        Date = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero),
        TextBody = "About the engines.",
        HtmlBody = html,
        IsBulk = bulk,
    };

    private Task<IReadOnlyList<EmailLogResult>> LogAsync(Actor actor, params EmailToLog[] items) =>
        Host.RunAsync<LogEmailHandler, IReadOnlyList<EmailLogResult>>(actor, h => h.HandleAsync(items, Ct));

    private EmailToLog FromMailbox(string mailbox, string providerId, IncomingEmail email, long? user = null, EmailProvider provider = EmailProvider.Gmail) =>
        new(mailbox, null, providerId, user ?? _rep, provider, email);

    private async Task SetAsync(Action<EmailSettings> change)
    {
        await using var db = Host.Database.Create(Ws.Admin());
        var settings = await EmailSettingsStore.GetOrCreateAsync(db, Ct);
        change(settings);
        await db.SaveChangesAsync(Ct);
    }

    private Task<TimelinePage> TimelineAsync(Actor actor, RecordType type, long id) =>
        Host.RunAsync<GetTimelineHandler, TimelinePage>(actor, h => h.HandleAsync(type, id, ct: Ct));

    [Fact]
    public async Task Logging_MatchesContactsAsTheProviderDelivers_AndLinksTheirAccountAndFiveMostRecentOpenDeals()
    {
        await SeedAsync();
        // Ada's Gmail address written another way, Charles by his additional address, in capitals.
        var email = Mail("<m1@acme.example>", RepAddress, ["AdaLovelace+crm@googlemail.com"], ["CB@Babbage.example"]);

        var result = Assert.Single(await LogAsync(Rep, FromMailbox("integration:1", "g-1", email)));

        Assert.Equal(MailOutcome.Logged, result.Outcome);
        await using var db = Host.Database.Create(Ws.Admin());
        var activity = await db.Activities.OfType<EmailActivity>().SingleAsync(Ct);
        Assert.Equal(ActivityDirection.Outbound, activity.Direction);
        Assert.Equal("m1@acme.example", activity.MessageId);
        Assert.Equal([_rep], activity.MailboxUserIds);
        var links = await db.ActivityLinks.Where(l => l.ActivityId == activity.Id).ToListAsync(Ct);
        Assert.Equal(new[] { _ada, _charles }.Order(), links.Where(l => l.ContactId != null).Select(l => l.ContactId!.Value).Order());
        Assert.Equal([_account], links.Where(l => l.AccountId != null).Select(l => l.AccountId!.Value));
        var deals = links.Where(l => l.DealId != null).Select(l => l.DealId!.Value).ToList();
        Assert.Equal(LogEmailHandler.MaxDealsPerEmail, deals.Count);
        Assert.DoesNotContain(_wonDeal, deals);

        // On each contact's, the account's and a deal's timeline.
        foreach (var (type, id) in new[] { (RecordType.Contact, _ada), (RecordType.Contact, _charles), (RecordType.Account, _account), (RecordType.Deal, deals[0]) })
            Assert.Contains((await TimelineAsync(Ws.Admin(), type, id)).Entries, e => e.Activity.Id == activity.Id);
    }

    [Fact]
    public async Task OneMessageId_FromThreeSourcesAndTwoReps_IsOneActivity_ThatBothRepsHad()
    {
        await SeedAsync();
        var fromAda = Mail("<thread-1@gmail.com>", "ada.lovelace@gmail.com", [RepAddress, $"admin@acme.example"]);

        var gmail = await LogAsync(Rep, FromMailbox("integration:1", "g-1", fromAda));
        var outlook = await LogAsync(Ws.Admin(ChangeSource.Sync), FromMailbox("integration:2", "AAMkAD=", fromAda, Ws.AdminId, EmailProvider.Outlook));
        var bcc = await LogAsync(Rep, FromMailbox(MailboxMessage.LoggingAddress, "thread-1@gmail.com", fromAda, provider: EmailProvider.LoggingAddress));
        // The same provider message again (a retried page): answered from what was recorded.
        var again = await LogAsync(Rep, FromMailbox("integration:1", "g-1", fromAda));

        Assert.All(gmail.Concat(outlook).Concat(bcc).Concat(again), r => Assert.Equal(MailOutcome.Logged, r.Outcome));
        Assert.True(again[0].AlreadyLogged);
        await using var db = Host.Database.Create(Ws.Admin());
        var activity = await db.Activities.OfType<EmailActivity>().SingleAsync(Ct);
        Assert.Equal(ActivityDirection.Inbound, activity.Direction);
        Assert.Equal(new[] { _rep, Ws.AdminId }.Order(), activity.MailboxUserIds.Order());
        Assert.Equal(3, await db.MailboxMessages.CountAsync(Ct));
        Assert.Single((await TimelineAsync(Ws.Admin(), RecordType.Contact, _ada)).Entries);
    }

    [Fact]
    public async Task NeverLog_InternalOnly_AndBulkMail_AreSkippedWithTheirReason_AndBulkIsLoggedWhenAsked()
    {
        await SeedAsync();
        await SetAsync(s => s.NeverLog = ["engines.example"]);

        var results = await LogAsync(Rep,
            FromMailbox("integration:1", "1", Mail("<a@x>", RepAddress, ["charles@engines.example"])),
            FromMailbox("integration:1", "2", Mail("<b@x>", RepAddress, ["admin@acme.example"])),
            FromMailbox("integration:1", "3", Mail("<c@x>", "ada.lovelace@gmail.com", [RepAddress], bulk: true)),
            FromMailbox("integration:1", "4", Mail("<d@x>", RepAddress, ["stranger@elsewhere.example"])));

        Assert.Equal([SkipReasons.NeverLog, SkipReasons.Internal, SkipReasons.Bulk, SkipReasons.NoContact], results.Select(r => r.Reason));
        Assert.All(results, r => Assert.Equal(MailOutcome.Skipped, r.Outcome));

        await SetAsync(s => s.LogBulk = true);
        var bulk = Assert.Single(await LogAsync(Rep, FromMailbox("integration:1", "5", Mail("<e@x>", "ada.lovelace@gmail.com", [RepAddress], bulk: true))));
        Assert.Equal(MailOutcome.Logged, bulk.Outcome);
    }

    [Theory]
    [InlineData(EmailAutoCreate.Off, false, false)]
    [InlineData(EmailAutoCreate.FromSent, true, false)]
    [InlineData(EmailAutoCreate.FromSentAndReceived, true, true)]
    public async Task AutoCreate_MakesContactsOnlyAsTheWorkspaceAsks_AndNeverFromNoReplyAddresses(EmailAutoCreate policy, bool fromSent, bool fromReceived)
    {
        await SeedAsync();
        await SetAsync(s => s.AutoCreate = policy);

        await LogAsync(Rep,
            FromMailbox("integration:1", "1", Mail("<s@x>", RepAddress, ["Grace Hopper <grace@navy.example>", "no-reply@navy.example"]) with
            {
                To = [new MailAddress("grace@navy.example", "Grace Hopper"), new MailAddress("no-reply@navy.example")],
            }),
            FromMailbox("integration:1", "2", Mail("<r@x>", "alan@bletchley.example", [RepAddress]) with { From = new MailAddress("alan@bletchley.example", "Turing, Alan") }));

        await using var db = Host.Database.Create(Ws.Admin());
        var grace = await db.Contacts.SingleOrDefaultAsync(c => c.Email == "grace@navy.example", Ct);
        var alan = await db.Contacts.SingleOrDefaultAsync(c => c.Email == "alan@bletchley.example", Ct);
        Assert.Equal(fromSent, grace is not null);
        Assert.Equal(fromReceived, alan is not null);
        Assert.False(await db.Contacts.AnyAsync(c => c.Email == "no-reply@navy.example", Ct));
        if (grace is not null)
        {
            Assert.Equal(("Grace", "Hopper", _rep, "Email"), (grace.FirstName, grace.LastName, grace.OwnerId, grace.Source));
            Assert.Single((await TimelineAsync(Ws.Admin(), RecordType.Contact, grace.Id)).Entries);
        }
        if (alan is not null) Assert.Equal(("Alan", "Turing"), (alan.FirstName, alan.LastName));
    }

    [Fact]
    public async Task Bodies_AreSanitised_AndPrivateBodiesAreReadOnlyByThoseWhoseMailboxHadThem_NotByTeammatesOrTheApi()
    {
        await SeedAsync();
        var html = "<p onclick=\"steal()\">Hi <a href=\"javascript:alert(1)\">there</a><script>alert(1)</script>"
                   + "<style>@import url(https://tracker.example/a.css)</style><span style=\"background-image:url(https://tracker.example/p.gif)\">x</span></p>";
        await LogAsync(Rep, FromMailbox("integration:1", "1", Mail("<private@x>", "ada.lovelace@gmail.com", [RepAddress], html: html)));

        await using (var db = Host.Database.Create(Ws.Admin()))
        {
            var stored = await db.Activities.OfType<EmailActivity>().SingleAsync(Ct);
            foreach (var bad in new[] { "onclick", "javascript:", "<script", "tracker.example", "@import" })
                Assert.DoesNotContain(bad, stored.HtmlBody!, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Hi", stored.HtmlBody);
        }

        // Shared (the default): the admin reads it.
        Assert.NotNull(((EmailActivity)(await TimelineAsync(Ws.Admin(), RecordType.Contact, _ada)).Entries[0].Activity).Body);
        await SetAsync(s => s.TeammatesSeeBodies = false);
        var admin = (await TimelineAsync(Ws.Admin(), RecordType.Contact, _ada)).Entries[0];
        Assert.True(admin.BodyHidden);
        Assert.Null(((EmailActivity)admin.Activity).Body);
        Assert.Null(((EmailActivity)admin.Activity).HtmlBody);
        Assert.Equal("Engines", ((EmailActivity)admin.Activity).Subject);
        var rep = (await TimelineAsync(Rep with { Source = ChangeSource.User }, RecordType.Contact, _ada)).Entries[0];
        Assert.False(rep.BodyHidden);
        Assert.Equal("About the engines.", ((EmailActivity)rep.Activity).Body);
        var api = await Host.RunAsync<ListActivitiesHandler, PagedResult<ActivityDto>>(new Actor(Ws.Id, null, UserRole.Admin, ChangeSource.Api),
            h => h.HandleAsync(new ListActivitiesQuery(ContactId: _ada), Ct));
        Assert.Null(Assert.Single(api.Items).Body);
    }

    [Fact]
    public async Task AnotherWorkspace_NeitherMatchesTheseContacts_NorSeesTheEmail()
    {
        await SeedAsync();
        await LogAsync(Rep, FromMailbox("integration:1", "1", Mail("<iso@x>", "ada.lovelace@gmail.com", [RepAddress])));
        var other = await Host.CreateWorkspaceAsync("Other");

        var results = await LogAsync(other.Admin(ChangeSource.Sync), new EmailToLog("integration:9", null, "1", other.AdminId, EmailProvider.Gmail,
            Mail("<iso-2@x>", "ada.lovelace@gmail.com", [$"someone@other.example"])));

        Assert.Equal(SkipReasons.NoContact, Assert.Single(results).Reason);
        await using var db = Host.Database.Create(other.Admin());
        Assert.False(await db.Activities.AnyAsync(Ct));
        Assert.False(await db.ActivityLinks.AnyAsync(Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => TimelineAsync(other.Admin(), RecordType.Contact, _ada));
    }

    [Fact]
    public async Task OneBatch_WithAMessageIdTwice_ItsReply_AndAMessageAlreadyLogged_IsSavedAtOnce_AsOneActivityEach()
    {
        await SeedAsync();
        var earlier = await LogAsync(Rep, FromMailbox("integration:1", "old", Mail("<old@gmail.com>", "ada.lovelace@gmail.com", [RepAddress], subject: "Earlier")));
        var sent = Mail("<out-2@acme.example>", RepAddress, ["ada.lovelace@gmail.com"], subject: "Offer");

        // One provider page: the sent mail, its copy under another id (Gmail's Inbox copy of mail to oneself), Ada's
        // answer to it, the earlier mail again under a new id, and the sent mail's own id repeated.
        var results = await LogAsync(Rep,
            FromMailbox("integration:1", "a", sent),
            FromMailbox("integration:1", "b", sent),
            FromMailbox("integration:1", "c", Mail("<in-2@gmail.com>", "ada.lovelace@gmail.com", [RepAddress], subject: "Re: Offer") with { InReplyTo = "<out-2@acme.example>" }),
            FromMailbox("integration:1", "d", Mail("<old@gmail.com>", "ada.lovelace@gmail.com", [RepAddress], subject: "Earlier")),
            FromMailbox("integration:1", "a", sent));

        Assert.Equal(["a", "b", "c", "d", "a"], results.Select(r => r.ProviderMessageId));
        Assert.All(results, r => Assert.Equal(MailOutcome.Logged, r.Outcome));
        Assert.Equal([false, true, false, true, true], results.Select(r => r.AlreadyLogged));
        Assert.Equal(results[0].ActivityId, results[1].ActivityId);
        Assert.Equal(earlier[0].ActivityId, results[3].ActivityId);
        await using var db = Host.Database.Create(Ws.Admin());
        Assert.Equal(["Earlier", "Offer", "Re: Offer"], (await db.Activities.OfType<EmailActivity>().Select(a => a.Subject).ToListAsync(Ct)).Order());
        Assert.NotNull((await db.Activities.OfType<EmailActivity>().SingleAsync(a => a.MessageId == "out-2@acme.example", Ct)).RepliedAt);
        // Each email linked once to Ada (no link twice from the copy in the same batch).
        var offer = results[0].ActivityId!.Value;
        Assert.Equal(1, await db.ActivityLinks.CountAsync(l => l.ActivityId == offer && l.ContactId == _ada, Ct));
        Assert.Equal(5, await db.MailboxMessages.CountAsync(Ct));
    }

    [Fact]
    public async Task AReply_MarksTheEmailItAnswers_AsRepliedTo()
    {
        await SeedAsync();
        await LogAsync(Rep, FromMailbox("integration:1", "1", Mail("<out-1@acme.example>", RepAddress, ["ada.lovelace@gmail.com"])));
        await LogAsync(Rep, FromMailbox("integration:1", "2", Mail("<in-1@gmail.com>", "ada.lovelace@gmail.com", [RepAddress]) with { InReplyTo = "<out-1@acme.example>" }));

        await using var db = Host.Database.Create(Ws.Admin());
        var sent = await db.Activities.OfType<EmailActivity>().SingleAsync(a => a.MessageId == "out-1@acme.example", Ct);
        Assert.NotNull(sent.RepliedAt);
    }

    [Fact]
    public async Task Attachments_AreListed_KeptUpToTheLimit_AndDownloadableOnlyByThoseWhoMayReadTheBody()
    {
        await SeedAsync();
        var big = new byte[EmailLimits.AttachmentBytes + 1];
        var email = Mail("<files@x>", "ada.lovelace@gmail.com", [RepAddress]) with
        {
            Attachments = [new IncomingAttachment("quote.pdf", "application/pdf", 4, [1, 2, 3, 4]), new IncomingAttachment("video.mp4", "video/mp4", big.Length, big)],
        };
        var logged = Assert.Single(await LogAsync(Rep, FromMailbox("integration:1", "1", email)));

        var entry = (await TimelineAsync(Rep with { Source = ChangeSource.User }, RecordType.Contact, _ada)).Entries.Single();
        Assert.Equal([("quote.pdf", true), ("video.mp4", false)], entry.Attachments!.Select(a => (a.FileName, a.Kept)));
        var quote = entry.Attachments![0];
        var file = await Host.RunAsync<GetEmailAttachmentHandler, EmailAttachmentFile>(Rep with { Source = ChangeSource.User }, h => h.HandleAsync(logged.ActivityId!.Value, quote.Id, Ct));
        Assert.Equal([1, 2, 3, 4], file.Content);
        await Assert.ThrowsAsync<NotFoundException>(() => Host.RunAsync<GetEmailAttachmentHandler, EmailAttachmentFile>(Rep, h => h.HandleAsync(logged.ActivityId!.Value, entry.Attachments[1].Id, Ct)));

        // Private bodies: the teammate (here the admin) neither sees the list nor downloads the file.
        await SetAsync(s => s.TeammatesSeeBodies = false);
        Assert.Null((await TimelineAsync(Ws.Admin(), RecordType.Contact, _ada)).Entries.Single().Attachments);
        await Assert.ThrowsAsync<NotFoundException>(() => Host.RunAsync<GetEmailAttachmentHandler, EmailAttachmentFile>(Ws.Admin(), h => h.HandleAsync(logged.ActivityId!.Value, quote.Id, Ct)));
        var other = await Host.CreateWorkspaceAsync("Other");
        await Assert.ThrowsAsync<NotFoundException>(() => Host.RunAsync<GetEmailAttachmentHandler, EmailAttachmentFile>(other.Admin(), h => h.HandleAsync(logged.ActivityId!.Value, quote.Id, Ct)));
    }

    [Fact]
    public async Task ADeliveryReport_MarksTheEmailItIsAbout_AndIsNotLoggedItself()
    {
        await SeedAsync();
        await LogAsync(Rep, FromMailbox("integration:1", "1", Mail("<out-9@acme.example>", RepAddress, ["ada.lovelace@gmail.com"])));
        var dsn = Mail("<dsn-1@mx.example>", "mailer-daemon@mx.example", [RepAddress]) with { Bounce = new BounceReport("<out-9@acme.example>", "5.1.1", "ada.lovelace@gmail.com") };

        var result = Assert.Single(await LogAsync(Rep, FromMailbox("integration:1", "2", dsn)));

        Assert.Equal((MailOutcome.Skipped, SkipReasons.Bounce), (result.Outcome, result.Reason));
        await using var db = Host.Database.Create(Ws.Admin());
        var sent = await db.Activities.OfType<EmailActivity>().SingleAsync(Ct);
        Assert.Equal(BounceType.Hard, sent.BounceType);
        Assert.NotNull(sent.BouncedAt);
    }
}
