using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Deals;
using Crm.Core.History;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Persistence;

public class RecordKeepingTests : WorkspaceTests
{
    private Task<ContactDetails> CreateContactAsync(ContactInput input) =>
        Host.RunAsync<CreateContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(input));

    [Fact]
    public async Task Create_StampsWorkspaceTimesCreatorAndNormalisesValues()
    {
        var created = await CreateContactAsync(new ContactInput { FirstName = "  Ada ", Email = " Ada@Example.COM ", AdditionalEmails = ["ADA@example.com", "ada@work.example", "ada@work.example"] });

        Assert.Equal("Ada", created.FirstName);
        Assert.Equal("ada@example.com", created.Email);
        Assert.Equal(["ada@work.example"], created.AdditionalEmails);
        Assert.Equal(ChangeSource.User, created.CreatedSource);
        Assert.Equal(0, created.Version);
        Assert.Equal(new DateOnly(2026, 11, 26), DateOnly.FromDateTime(created.CreatedAt.UtcDateTime));
        await using var db = Host.Database.Create(Actor.System(Ws.Id));
        var row = await db.Contacts.SingleAsync(c => c.Id == created.Id, TestContext.Current.CancellationToken);
        Assert.Equal(Ws.Id, row.WorkspaceId);
        Assert.Equal(Ws.AdminId, row.CreatedByUserId);
    }

    [Fact]
    public async Task Delete_IsSoft_HidesTheContactButKeepsTheRowAndRecordsIt()
    {
        var created = await CreateContactAsync(new ContactInput { FirstName = "Gone" });

        await Host.RunAsync<DeleteContactHandler>(Ws.Admin(), h => h.HandleAsync(created.Id, created.Version));

        await Assert.ThrowsAsync<NotFoundException>(() => Host.RunAsync<GetContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(created.Id)));
        var list = await Host.RunAsync<ListContactsHandler, PagedResult<ContactListItem>>(Ws.Admin(), h => h.HandleAsync(new ListContactsQuery()));
        Assert.DoesNotContain(list.Items, c => c.Id == created.Id);
        await using var db = Host.Database.Create(Actor.System(Ws.Id));
        var row = await db.Contacts.IgnoreQueryFilters([Crm.Infrastructure.Persistence.CrmDbContext.SoftDeleteFilter]).SingleAsync(c => c.Id == created.Id, TestContext.Current.CancellationToken);
        Assert.NotNull(row.DeletedAt);
        Assert.Equal(1, row.Version);
        var change = await db.FieldChanges.SingleAsync(f => f.RecordId == created.Id, TestContext.Current.CancellationToken);
        Assert.Equal(ChangeKind.Deleted, change.Kind);
    }

    [Fact]
    public async Task Update_WithAStaleVersion_IsAConflictAndChangesNothing()
    {
        var created = await CreateContactAsync(new ContactInput { FirstName = "Ada" });
        var first = created.ToInput();
        first.LastName = "Lovelace";
        await Host.RunAsync<UpdateContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(created.Id, first, created.Version));

        var second = created.ToInput();
        second.LastName = "Byron";
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Host.RunAsync<UpdateContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(created.Id, second, created.Version)));

        Assert.Equal(1, conflict.CurrentVersion);
        var current = await Host.RunAsync<GetContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(created.Id));
        Assert.Equal("Lovelace", current.LastName);
    }

    [Fact]
    public async Task ConcurrentWriters_TheSecondSaveFailsOnTheVersionToken()
    {
        var created = await CreateContactAsync(new ContactInput { FirstName = "Ada" });
        await using var one = Host.Database.Create(Ws.Admin());
        await using var two = Host.Database.Create(Ws.Admin());
        var a = await one.Contacts.SingleAsync(c => c.Id == created.Id, TestContext.Current.CancellationToken);
        var b = await two.Contacts.SingleAsync(c => c.Id == created.Id, TestContext.Current.CancellationToken);

        a.JobTitle = "Countess";
        await one.SaveChangesAsync(TestContext.Current.CancellationToken);
        b.JobTitle = "Analyst";

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => two.SaveChangesAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Update_RecordsEachChangedFieldWithWhoAndWhen()
    {
        await Host.RunAsync<Crm.Core.CustomFields.CreateCustomFieldHandler, Crm.Core.CustomFields.CustomFieldView>(Ws.Admin(),
            h => h.HandleAsync(new Crm.Core.CustomFields.NewCustomFieldInput { Label = "Tier" }));
        var created = await CreateContactAsync(new ContactInput { FirstName = "Ada", Email = "ada@example.com", CustomFields = new() { ["tier"] = "silver" } });
        var input = created.ToInput();
        input.Email = "ada@lovelace.example";
        input.Lifecycle = Lifecycle.Customer;
        input.CustomFields = new() { ["tier"] = "gold" };
        input.FirstName = "Ada";

        await Host.RunAsync<UpdateContactHandler, ContactDetails>(Ws.Admin(ChangeSource.Api), h => h.HandleAsync(created.Id, input, null));

        await using var db = Host.Database.Create(Actor.System(Ws.Id));
        var changes = await db.FieldChanges.Where(f => f.RecordId == created.Id).OrderBy(f => f.Field).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["Email", "Lifecycle", "custom.tier"], changes.Select(c => c.Field));
        Assert.Equal(("ada@example.com", "ada@lovelace.example"), (changes[0].OldValue, changes[0].NewValue));
        Assert.Equal(("lead", "customer"), (changes[1].OldValue, changes[1].NewValue));
        Assert.Equal(("silver", "gold"), (changes[2].OldValue, changes[2].NewValue));
        Assert.All(changes, c =>
        {
            Assert.Equal(ChangeSource.Api, c.Source);
            Assert.Equal(Ws.AdminId, c.ActorUserId);
            Assert.Equal(RecordType.Contact, c.RecordType);
        });
        var history = await Host.RunAsync<GetRecordHistoryHandler, RecordHistory>(Ws.Admin(), h => h.HandleAsync(RecordType.Contact, created.Id));
        Assert.Equal(3, history.Changes.Total);
        Assert.Equal("Admin of Acme", history.Changes.Items[0].ActorName);
    }

    [Fact]
    public async Task Update_WithIdenticalValues_WritesNoHistoryAndKeepsTheVersion()
    {
        var created = await CreateContactAsync(new ContactInput { FirstName = "Ada", AdditionalEmails = ["a@b.example"] });

        var same = await Host.RunAsync<UpdateContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(created.Id, created.ToInput(), created.Version));

        Assert.Equal(created.Version, same.Version);
        await using var db = Host.Database.Create(Actor.System(Ws.Id));
        Assert.False(await db.FieldChanges.AnyAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Deal_ContactChangesAndStageMoves_AreInItsHistory()
    {
        var ada = await CreateContactAsync(new ContactInput { FirstName = "Ada" });
        var grace = await CreateContactAsync(new ContactInput { FirstName = "Grace" });
        var deal = await Host.RunAsync<CreateDealHandler, DealDetails>(Ws.Admin(), h => h.HandleAsync(new DealInput { Name = "Engine", Amount = 1000, ContactIds = [ada.Id] }));
        Assert.Equal("Qualification", deal.StageName);
        Assert.Equal(10, deal.Probability);
        Assert.Equal("USD", deal.Currency);

        var input = deal.ToInput();
        input.ContactIds = [grace.Id];
        var updated = await Host.RunAsync<UpdateDealHandler, DealDetails>(Ws.Admin(), h => h.HandleAsync(deal.Id, input, deal.Version));
        var pipelines = await Host.RunAsync<ListPipelinesHandler, IReadOnlyList<PipelineView>>(Ws.Admin(), h => h.HandleAsync());
        var proposal = pipelines[0].Stages.Single(s => s.Name == "Proposal");
        var moved = await Host.RunAsync<MoveDealHandler, DealDetails>(Ws.Admin(), h => h.HandleAsync(deal.Id, proposal.Id, updated.Version));

        Assert.Equal(["Grace"], moved.Contacts.Select(c => c.DisplayName));
        Assert.Equal(50, moved.Probability);
        await using var db = Host.Database.Create(Actor.System(Ws.Id));
        var changes = await db.FieldChanges.Where(f => f.RecordType == RecordType.Deal).OrderBy(f => f.Id).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Contains(changes, c => c is { Field: "Contacts", OldValue: not null } && c.OldValue == ada.Id.ToString());
        Assert.Contains(changes, c => c is { Field: "Contacts", NewValue: not null } && c.NewValue == grace.Id.ToString());
        Assert.Contains(changes, c => c.Field == "StageId" && c.NewValue == proposal.Id.ToString());
        Assert.Contains(changes, c => c is { Field: "Probability", OldValue: "10", NewValue: "50" });
    }

    [Fact]
    public async Task Insert_WithoutAWorkspace_IsRefused()
    {
        await using var db = Host.Database.Create(Actor.Anonymous);
        db.Contacts.Add(new Contact { FirstName = "Nobody" });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
        Assert.Contains("without a workspace", error.Message);
    }

    [Fact]
    public async Task Save_DetectsChangesOnce_AndStillStampsVersionsAndHistoryOfWhatChanged()
    {
        var created = await CreateContactAsync(new ContactInput { FirstName = "Ada", LastName = "Lovelace" });
        var ct = TestContext.Current.CancellationToken;
        Host.Time.Advance(TimeSpan.FromMinutes(5));
        await using var db = Host.Database.Create(Ws.Admin());
        var context = (DbContext)db;
        var passes = 0;
        context.ChangeTracker.DetectingAllChanges += (_, _) => passes++;
        var row = await db.Contacts.SingleAsync(c => c.Id == created.Id, ct);
        // Changed on the object itself, not through EF: only change detection can see it.
        row.FirstName = "Augusta";
        db.Contacts.Add(new Contact { FirstName = "Grace" });

        await db.SaveChangesAsync(ct);

        Assert.Equal(1, passes);
        Assert.True(context.ChangeTracker.AutoDetectChangesEnabled);
        await using var check = Host.Database.Create(Actor.System(Ws.Id));
        var saved = await check.Contacts.SingleAsync(c => c.Id == created.Id, ct);
        Assert.Equal(("Augusta", 1), (saved.FirstName, saved.Version));
        Assert.Equal(created.CreatedAt + TimeSpan.FromMinutes(5), saved.UpdatedAt, TimeSpan.FromSeconds(1));
        Assert.Contains(await check.FieldChanges.Where(f => f.RecordId == created.Id).ToListAsync(ct), f => f is { Field: "FirstName", OldValue: "Ada", NewValue: "Augusta" });
        Assert.True(await check.Contacts.AnyAsync(c => c.FirstName == "Grace", ct));
    }
}
