using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Duplicates;
using Crm.Core.Users;
using Crm.Tests.TestSupport;

namespace Crm.Tests.Infrastructure.Duplicates;

/// <summary>The queue by group — pairs found by one rule and one shared value — on a real SQLite file, with two workspaces.</summary>
public class DuplicateGroupsTests : WorkspaceTests
{
    private Task<ContactDetails> ContactAsync(TestWorkspace ws, string first, string last, string? phone = null, string? email = null) =>
        Host.RunAsync<CreateContactHandler, ContactDetails>(ws.Admin(), h => h.HandleAsync(new ContactInput { FirstName = first, LastName = last, Phone = phone, Email = email }));

    private async Task ScanAsync(TestWorkspace ws)
    {
        await Host.RunAsync<StartDuplicateScanHandler, int>(ws.Admin(), async h => { await h.HandleAsync(); return 0; });
        await Host.Scans.RunAllAsync(TestContext.Current.CancellationToken);
    }

    private Task<PagedResult<DuplicateGroupView>> GroupsAsync(TestWorkspace ws) =>
        Host.RunAsync<ListDuplicateGroupsHandler, PagedResult<DuplicateGroupView>>(ws.Admin(), h => h.HandleAsync(RecordType.Contact));

    [Fact]
    public async Task Pairs_AreGroupedByRuleAndSharedValue_BiggestFirst_AndAGroupIsDismissedAtOnce_AndCanBeReopened()
    {
        foreach (var first in new[] { "Tobias", "Tabitha", "Theo", "Tom" })
            await ContactAsync(Ws, first, "Wren", phone: "+1 303 555 0199");
        await ContactAsync(Ws, "Ada", "Lovelace", email: "ada@example.com");
        await ContactAsync(Ws, "Ada", "L.", email: "ADA@example.com");
        // Shares the Wrens' phone, but nothing else: a possible duplicate, not one for the queue.
        await ContactAsync(Ws, "Front", "Desk", phone: "(303) 555-0199");
        await ScanAsync(Ws);

        var groups = await GroupsAsync(Ws);
        Assert.Equal(2, groups.Total);
        Assert.Equal(("email", "2 contacts share the email ada@example.com", 1, 100), (groups.Items[0].Rule, groups.Items[0].Label, groups.Items[0].Pairs, groups.Items[0].TopConfidence));
        var phone = groups.Items[1];
        Assert.Equal(("phone", "+13035550199", 6, 4), (phone.Rule, phone.Key, phone.Pairs, phone.Records));
        Assert.Equal("4 contacts share the phone +13035550199", phone.Label);
        var inGroup = await Host.RunAsync<ListDuplicatesHandler, PagedResult<DuplicatePairView>>(Ws.Admin(), h => h.HandleAsync(RecordType.Contact, rule: "phone", key: phone.Key));
        Assert.Equal(6, inGroup.Total);
        Assert.All(inGroup.Items, p => Assert.Contains("Wren", p.A.Name + p.B.Name));

        var dismissed = await Host.RunAsync<DismissDuplicateGroupHandler, IReadOnlyList<long>>(Ws.Admin(), h => h.HandleAsync(RecordType.Contact, "phone", phone.Key));
        Assert.Equal(6, dismissed.Count);
        Assert.Equal(1, (await GroupsAsync(Ws)).Total);
        // Dismissed pairs stay dismissed through a rescan; Undo brings them back.
        await ScanAsync(Ws);
        Assert.Equal(1, (await GroupsAsync(Ws)).Total);
        Assert.Equal(6, await Host.RunAsync<ReopenDuplicatesHandler, int>(Ws.Admin(), h => h.HandleAsync(dismissed)));
        Assert.Equal(2, (await GroupsAsync(Ws)).Total);
        await Assert.ThrowsAsync<ValidationFailedException>(() => Host.RunAsync<DismissDuplicateGroupHandler, IReadOnlyList<long>>(Ws.Admin(), h => h.HandleAsync(RecordType.Contact, "phone", "+19999999999")));
    }

    [Fact]
    public async Task AnotherWorkspace_NeitherSeesNorDismissesTheGroups_AndARepCannotDismiss()
    {
        await ContactAsync(Ws, "Ada", "Lovelace", email: "ada@example.com");
        await ContactAsync(Ws, "Ada", "L.", email: "ada@example.com");
        await ScanAsync(Ws);
        var other = await Host.CreateWorkspaceAsync("Globex");
        Assert.Equal(0, (await GroupsAsync(other)).Total);
        await Assert.ThrowsAsync<ValidationFailedException>(() => Host.RunAsync<DismissDuplicateGroupHandler, IReadOnlyList<long>>(other.Admin(), h => h.HandleAsync(RecordType.Contact, "email", "ada@example.com")));
        var ids = (await Host.RunAsync<ListDuplicatesHandler, PagedResult<DuplicatePairView>>(Ws.Admin(), h => h.HandleAsync(RecordType.Contact))).Items.Select(p => p.Id).ToList();
        Assert.Equal(0, await Host.RunAsync<ReopenDuplicatesHandler, int>(other.Admin(), h => h.HandleAsync(ids)));

        var rep = new Actor(Ws.Id, Ws.AdminId, UserRole.Rep, ChangeSource.User);
        await Assert.ThrowsAsync<ForbiddenException>(() => Host.RunAsync<DismissDuplicateGroupHandler, IReadOnlyList<long>>(rep, h => h.HandleAsync(RecordType.Contact, "email", "ada@example.com")));
        Assert.Equal(1, (await GroupsAsync(Ws)).Total);
    }
}
