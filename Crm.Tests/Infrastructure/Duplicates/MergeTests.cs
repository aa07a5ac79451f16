using System.Text.Json;
using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Deals;
using Crm.Core.Integrations;
using Crm.Core.Duplicates;
using Crm.Core.Timeline;
using Crm.Core.Users;
using Crm.Tests.Infrastructure.Imports;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Duplicates;

/// <summary>Merging, undoing and scanning on a real SQLite file.</summary>
public class MergeTests : WorkspaceTests
{
    private Task<ContactDetails> ContactAsync(ContactInput input) => Host.RunAsync<CreateContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(input));

    private Task<ActivityDto> NoteAsync(long contactId, string body) =>
        Host.RunAsync<CreateActivityHandler, ActivityDto>(Ws.Admin(), h => h.HandleAsync(new ActivityInput { Type = ActivityType.Note, ContactId = contactId, Body = body }));

    private Task<DealDetails> DealAsync(string name, params long[] contacts) =>
        Host.RunAsync<CreateDealHandler, DealDetails>(Ws.Admin(), h => h.HandleAsync(new DealInput { Name = name, ContactIds = [.. contacts] }));

    /// <summary>Everything a merge touches, as one comparable text.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var db = Host.Database.Create(Actor.System(Ws.Id));
        var contacts = await db.Contacts.IgnoreQueryFilters(["SoftDelete"]).AsNoTracking().OrderBy(c => c.Id)
            .Select(c => new { c.Id, c.FirstName, c.LastName, c.Email, c.AdditionalEmails, c.Phone, c.JobTitle, c.City, c.AccountId, c.CustomFields, c.DeletedAt, c.MergedIntoId })
            .ToListAsync(TestContext.Current.CancellationToken);
        var activities = await db.Activities.AsNoTracking().OrderBy(a => a.Id).Select(a => new { a.Id, a.ContactId, a.AccountId }).ToListAsync(TestContext.Current.CancellationToken);
        var links = await db.DealContacts.AsNoTracking().OrderBy(d => d.DealId).ThenBy(d => d.ContactId).Select(d => new { d.DealId, d.ContactId }).ToListAsync(TestContext.Current.CancellationToken);
        return JsonSerializer.Serialize(new { contacts, activities, links });
    }

    [Fact]
    public async Task MergingContacts_KeepsTheChosenValues_MovesEverything_LeavesATombstone_AndUndoRestoresIt()
    {
        var winner = await ContactAsync(new ContactInput { FirstName = "Ada", LastName = "Lovelace", Email = "ada@example.com", JobTitle = "Analyst", City = "London" });
        Host.Time.Advance(TimeSpan.FromMinutes(5));
        var loser = await ContactAsync(new ContactInput { FirstName = "Ada", LastName = "Lovelace", Email = "countess@example.com", JobTitle = "Countess", Phone = "+442079460958" });
        await NoteAsync(winner.Id, "Met at the Royal Society");
        await NoteAsync(loser.Id, "Sent the engine notes");
        var shared = await DealAsync("Shared deal", winner.Id, loser.Id);
        var losers = await DealAsync("Loser's deal", loser.Id);
        var before = await SnapshotAsync();

        var merge = await Host.RunAsync<MergeContactsHandler, MergeView>(Ws.Admin(), h => h.HandleAsync(new MergeRequest(winner.Id, loser.Id,
            new Dictionary<string, MergeSide> { ["City"] = MergeSide.Winner, ["JobTitle"] = MergeSide.Loser })));

        await using (var db = Host.Database.Create(Actor.System(Ws.Id)))
        {
            var kept = await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == winner.Id, TestContext.Current.CancellationToken);
            // Chosen: the loser's job title and the winner's city; by default the newer record's non-empty values (phone, email);
            // the email that lost stays as another one.
            Assert.Equal(("Countess", "+442079460958", "London", "countess@example.com"), (kept.JobTitle, kept.Phone, kept.City, kept.Email));
            Assert.Equal(["ada@example.com"], kept.AdditionalEmails);
            Assert.Equal(2, await db.Activities.CountAsync(a => a.ContactId == winner.Id, TestContext.Current.CancellationToken));
            Assert.Equal([shared.Id, losers.Id], await db.DealContacts.Where(d => d.ContactId == winner.Id).OrderBy(d => d.DealId).Select(d => d.DealId).ToListAsync(TestContext.Current.CancellationToken));
            Assert.False(await db.Contacts.AnyAsync(c => c.Id == loser.Id, TestContext.Current.CancellationToken));
            Assert.Contains(await db.FieldChanges.Where(f => f.RecordId == winner.Id).Select(f => f.Field).ToListAsync(TestContext.Current.CancellationToken), f => f == "MergedFrom");
        }
        Assert.Equal((1, 1), (merge.MovedActivities, merge.MovedDeals)); // the shared deal needed no move
        var redirect = await Assert.ThrowsAsync<RecordMergedException>(() => Host.RunAsync<GetContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(loser.Id)));
        Assert.Equal(winner.Id, redirect.WinnerId);
        var timeline = await Host.RunAsync<GetTimelineHandler, TimelinePage>(Ws.Admin(), h => h.HandleAsync(RecordType.Contact, winner.Id));
        Assert.Equal(2, timeline.Entries.Count(e => e.Activity.Type == ActivityType.Note));

        await Host.RunAsync<UndoMergeHandler, MergeView>(Ws.Admin(), h => h.HandleAsync(merge.MergeId));

        Assert.Equal(before, await SnapshotAsync());
        await Assert.ThrowsAsync<ValidationFailedException>(() => Host.RunAsync<UndoMergeHandler, MergeView>(Ws.Admin(), h => h.HandleAsync(merge.MergeId)));
    }

    [Fact]
    public async Task MergingAccounts_MovesTheirContactsDealsAndActivities_AndUndoMovesThemBack()
    {
        var acme = await Host.RunAsync<CreateAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(new AccountInput { Name = "Acme Inc.", Domain = "acme.example" }));
        var copy = await Host.RunAsync<CreateAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(new AccountInput { Name = "ACME, Inc", City = "Springfield" }));
        var person = await ContactAsync(new ContactInput { FirstName = "Wile", AccountId = copy.Id });
        var deal = await Host.RunAsync<CreateDealHandler, DealDetails>(Ws.Admin(), h => h.HandleAsync(new DealInput { Name = "Rockets", AccountId = copy.Id }));
        await Host.RunAsync<CreateActivityHandler, ActivityDto>(Ws.Admin(), h => h.HandleAsync(new ActivityInput { Type = ActivityType.Note, AccountId = copy.Id, Body = "Called" }));

        var merge = await Host.RunAsync<MergeAccountsHandler, MergeView>(Ws.Admin(), h => h.HandleAsync(new MergeRequest(acme.Id, copy.Id)));

        Assert.Equal((1, 1, 1), (merge.MovedContacts, merge.MovedDeals, merge.MovedActivities));
        Assert.Equal(acme.Id, (await Host.RunAsync<GetContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(person.Id))).AccountId);
        Assert.Equal("Springfield", (await Host.RunAsync<GetAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(acme.Id))).City);
        Assert.Equal(acme.Id, (await Assert.ThrowsAsync<RecordMergedException>(() => Host.RunAsync<GetAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(copy.Id)))).WinnerId);

        await Host.RunAsync<UndoMergeHandler, MergeView>(Ws.Admin(), h => h.HandleAsync(merge.MergeId));

        Assert.Equal(copy.Id, (await Host.RunAsync<GetContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(person.Id))).AccountId);
        Assert.Equal(copy.Id, (await Host.RunAsync<GetDealHandler, DealDetails>(Ws.Admin(), h => h.HandleAsync(deal.Id))).AccountId);
        Assert.Null((await Host.RunAsync<GetAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(acme.Id))).City);
    }

    [Fact]
    public async Task Scan_QueuesLikelyPairs_ADismissedPairNeverReturns_AndMergedPairsStayMerged()
    {
        var account = await Host.RunAsync<CreateAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(new AccountInput { Name = "Analytical Engines" }));
        var ada = await ContactAsync(new ContactInput { FirstName = "Ada", LastName = "Lovelace", Email = "ada@example.com", AccountId = account.Id });
        var ada2 = await ContactAsync(new ContactInput { FirstName = "ADA", LastName = "Lovelace", Email = "a.lovelace@example.com", AccountId = account.Id });
        var grace = await ContactAsync(new ContactInput { FirstName = "Grace", Phone = "+1 415 555 2671" });
        var grace2 = await ContactAsync(new ContactInput { FirstName = "Grace H.", Phone = "(415) 555-2671" });
        await ContactAsync(new ContactInput { FirstName = "Charles", LastName = "Babbage", Email = "charles@example.com", AccountId = account.Id });

        await Host.RunAsync<StartDuplicateScanHandler, int>(Ws.Admin(), async h => { await h.HandleAsync(); return 0; });
        var scan = Assert.Single(await Host.Scans.RunAllAsync(TestContext.Current.CancellationToken));
        Assert.Equal((2, 2), (scan.ContactPairs, scan.Queued));

        var queue = await Host.RunAsync<ListDuplicatesHandler, PagedResult<DuplicatePairView>>(Ws.Admin(), h => h.HandleAsync(RecordType.Contact));
        Assert.Equal([90, 88], queue.Items.Select(p => p.Confidence)); // a shared phone with nearly the same name
        Assert.Equal((ada.Id, ada2.Id), (queue.Items[0].A.Id, queue.Items[0].B.Id));

        await Host.RunAsync<DismissDuplicateHandler, int>(Ws.Admin(), async h => { await h.HandleAsync(queue.Items[1].Id); return 0; });
        await Host.RunAsync<MergeContactsHandler, MergeView>(Ws.Admin(), h => h.HandleAsync(new MergeRequest(ada.Id, ada2.Id)));
        await Host.RunAsync<StartDuplicateScanHandler, int>(Ws.Admin(), async h => { await h.HandleAsync(); return 0; });
        await Host.Scans.RunAllAsync(TestContext.Current.CancellationToken);

        Assert.Empty((await Host.RunAsync<ListDuplicatesHandler, PagedResult<DuplicatePairView>>(Ws.Admin(), h => h.HandleAsync(RecordType.Contact))).Items);
        Assert.NotNull(grace2);
        Assert.NotNull(grace);
    }

    [Fact]
    public async Task AutoMerge_MergesCertainPairs_OnlyWhenTheWorkspaceTurnsItOn()
    {
        var first = await ContactAsync(new ContactInput { FirstName = "Ada", Email = "ada@example.com" });
        await using (var db = Host.Database.Create(Actor.System(Ws.Id)))
        {
            // Emails are unique per workspace only after normalisation in the app; a raw insert (an old import) can still hold two.
            var second = new Contact { FirstName = "Augusta", Email = "ADA@example.com" };
            db.Contacts.Add(second);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await Host.Scans.ScheduleScanAsync(Ws.Id, TestContext.Current.CancellationToken);
        Assert.Equal(0, (await Host.Scans.RunAllAsync(TestContext.Current.CancellationToken)).Single().AutoMerged);

        await Host.RunAsync<UpdateDuplicateSettingsHandler, DuplicateSettingsView>(Ws.Admin(), h => h.HandleAsync(new DuplicateSettingsInput { AutoMerge = true }));
        await Host.Scans.ScheduleScanAsync(Ws.Id, TestContext.Current.CancellationToken);
        Assert.Equal(1, (await Host.Scans.RunAllAsync(TestContext.Current.CancellationToken)).Single().AutoMerged);

        var merges = await Host.RunAsync<ListMergesHandler, IReadOnlyList<MergeView>>(Ws.Admin(), h => h.HandleAsync(RecordType.Contact, first.Id));
        Assert.Equal(first.Id, Assert.Single(merges).WinnerId);
    }

    [Fact]
    public async Task CreatingAContact_FindsItsLikelyDuplicates_ByTheScansRules()
    {
        var account = await Host.RunAsync<CreateAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(new AccountInput { Name = "Analytical Engines" }));
        var ada = await ContactAsync(new ContactInput { FirstName = "Ada", LastName = "Lovelace", Email = "ada@example.com", AccountId = account.Id });
        await ContactAsync(new ContactInput { FirstName = "Charles", LastName = "Babbage", AccountId = account.Id });

        var found = await Host.RunAsync<FindContactDuplicatesHandler, IReadOnlyList<PossibleDuplicate>>(Ws.Admin(),
            h => h.HandleAsync(new ContactInput { FirstName = "Ada", LastName = "LOVELACE", Email = "countess@example.com", AccountId = account.Id }));

        var match = Assert.Single(found);
        Assert.Equal((ada.Id, 90), (match.Id, match.Confidence));
        Assert.Empty(await Host.RunAsync<FindContactDuplicatesHandler, IReadOnlyList<PossibleDuplicate>>(Ws.Admin(),
            h => h.HandleAsync(new ContactInput { FirstName = "Grace", Email = "grace@example.com" })));
    }

    [Fact]
    public async Task Reps_CannotMergeDismissOrScan()
    {
        var rep = await Host.RunAsync<CreateUserHandler, UserView>(Ws.Admin(), h => h.HandleAsync(new NewUserInput { Name = "Riley", Email = "riley@acme.example", Role = UserRole.Rep }));
        var actor = new Actor(Ws.Id, rep.Id, UserRole.Rep, ChangeSource.User);
        var a = await ContactAsync(new ContactInput { FirstName = "A" });
        var b = await ContactAsync(new ContactInput { FirstName = "B" });

        await Assert.ThrowsAsync<ForbiddenException>(() => Host.RunAsync<MergeContactsHandler, MergeView>(actor, h => h.HandleAsync(new MergeRequest(a.Id, b.Id))));
        await Assert.ThrowsAsync<ForbiddenException>(() => Host.RunAsync<StartDuplicateScanHandler, int>(actor, async h => { await h.HandleAsync(); return 0; }));
    }

    [Fact]
    public async Task AnImport_SendsItsNewRecordsThroughTheEngine_SoALikelyDuplicateByAnotherRuleReachesTheQueue()
    {
        var account = await Host.RunAsync<CreateAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(new AccountInput { Name = "Analytical Engines" }));
        var ada = await ContactAsync(new ContactInput { FirstName = "Ada", LastName = "Lovelace", Email = "ada@example.com", AccountId = account.Id });

        // Matched by email, the file's Ada is new — but she has Ada's name at Ada's company.
        var import = await Host.ImportAsync(Ws, "First Name,Last Name,Email,Company\nAda,Lovelace,countess@example.com,Analytical Engines\nGrace,Hopper,grace@example.com,\n");
        Assert.Equal(2, import.RowsCreated);
        await Host.Scans.RunAllAsync(TestContext.Current.CancellationToken);

        var queue = await Host.RunAsync<ListDuplicatesHandler, PagedResult<DuplicatePairView>>(Ws.Admin(), h => h.HandleAsync(RecordType.Contact));
        var pair = Assert.Single(queue.Items);
        Assert.Equal(ada.Id, pair.A.Id);
        Assert.Equal("countess@example.com", pair.B.Email);
        Assert.Equal(90, pair.Confidence);
    }

    [Fact]
    public async Task TwoRecordsPickedByHand_CompareByTheSameRules_AndNotADuplicateIsRemembered()
    {
        var a = await ContactAsync(new ContactInput { FirstName = "Ada", LastName = "Lovelace", Phone = "+1 415 555 2671" });
        var b = await ContactAsync(new ContactInput { FirstName = "Augusta", LastName = "King", Phone = "(415) 555-2671" });
        var c = await ContactAsync(new ContactInput { FirstName = "Grace", LastName = "Hopper" });

        var comparison = await Host.RunAsync<GetDuplicateComparisonHandler, DuplicateComparison>(Ws.Admin(), h => h.HandleAsync(RecordType.Contact, b.Id, a.Id));
        Assert.Equal((b.Id, a.Id, 60), (comparison.Pair.A.Id, comparison.Pair.B.Id, comparison.Pair.Confidence)); // a phone alone: possible, not likely
        Assert.Contains(comparison.Fields, f => f.Field == "FirstName" && f.WinnerValue == "Augusta" && f.LoserValue == "Ada");
        var unrelated = await Host.RunAsync<GetDuplicateComparisonHandler, DuplicateComparison>(Ws.Admin(), h => h.HandleAsync(RecordType.Contact, a.Id, c.Id));
        Assert.Equal(0, unrelated.Pair.Confidence);
        await Assert.ThrowsAsync<ValidationFailedException>(() => Host.RunAsync<GetDuplicateComparisonHandler, DuplicateComparison>(Ws.Admin(), h => h.HandleAsync(RecordType.Contact, a.Id, a.Id)));
        await Assert.ThrowsAsync<NotFoundException>(() => Host.RunAsync<GetDuplicateComparisonHandler, DuplicateComparison>(Ws.Admin(), h => h.HandleAsync(RecordType.Contact, a.Id, 999_999)));

        await Host.RunAsync<DismissDuplicateHandler, int>(Ws.Admin(), async h => { await h.HandleAsync(RecordType.Contact, b.Id, a.Id); return 0; });
        await Host.RunAsync<StartDuplicateScanHandler, int>(Ws.Admin(), async h => { await h.HandleAsync(); return 0; });
        await Host.Scans.RunAllAsync(TestContext.Current.CancellationToken);

        Assert.Empty((await Host.RunAsync<ListDuplicatesHandler, PagedResult<DuplicatePairView>>(Ws.Admin(), h => h.HandleAsync(RecordType.Contact))).Items);
        var again = await Host.RunAsync<GetDuplicateComparisonHandler, DuplicateComparison>(Ws.Admin(), h => h.HandleAsync(RecordType.Contact, a.Id, b.Id));
        Assert.Equal(DuplicateStatus.Dismissed, again.Pair.Status);
    }

    [Fact]
    public async Task Merging_MovesTheLosersLinksToOtherSystems_SoTheirIdsStillMatch_AndUndoMovesThemBack()
    {
        var winner = await ContactAsync(new ContactInput { FirstName = "Ada", Email = "ada@example.com" });
        var loser = await ContactAsync(new ContactInput { FirstName = "Ada", Email = "countess@example.com" });
        Task<ExternalLinkView> LinkAsync(long id, string provider, string externalId) => Host.RunAsync<LinkExternalRecordHandler, ExternalLinkView>(Ws.Admin(),
            h => h.HandleAsync(RecordType.Contact, id, new ExternalLinkInput { Provider = provider, ExternalId = externalId }));
        Task<ResolvedLink> ResolveAsync(string provider, string externalId) => Host.RunAsync<ResolveExternalLinkHandler, ResolvedLink>(Ws.Admin(),
            h => h.HandleAsync(provider, RecordType.Contact, externalId));
        await LinkAsync(winner.Id, "hubspot", "51");
        await LinkAsync(loser.Id, "HubSpot", "77");
        await LinkAsync(loser.Id, "salesforce", "0035g00000AbCdE");
        // One id of one system leads to one record; linking it again to the same record changes nothing.
        await Assert.ThrowsAsync<ConflictException>(() => LinkAsync(winner.Id, "hubspot", "77"));
        Assert.Equal(loser.Id, (await LinkAsync(loser.Id, "hubspot", " 77 ")).RecordId);

        var merge = await Host.RunAsync<MergeContactsHandler, MergeView>(Ws.Admin(), h => h.HandleAsync(new MergeRequest(winner.Id, loser.Id)));

        Assert.Equal(2, merge.MovedExternalLinks);
        Assert.Equal((winner.Id, false), ((await ResolveAsync("hubspot", "77")).RecordId, (await ResolveAsync("hubspot", "77")).Merged));
        Assert.Equal(winner.Id, (await ResolveAsync("salesforce", "0035g00000AbCdE")).RecordId);
        var links = await Host.RunAsync<ListExternalLinksHandler, IReadOnlyList<ExternalLinkView>>(Ws.Admin(), h => h.HandleAsync(RecordType.Contact, winner.Id));
        Assert.Equal(["hubspot 51", "hubspot 77", "salesforce 0035g00000AbCdE"], links.Select(l => $"{l.Provider} {l.ExternalId}"));

        await Host.RunAsync<UndoMergeHandler, MergeView>(Ws.Admin(), h => h.HandleAsync(merge.MergeId));

        Assert.Equal(loser.Id, (await ResolveAsync("hubspot", "77")).RecordId);
        Assert.Equal(winner.Id, (await ResolveAsync("hubspot", "51")).RecordId);
        await Assert.ThrowsAsync<NotFoundException>(() => ResolveAsync("hubspot", "999"));
    }

    [Fact]
    public async Task ALinkLeftOnATombstone_StillResolvesToTheRecordKept_AndOtherWorkspacesSeeNoLinks()
    {
        var first = await ContactAsync(new ContactInput { FirstName = "Ada", Email = "ada@example.com" });
        var second = await ContactAsync(new ContactInput { FirstName = "Ada", Email = "countess@example.com" });
        var third = await ContactAsync(new ContactInput { FirstName = "Ada", Email = "lovelace@example.com" });
        await Host.RunAsync<MergeContactsHandler, MergeView>(Ws.Admin(), h => h.HandleAsync(new MergeRequest(second.Id, first.Id)));
        await Host.RunAsync<MergeContactsHandler, MergeView>(Ws.Admin(), h => h.HandleAsync(new MergeRequest(third.Id, second.Id)));
        // Written straight to the first tombstone (as an old sync job might): it leads through both merges.
        await using (var db = Host.Database.Create(Actor.System(Ws.Id)))
        {
            db.SyncRecords.Add(new SyncRecord { Provider = "hubspot", RecordType = RecordType.Contact, RecordId = first.Id, ExternalId = "51" });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var resolved = await Host.RunAsync<ResolveExternalLinkHandler, ResolvedLink>(Ws.Admin(), h => h.HandleAsync("hubspot", RecordType.Contact, "51"));
        Assert.Equal((third.Id, true), (resolved.RecordId, resolved.Merged));

        var other = await Host.CreateWorkspaceAsync("Other");
        await Assert.ThrowsAsync<NotFoundException>(() => Host.RunAsync<ResolveExternalLinkHandler, ResolvedLink>(other.Admin(), h => h.HandleAsync("hubspot", RecordType.Contact, "51")));
        await Assert.ThrowsAsync<NotFoundException>(() => Host.RunAsync<LinkExternalRecordHandler, ExternalLinkView>(other.Admin(),
            h => h.HandleAsync(RecordType.Contact, third.Id, new ExternalLinkInput { Provider = "hubspot", ExternalId = "52" })));
    }

    [Fact]
    public async Task AnAccount_FindsItsLikelyDuplicates_ByDomainAndByNameWithoutLegalForm()
    {
        Task<AccountDetails> AccountAsync(string name, string? domain) => Host.RunAsync<CreateAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(new AccountInput { Name = name, Domain = domain }));
        var acme = await AccountAsync("Acme Inc.", "acme.example");
        var sameName = await AccountAsync("ACME, Inc", null);
        var sameDomain = await AccountAsync("Acme Worldwide", "https://www.acme.example/");
        await AccountAsync("Acme Labs", "acmelabs.example");
        await AccountAsync("Globex", "globex.example");

        var found = await Host.RunAsync<FindAccountDuplicatesHandler, IReadOnlyList<PossibleDuplicate>>(Ws.Admin(), h => h.HandleAsync(acme.Id));
        Assert.Equal([(sameDomain.Id, 100), (sameName.Id, 90)], found.Select(d => (d.Id, d.Confidence)));

        var creating = await Host.RunAsync<FindAccountDuplicatesHandler, IReadOnlyList<PossibleDuplicate>>(Ws.Admin(), h => h.HandleAsync(new AccountInput { Name = "The Acme Corporation" }));
        Assert.Equal([acme.Id, sameName.Id], creating.Select(d => d.Id).Order());
        Assert.Empty(await Host.RunAsync<FindAccountDuplicatesHandler, IReadOnlyList<PossibleDuplicate>>(Ws.Admin(), h => h.HandleAsync(new AccountInput { Name = "Initech" })));
    }

    [Fact]
    public async Task TheQueue_CanBeSearched_ByEitherRecordsNameOrEmail()
    {
        await ContactAsync(new ContactInput { FirstName = "Ada", LastName = "Lovelace", Email = "ada@example.com" });
        await ContactAsync(new ContactInput { FirstName = "Countess", Email = "ADA@example.com" });
        await ContactAsync(new ContactInput { FirstName = "Grace", LastName = "Hopper", Phone = "+1 415 555 2671" });
        await ContactAsync(new ContactInput { FirstName = "Amazing Grace", LastName = "Hopper", Phone = "(415) 555-2671" });
        await Host.RunAsync<StartDuplicateScanHandler, int>(Ws.Admin(), async h => { await h.HandleAsync(); return 0; });
        await Host.Scans.RunAllAsync(TestContext.Current.CancellationToken);
        Task<PagedResult<DuplicatePairView>> SearchAsync(string? search) =>
            Host.RunAsync<ListDuplicatesHandler, PagedResult<DuplicatePairView>>(Ws.Admin(), h => h.HandleAsync(RecordType.Contact, search: search));

        Assert.Equal(2, (await SearchAsync(null)).Total);
        Assert.Equal("Ada Lovelace", Assert.Single((await SearchAsync("lovelace")).Items).A.Name);
        Assert.Equal("Grace Hopper", Assert.Single((await SearchAsync("amazing")).Items).A.Name);
        Assert.Single((await SearchAsync("grace hop")).Items);
        Assert.Empty((await SearchAsync("babbage")).Items);
        Assert.Empty((await SearchAsync("100%")).Items);
    }

    [Fact]
    public async Task TheScanStatus_SaysWhenAScanIsRunning_AndWhatTheLastOneFound()
    {
        Task<DuplicateScanStatus> StatusAsync() => Host.RunAsync<GetDuplicateScanStatusHandler, DuplicateScanStatus>(Ws.Admin(), h => h.HandleAsync());
        Assert.Equal(new DuplicateScanStatus(false, null, null, null, null), await StatusAsync());
        await ContactAsync(new ContactInput { FirstName = "Ada", Email = "ada@example.com" });
        await ContactAsync(new ContactInput { FirstName = "Countess", Email = "ADA@example.com" });

        await Host.RunAsync<StartDuplicateScanHandler, int>(Ws.Admin(), async h => { await h.HandleAsync(); return 0; });
        Assert.True((await StatusAsync()).Running);

        Host.Time.Advance(TimeSpan.FromSeconds(5));
        var scanned = Host.Time.GetUtcNow();
        await Host.Scans.RunAllAsync(TestContext.Current.CancellationToken);
        var done = await StatusAsync();
        Assert.False(done.Running);
        Assert.Equal(1, done.Pairs);
        Assert.InRange(done.FinishedAt!.Value, scanned, Host.Time.GetUtcNow());

        // A scan whose process died is not shown as running for ever.
        await Host.RunAsync<StartDuplicateScanHandler, int>(Ws.Admin(), async h => { await h.HandleAsync(); return 0; });
        Host.Time.Advance(GetDuplicateScanStatusHandler.GivenUpAfter);
        Assert.False((await StatusAsync()).Running);
    }
}
