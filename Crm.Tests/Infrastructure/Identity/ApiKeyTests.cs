using Crm.Core.ApiKeys;
using Crm.Core.Users;
using Crm.Infrastructure.Identity;
using Crm.Tests.TestSupport;

namespace Crm.Tests.Infrastructure.Identity;

/// <summary>Keys belong to the workspace: stamped when made, kept working when their creator leaves, and flagged for review.</summary>
public class ApiKeyTests : WorkspaceTests
{
    [Fact]
    public async Task ANewKey_IsStampedWithItsCreationTime_AndItsCreator()
    {
        var created = await Host.RunAsync<CreateApiKeyHandler, CreatedApiKey>(Ws.Admin(), h => h.HandleAsync(new NewApiKeyInput { Name = "Zapier" }));

        var listed = Assert.Single(await Host.RunAsync<ListApiKeysHandler, IReadOnlyList<ApiKeyView>>(Ws.Admin(), h => h.HandleAsync()));
        Assert.Equal(Host.Time.GetUtcNow(), listed.CreatedAt, TimeSpan.FromSeconds(1));
        Assert.Equal(created.Key.CreatedAt, listed.CreatedAt);
        Assert.NotNull(listed.CreatedBy);
        Assert.True(listed.CreatorActive);
    }

    [Fact]
    public async Task AKeyWhoseCreatorIsDeactivated_KeepsWorking_AndIsFlagged()
    {
        var other = await Host.RunAsync<CreateUserHandler, UserView>(Ws.Admin(), h => h.HandleAsync(new NewUserInput { Name = "Sam Admin", Email = "sam@acme.example", Role = UserRole.Admin }));
        var byOther = Ws.Admin() with { UserId = other.Id };
        var key = await Host.RunAsync<CreateApiKeyHandler, CreatedApiKey>(byOther, h => h.HandleAsync(new NewApiKeyInput { Name = "Billing sync", Role = UserRole.Admin }));

        await Host.RunAsync<UpdateUserHandler, UserView>(Ws.Admin(), h => h.HandleAsync(other.Id, UserRole.Admin, isActive: false));

        Assert.NotNull(await Host.Resolve<ApiKeyVerifier>().VerifyAsync(key.Secret, TestContext.Current.CancellationToken));
        var listed = Assert.Single(await Host.RunAsync<ListApiKeysHandler, IReadOnlyList<ApiKeyView>>(Ws.Admin(), h => h.HandleAsync()));
        Assert.False(listed.CreatorActive);
        Assert.Equal("Sam Admin", listed.CreatedBy);
    }
}
