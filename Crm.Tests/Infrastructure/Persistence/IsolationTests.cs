using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Deals;
using Crm.Core.History;
using Crm.Core.Timeline;
using Crm.Core.Users;
using Crm.Tests.TestSupport;

namespace Crm.Tests.Infrastructure.Persistence;

/// <summary>Another workspace's records, reached through the same use cases the UI calls, look exactly like missing ones.</summary>
public class IsolationTests : IAsyncLifetime
{
    private CrmTestHost _host = default!;
    private TestWorkspace _mine = default!;
    private TestWorkspace _theirs = default!;
    private ContactDetails _theirContact = default!;
    private AccountDetails _theirAccount = default!;
    private DealDetails _theirDeal = default!;
    private ActivityDto _theirNote = default!;

    public async ValueTask InitializeAsync()
    {
        _host = await CrmTestHost.StartAsync();
        _mine = await _host.CreateWorkspaceAsync("Mine");
        _theirs = await _host.CreateWorkspaceAsync("Theirs");
        _theirAccount = await _host.RunAsync<CreateAccountHandler, AccountDetails>(_theirs.Admin(), h => h.HandleAsync(new AccountInput { Name = "Secret Corp" }));
        _theirContact = await _host.RunAsync<CreateContactHandler, ContactDetails>(_theirs.Admin(), h => h.HandleAsync(new ContactInput { FirstName = "Secret", Email = "secret@corp.example", AccountId = _theirAccount.Id }));
        _theirDeal = await _host.RunAsync<CreateDealHandler, DealDetails>(_theirs.Admin(), h => h.HandleAsync(new DealInput { Name = "Secret deal" }));
        _theirNote = await _host.RunAsync<CreateActivityHandler, ActivityDto>(_theirs.Admin(), h => h.HandleAsync(new ActivityInput { Type = ActivityType.Note, ContactId = _theirContact.Id, Body = "secret" }));
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task ReadingAnotherWorkspacesRecordsById_IsNotFound()
    {
        var me = _mine.Admin();
        await Assert.ThrowsAsync<NotFoundException>(() => _host.RunAsync<GetContactHandler, ContactDetails>(me, h => h.HandleAsync(_theirContact.Id)));
        await Assert.ThrowsAsync<NotFoundException>(() => _host.RunAsync<GetAccountHandler, AccountDetails>(me, h => h.HandleAsync(_theirAccount.Id)));
        await Assert.ThrowsAsync<NotFoundException>(() => _host.RunAsync<GetDealHandler, DealDetails>(me, h => h.HandleAsync(_theirDeal.Id)));
        await Assert.ThrowsAsync<NotFoundException>(() => _host.RunAsync<GetActivityHandler, ActivityDto>(me, h => h.HandleAsync(_theirNote.Id)));
        await Assert.ThrowsAsync<NotFoundException>(() => _host.RunAsync<GetTimelineHandler, TimelinePage>(me, h => h.HandleAsync(RecordType.Contact, _theirContact.Id)));
        await Assert.ThrowsAsync<NotFoundException>(() => _host.RunAsync<GetRecordHistoryHandler, RecordHistory>(me, h => h.HandleAsync(RecordType.Contact, _theirContact.Id)));
    }

    [Fact]
    public async Task ChangingOrDeletingAnotherWorkspacesRecords_IsNotFound_AndLeavesThemUntouched()
    {
        var me = _mine.Admin();
        await Assert.ThrowsAsync<NotFoundException>(() => _host.RunAsync<UpdateContactHandler, ContactDetails>(me, h => h.HandleAsync(_theirContact.Id, new ContactInput { FirstName = "Hacked" }, null)));
        await Assert.ThrowsAsync<NotFoundException>(() => _host.RunAsync<DeleteContactHandler>(me, h => h.HandleAsync(_theirContact.Id, null)));
        await Assert.ThrowsAsync<NotFoundException>(() => _host.RunAsync<UpdateAccountHandler, AccountDetails>(me, h => h.HandleAsync(_theirAccount.Id, new AccountInput { Name = "Hacked" }, null)));
        await Assert.ThrowsAsync<NotFoundException>(() => _host.RunAsync<DeleteAccountHandler>(me, h => h.HandleAsync(_theirAccount.Id, null)));
        await Assert.ThrowsAsync<NotFoundException>(() => _host.RunAsync<DeleteDealHandler>(me, h => h.HandleAsync(_theirDeal.Id, null)));
        await Assert.ThrowsAsync<NotFoundException>(() => _host.RunAsync<MoveDealHandler, DealDetails>(me, h => h.HandleAsync(_theirDeal.Id, _theirDeal.StageId, null)));
        await Assert.ThrowsAsync<NotFoundException>(() => _host.RunAsync<DeleteActivityHandler>(me, h => h.HandleAsync(_theirNote.Id, null)));
        await Assert.ThrowsAsync<NotFoundException>(() => _host.RunAsync<SetTaskDoneHandler, ActivityDto>(me, h => h.HandleAsync(_theirNote.Id, true)));

        var still = await _host.RunAsync<GetContactHandler, ContactDetails>(_theirs.Admin(), h => h.HandleAsync(_theirContact.Id));
        Assert.Equal("Secret", still.FirstName);
        Assert.Equal(0, still.Version);
    }

    [Fact]
    public async Task ListsAndSearches_NeverShowAnotherWorkspace()
    {
        var me = _mine.Admin();
        var contacts = await _host.RunAsync<ListContactsHandler, PagedResult<ContactListItem>>(me, h => h.HandleAsync(new ListContactsQuery(Search: "secret")));
        var accounts = await _host.RunAsync<ListAccountsHandler, PagedResult<AccountListItem>>(me, h => h.HandleAsync(new ListAccountsQuery()));
        var deals = await _host.RunAsync<ListDealsHandler, PagedResult<DealListItem>>(me, h => h.HandleAsync(new ListDealsQuery()));
        var activities = await _host.RunAsync<ListActivitiesHandler, PagedResult<ActivityDto>>(me, h => h.HandleAsync(new ListActivitiesQuery()));
        var users = await _host.RunAsync<ListUsersHandler, IReadOnlyList<UserView>>(me, h => h.HandleAsync());

        Assert.Equal(0, contacts.Total);
        Assert.Equal(0, accounts.Total);
        Assert.Equal(0, deals.Total);
        Assert.Equal(0, activities.Total);
        Assert.Equal([_mine.AdminId], users.Select(u => u.Id));
    }

    [Fact]
    public async Task LinkingToAnotherWorkspacesRecords_IsRefusedAsUnknown()
    {
        var me = _mine.Admin();
        var contact = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            _host.RunAsync<CreateContactHandler, ContactDetails>(me, h => h.HandleAsync(new ContactInput { FirstName = "Mine", AccountId = _theirAccount.Id, OwnerId = _theirs.AdminId })));
        Assert.Contains("AccountId", contact.Errors.Keys);
        Assert.Contains("OwnerId", contact.Errors.Keys);

        var note = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            _host.RunAsync<CreateActivityHandler, ActivityDto>(me, h => h.HandleAsync(new ActivityInput { Type = ActivityType.Note, ContactId = _theirContact.Id, Body = "x" })));
        Assert.Contains("ContactId", note.Errors.Keys);

        var deal = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            _host.RunAsync<CreateDealHandler, DealDetails>(me, h => h.HandleAsync(new DealInput { Name = "x", PipelineId = _theirDeal.PipelineId, ContactIds = [_theirContact.Id] })));
        Assert.Contains("PipelineId", deal.Errors.Keys);
    }

    [Fact]
    public async Task AContextOfOneWorkspace_CannotWriteARowOfAnother()
    {
        await using var db = _host.Database.Create(_mine.Admin());
        var stolen = new Contact { Id = _theirContact.Id, WorkspaceId = _theirs.Id, FirstName = "Hacked", Version = 0 };
        db.Contacts.Attach(stolen).Property(c => c.FirstName).IsModified = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AdminOnlyUseCases_RefuseARep()
    {
        var rep = new Actor(_mine.Id, null, UserRole.Rep, ChangeSource.User);

        await Assert.ThrowsAsync<ForbiddenException>(() => _host.RunAsync<ListUsersHandler, IReadOnlyList<UserView>>(rep, h => h.HandleAsync()));
        await Assert.ThrowsAsync<ForbiddenException>(() => _host.RunAsync<CreateUserHandler, UserView>(rep, h => h.HandleAsync(new NewUserInput { Name = "X", Email = "x@example.com" })));
        await Assert.ThrowsAsync<ForbiddenException>(() => _host.RunAsync<Crm.Core.ApiKeys.CreateApiKeyHandler, Crm.Core.ApiKeys.CreatedApiKey>(rep, h => h.HandleAsync(new Crm.Core.ApiKeys.NewApiKeyInput { Name = "x" })));
    }
}
