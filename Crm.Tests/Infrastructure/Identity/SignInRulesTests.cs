using Crm.Core.Common;
using Crm.Core.Users;
using Crm.Infrastructure.Identity;
using Crm.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Infrastructure.Identity;

public class SignInRulesTests : WorkspaceTests
{
    private async Task<PasswordSignInResult> SignInAsync(string email, string password)
    {
        await using var scope = Host.Resolve<IServiceProvider>().CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PasswordSignIn>().CheckAsync(email, password);
    }

    private Task<UserView> AddRepAsync(string email, string? password = "rep-password-123") =>
        Host.RunAsync<CreateUserHandler, UserView>(Ws.Admin(), h => h.HandleAsync(new NewUserInput { Name = "Riley", Email = email, Role = UserRole.Rep, Password = password }));

    [Fact]
    public async Task NewUser_CanSignInWithTheirPassword_CaseInsensitiveEmail()
    {
        await AddRepAsync("riley@acme.example");

        var result = await SignInAsync("Riley@Acme.Example", "rep-password-123");

        Assert.Equal(SignInOutcome.Succeeded, result.Outcome);
        Assert.Equal(Ws.Id, result.Membership!.WorkspaceId);
        Assert.Equal(UserRole.Rep, result.Membership.Role);
    }

    [Fact]
    public async Task FiveWrongPasswords_LockTheAccount_EvenForTheRightOne()
    {
        await AddRepAsync("riley@acme.example");
        for (var i = 0; i < 4; i++) Assert.Equal(SignInOutcome.Failed, (await SignInAsync("riley@acme.example", "wrong-guess")).Outcome);

        Assert.Equal(SignInOutcome.LockedOut, (await SignInAsync("riley@acme.example", "wrong-guess")).Outcome);
        var locked = await SignInAsync("riley@acme.example", "rep-password-123");
        Assert.Equal(SignInOutcome.LockedOut, locked.Outcome);
        Assert.NotNull(locked.LockedOutUntil);
    }

    [Fact]
    public async Task DeactivatedUser_CannotSignIn_AndIsNoLongerAnActor()
    {
        var rep = await AddRepAsync("riley@acme.example");

        await Host.RunAsync<UpdateUserHandler, UserView>(Ws.Admin(), h => h.HandleAsync(rep.Id, UserRole.Rep, isActive: false));

        Assert.Equal(SignInOutcome.Inactive, (await SignInAsync("riley@acme.example", "rep-password-123")).Outcome);
        var member = await Host.Resolve<Memberships>().FindAsync(Ws.Id, rep.Id);
        Assert.False(member!.IsActive);
        var options = await Host.RunAsync<ListUserOptionsHandler, IReadOnlyList<UserOption>>(Ws.Admin(), h => h.HandleAsync());
        Assert.DoesNotContain(options, o => o.Id == rep.Id);
    }

    [Fact]
    public async Task UnknownEmail_FailsLikeAWrongPassword()
    {
        Assert.Equal(SignInOutcome.Failed, (await SignInAsync("nobody@nowhere.example", "whatever-password")).Outcome);
    }

    [Fact]
    public async Task WeakPassword_IsRefusedOnThePasswordField_AndNoUserIsCreated()
    {
        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => AddRepAsync("riley@acme.example", "short"));

        Assert.Contains("Password", error.Errors.Keys);
        var users = await Host.RunAsync<ListUsersHandler, IReadOnlyList<UserView>>(Ws.Admin(), h => h.HandleAsync());
        Assert.DoesNotContain(users, u => u.Email == "riley@acme.example");
    }

    [Fact]
    public async Task DuplicateEmail_InTheSameWorkspace_IsRefused()
    {
        await AddRepAsync("riley@acme.example");

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => AddRepAsync("RILEY@acme.example", null));

        Assert.Contains("Email", error.Errors.Keys);
    }

    [Fact]
    public async Task TheLastActiveAdmin_CannotBeDemotedOrDeactivated()
    {
        var rep = await AddRepAsync("riley@acme.example");
        await Host.RunAsync<UpdateUserHandler, UserView>(Ws.Admin(), h => h.HandleAsync(rep.Id, UserRole.Admin, true));
        var riley = new Actor(Ws.Id, rep.Id, UserRole.Admin, ChangeSource.User);

        // Riley demotes the original admin: fine, Riley is still an admin.
        await Host.RunAsync<UpdateUserHandler, UserView>(riley, h => h.HandleAsync(Ws.AdminId, UserRole.Rep, true));
        // Nobody can lock themselves out.
        var self = await Assert.ThrowsAsync<ValidationFailedException>(() => Host.RunAsync<UpdateUserHandler, UserView>(riley, h => h.HandleAsync(rep.Id, UserRole.Rep, true)));
        Assert.Contains("yourself", self.Message);
    }

    [Fact]
    public async Task SsoOnlyUser_HasNoPassword_AndCanBeGivenOneLater()
    {
        var rep = await AddRepAsync("sso@acme.example", null);
        Assert.Equal(SignInOutcome.Failed, (await SignInAsync("sso@acme.example", "anything-at-all")).Outcome);

        await Host.RunAsync<SetUserPasswordHandler>(Ws.Admin(), h => h.HandleAsync(rep.Id, "finally-a-password"));

        Assert.Equal(SignInOutcome.Succeeded, (await SignInAsync("sso@acme.example", "finally-a-password")).Outcome);
    }
}
