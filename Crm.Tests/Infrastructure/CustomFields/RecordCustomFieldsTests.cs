using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.CustomFields;
using Crm.Core.Deals;
using Crm.Core.Duplicates;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.CustomFields;

/// <summary>
/// Accounts and deals keep custom fields as contacts do: values checked against the field's type, kept on the record,
/// shown by its own workspace only, kept when the field is removed, and chosen one by one in a merge.
/// </summary>
public sealed class RecordCustomFieldsTests : WorkspaceTests
{
    private Task<CustomFieldView> FieldAsync(RecordType type, string label, CustomFieldType fieldType, TestWorkspace? ws = null) =>
        Host.RunAsync<CreateCustomFieldHandler, CustomFieldView>((ws ?? Ws).Admin(), h => h.HandleAsync(new NewCustomFieldInput { RecordType = type, Label = label, Type = fieldType }));

    [Fact]
    public async Task AccountCustomFields_AreNormalisedByType_AndABadValueSavesNothing()
    {
        await FieldAsync(RecordType.Account, "Employees", CustomFieldType.Number);
        await FieldAsync(RecordType.Account, "Signed NDA", CustomFieldType.Boolean);

        var account = await Host.RunAsync<CreateAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(new AccountInput
        {
            Name = "Globex", CustomFields = new() { ["employees"] = " 1200.0 ", ["signed_nda"] = "True" },
        }));
        Assert.Equal(new Dictionary<string, string> { ["employees"] = "1200.0", ["signed_nda"] = "true" }, account.CustomFields);

        var input = account.ToInput();
        input.CustomFields!["employees"] = "lots";
        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Host.RunAsync<UpdateAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(account.Id, input, account.Version)));
        Assert.Contains("Employees must be a number", error.Errors["CustomFields"].Single());
        input.CustomFields["employees"] = "1200.0";
        input.CustomFields["colour"] = "red";
        error = await Assert.ThrowsAsync<ValidationFailedException>(() => Host.RunAsync<UpdateAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(account.Id, input, account.Version)));
        Assert.Contains("'colour' is not a custom field of accounts", error.Errors["CustomFields"].Single());

        var stored = await Host.RunAsync<GetAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(account.Id));
        Assert.Equal((0, "1200.0"), (stored.Version, stored.CustomFields["employees"]));
    }

    [Fact]
    public async Task DealCustomFields_AreKeptOnTheDeal_AndClearedByAnEmptyValue()
    {
        await FieldAsync(RecordType.Deal, "Renewal date", CustomFieldType.Date);
        var deal = await Host.RunAsync<CreateDealHandler, DealDetails>(Ws.Admin(), h => h.HandleAsync(new DealInput
        {
            Name = "Renewal 2027", CustomFields = new() { ["renewal_date"] = "2027-03-01" },
        }));
        Assert.Equal("2027-03-01", deal.CustomFields["renewal_date"]);

        var input = deal.ToInput();
        input.CustomFields!["renewal_date"] = "1 March";
        await Assert.ThrowsAsync<ValidationFailedException>(() => Host.RunAsync<UpdateDealHandler, DealDetails>(Ws.Admin(), h => h.HandleAsync(deal.Id, input, deal.Version)));
        input.CustomFields["renewal_date"] = "";
        var cleared = await Host.RunAsync<UpdateDealHandler, DealDetails>(Ws.Admin(), h => h.HandleAsync(deal.Id, input, deal.Version));
        Assert.Empty(cleared.CustomFields);
    }

    [Fact]
    public async Task AnotherWorkspacesField_IsNotAFieldHere()
    {
        var other = await Host.CreateWorkspaceAsync("Other");
        await FieldAsync(RecordType.Account, "Tier", CustomFieldType.Text, other);

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Host.RunAsync<CreateAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(new AccountInput
        {
            Name = "Globex", CustomFields = new() { ["tier"] = "gold" },
        })));
        Assert.Contains("'tier' is not a custom field of accounts", error.Errors["CustomFields"].Single());
        Assert.Empty(await Host.RunAsync<ListCustomFieldsHandler, IReadOnlyList<CustomFieldView>>(Ws.Admin(), h => h.HandleAsync(RecordType.Account)));
    }

    [Fact]
    public async Task ARemovedField_KeepsItsValue_AndTheRecordStillSaves()
    {
        var tier = await FieldAsync(RecordType.Account, "Tier", CustomFieldType.Text);
        var account = await Host.RunAsync<CreateAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(new AccountInput { Name = "Globex", CustomFields = new() { ["tier"] = "gold" } }));
        await Host.RunAsync<DeleteCustomFieldHandler>(Ws.Admin(), h => h.HandleAsync(tier.Id));

        var input = account.ToInput();
        input.City = "Springfield";
        var saved = await Host.RunAsync<UpdateAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(account.Id, input, account.Version));

        Assert.Equal(("Springfield", "gold"), (saved.City, saved.CustomFields["tier"]));
        // A new value for it is refused while it is not defined.
        input = saved.ToInput();
        input.CustomFields!["tier"] = "silver";
        await Assert.ThrowsAsync<ValidationFailedException>(() => Host.RunAsync<UpdateAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(account.Id, input, saved.Version)));
    }

    [Fact]
    public async Task AccountMerge_TakesTheChosenCustomValue_AndUndoPutsItBack()
    {
        await FieldAsync(RecordType.Account, "Tier", CustomFieldType.Text);
        await FieldAsync(RecordType.Account, "Region code", CustomFieldType.Text);
        var winner = await Host.RunAsync<CreateAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(new AccountInput { Name = "Globex", CustomFields = new() { ["tier"] = "gold" } }));
        var loser = await Host.RunAsync<CreateAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(new AccountInput { Name = "Globex Inc", CustomFields = new() { ["tier"] = "silver", ["region_code"] = "EMEA" } }));

        var merge = await Host.RunAsync<MergeAccountsHandler, MergeView>(Ws.Admin(), h => h.HandleAsync(new MergeRequest(winner.Id, loser.Id,
            new Dictionary<string, MergeSide> { ["custom.tier"] = MergeSide.Loser })));

        var merged = await Host.RunAsync<GetAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(winner.Id));
        // Chosen: the loser's tier; by default: the only region code there is.
        Assert.Equal(("silver", "EMEA"), (merged.CustomFields["tier"], merged.CustomFields["region_code"]));

        await Host.RunAsync<UndoMergeHandler, MergeView>(Ws.Admin(), h => h.HandleAsync(merge.MergeId));
        var restored = await Host.RunAsync<GetAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(winner.Id));
        Assert.Equal(new Dictionary<string, string> { ["tier"] = "gold" }, restored.CustomFields);
    }

    [Fact]
    public async Task ARepCannotDefineAField_ForAnyRecordType()
    {
        foreach (var type in new[] { RecordType.Contact, RecordType.Account, RecordType.Deal })
            await Assert.ThrowsAsync<ForbiddenException>(() => Host.RunAsync<CreateCustomFieldHandler, CustomFieldView>(new Actor(Ws.Id, Ws.AdminId, Crm.Core.Users.UserRole.Rep, ChangeSource.User),
                h => h.HandleAsync(new NewCustomFieldInput { RecordType = type, Label = "Tier" })));
        await using var db = Host.Database.Create(Actor.System(Ws.Id));
        Assert.Equal(0, await db.CustomFieldDefinitions.CountAsync());
    }

    [Fact]
    public async Task Activities_HaveNoCustomFields()
    {
        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => FieldAsync(RecordType.Activity, "Mood", CustomFieldType.Text));
        Assert.True(error.Errors.ContainsKey("RecordType"));
    }
}
