using Crm.Core.Common;
using Crm.Core.Integrations.OAuth;
using Crm.Core.Users;
using Crm.Tests.TestSupport;

namespace Crm.Tests.Infrastructure.Integrations;

/// <summary>The OAuth state: signed, bound to its user, workspace and provider, used once, for 10 minutes.</summary>
public class OAuthStateTests : WorkspaceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<OAuthStart> BeginAsync(Actor actor, string provider = "hubspot", string returnPath = "/integrations") =>
        Host.RunAsync<IOAuthStates, OAuthStart>(actor, s => s.BeginAsync(provider, returnPath, Ct));

    private Task<OAuthCompletion> CompleteAsync(Actor actor, string state, string provider = "hubspot") =>
        Host.RunAsync<IOAuthStates, OAuthCompletion>(actor, s => s.CompleteAsync(provider, state, Ct));

    [Fact]
    public async Task TheState_CompletesOnceForItsUser_WithTheVerifierWhoseChallengeWasSent()
    {
        var start = await BeginAsync(Ws.Admin());

        var done = await CompleteAsync(Ws.Admin(), start.State);

        Assert.Equal(("hubspot", "/integrations", "S256"), (done.Provider, done.ReturnPath, start.CodeChallengeMethod));
        Assert.Equal(start.CodeChallenge, Pkce.ChallengeOf(done.CodeVerifier));
        Assert.DoesNotContain(done.CodeVerifier, start.State, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReplayedState_IsRefused()
    {
        var start = await BeginAsync(Ws.Admin());
        await CompleteAsync(Ws.Admin(), start.State);

        var replay = await Assert.ThrowsAsync<OAuthStateRefusedException>(() => CompleteAsync(Ws.Admin(), start.State));
        Assert.Contains("already used", replay.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExpiredState_IsRefused()
    {
        var start = await BeginAsync(Ws.Admin());
        Host.Time.Advance(IOAuthStates.Lifetime + TimeSpan.FromSeconds(1));

        var expired = await Assert.ThrowsAsync<OAuthStateRefusedException>(() => CompleteAsync(Ws.Admin(), start.State));
        Assert.Contains("expired", expired.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherUsersOrWorkspacesOrProvidersState_IsRefused_AndStaysUsableByItsOwner()
    {
        var start = await BeginAsync(Ws.Admin());
        var rep = await Host.RunAsync<CreateUserHandler, UserView>(Ws.Admin(), h => h.HandleAsync(new NewUserInput { Name = "Riley Rep", Email = "riley@acme.example" }));
        var other = await Host.CreateWorkspaceAsync("Other");

        await Assert.ThrowsAsync<OAuthStateRefusedException>(() => CompleteAsync(new Actor(Ws.Id, rep.Id, UserRole.Rep, ChangeSource.User), start.State));
        await Assert.ThrowsAsync<OAuthStateRefusedException>(() => CompleteAsync(other.Admin(), start.State));
        await Assert.ThrowsAsync<OAuthStateRefusedException>(() => CompleteAsync(Ws.Admin(), start.State, provider: "google"));

        Assert.Equal("hubspot", (await CompleteAsync(Ws.Admin(), start.State)).Provider);
    }

    [Fact]
    public async Task AForgedOrAlteredState_IsRefused()
    {
        var start = await BeginAsync(Ws.Admin());

        await Assert.ThrowsAsync<OAuthStateRefusedException>(() => CompleteAsync(Ws.Admin(), "made-up-state"));
        await Assert.ThrowsAsync<OAuthStateRefusedException>(() => CompleteAsync(Ws.Admin(), start.State[..^2] + (start.State[^2] == 'A' ? "B" : "A") + start.State[^1]));
    }

    [Theory]
    [InlineData("https://evil.example/phish")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    public async Task AReturnPathToAnotherSite_BecomesTheHomePage(string returnPath)
    {
        var start = await BeginAsync(Ws.Admin(), returnPath: returnPath);
        Assert.Equal("/", (await CompleteAsync(Ws.Admin(), start.State)).ReturnPath);
    }
}
