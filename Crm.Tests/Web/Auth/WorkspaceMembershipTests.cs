using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Tests.TestSupport;
using Crm.Web.Auth;

namespace Crm.Tests.Web.Auth;

/// <summary>
/// One person, two workspaces: another workspace's admin adding their address invites them — it never captures
/// their sign-in — and once they accept they move between the two.
/// </summary>
public sealed class WorkspaceMembershipTests : IAsyncLifetime
{
    private readonly CrmWebFactory _factory = new(new Dictionary<string, string> { ["Authentication:SignInAttemptsPerMinute"] = "1000" });
    private long _otherWorkspace;
    private HttpClient _otherAdmin = default!;

    public async ValueTask InitializeAsync()
    {
        _otherWorkspace = await _factory.CreateWorkspaceAsync("Other Corp");
        _otherAdmin = await _factory.ClientWithKeyAsync(_otherWorkspace);
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private async Task<JsonElement> AddFirstAdminToOtherAsync(string? password = null)
    {
        var response = await _otherAdmin.PostAsJsonAsync("/api/v1/users", new { name = "Borrowed Admin", email = CrmWebFactory.AdminEmail, role = "admin", password });
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task AddingAnAddressSomeoneAlreadySignsInWith_IsAnInvitation_ThatNeverCapturesTheirSignIn()
    {
        var added = await AddFirstAdminToOtherAsync();
        Assert.True(added.GetProperty("invitationPending").GetBoolean());

        var session = await BrowserSession.SignInAsync(_factory, CrmWebFactory.AdminEmail, CrmWebFactory.AdminPassword);

        Assert.Equal(_factory.FirstWorkspaceId, session.Principal(_factory).GetLong(CrmClaims.WorkspaceId));
        var switched = await session.PostFormAsync("/account/workspaces", "/account/switch", new() { ["workspaceId"] = _otherWorkspace.ToString() });
        Assert.Equal("/account/workspaces?error=not-a-member", switched.Headers.Location?.OriginalString);
        Assert.Equal(_factory.FirstWorkspaceId, session.Principal(_factory).GetLong(CrmClaims.WorkspaceId));
    }

    [Fact]
    public async Task AnInvitedPerson_AcceptsOnTheirWorkspacesPage_ThenSwitches_AndLandsWhereTheyWereLast()
    {
        await AddFirstAdminToOtherAsync();
        var session = await BrowserSession.SignInAsync(_factory, CrmWebFactory.AdminEmail, CrmWebFactory.AdminPassword);
        var page = await session.Client.GetStringAsync("/account/workspaces");
        Assert.Contains("Other Corp", page);
        Assert.Contains($"data-invitation=\"{_otherWorkspace}\"", page);

        var accepted = await session.PostFormAsync("/account/workspaces", "/account/invitations", new() { ["workspaceId"] = _otherWorkspace.ToString(), ["answer"] = "accept" });
        Assert.Equal($"/account/workspaces?accepted={_otherWorkspace}", accepted.Headers.Location?.OriginalString);
        var switched = await session.PostFormAsync("/account/workspaces", "/account/switch", new() { ["workspaceId"] = _otherWorkspace.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);

        Assert.Equal(_otherWorkspace, session.Principal(_factory).GetLong(CrmClaims.WorkspaceId));
        var users = await session.Client.GetStringAsync("/api/v1/users");
        Assert.Contains("Borrowed Admin", users);
        // The next sign-in lands in the workspace used last.
        var later = await BrowserSession.SignInAsync(_factory, CrmWebFactory.AdminEmail, CrmWebFactory.AdminPassword);
        Assert.Equal(_otherWorkspace, later.Principal(_factory).GetLong(CrmClaims.WorkspaceId));
    }

    [Fact]
    public async Task ADeclinedInvitation_CannotBeSwitchedTo()
    {
        await AddFirstAdminToOtherAsync();
        var session = await BrowserSession.SignInAsync(_factory, CrmWebFactory.AdminEmail, CrmWebFactory.AdminPassword);
        var token = await session.TokenAsync("/account/workspaces");

        await session.PostFormAsync("/account/invitations", new() { ["workspaceId"] = _otherWorkspace.ToString(), ["answer"] = "decline" }, token);
        var switched = await session.PostFormAsync("/account/switch", new() { ["workspaceId"] = _otherWorkspace.ToString() }, token);

        Assert.Equal("/account/workspaces?error=not-a-member", switched.Headers.Location?.OriginalString);
        Assert.DoesNotContain("data-invitation", await session.Client.GetStringAsync("/account/workspaces"));
    }

    [Fact]
    public async Task AWorkspaceForm_WithoutThisSessionsToken_IsRefused_WithAMessage()
    {
        await AddFirstAdminToOtherAsync();
        var session = await BrowserSession.SignInAsync(_factory, CrmWebFactory.AdminEmail, CrmWebFactory.AdminPassword);

        var forged = await session.PostFormAsync("/account/invitations", new() { ["workspaceId"] = _otherWorkspace.ToString(), ["answer"] = "accept" }, "forged");

        Assert.Equal("/account/workspaces?error=expired", forged.Headers.Location?.OriginalString);
        Assert.Contains($"data-invitation=\"{_otherWorkspace}\"", await session.Client.GetStringAsync("/account/workspaces"));
    }

    [Fact]
    public async Task AnotherWorkspace_CannotGiveSomeoneElsesAddressAPassword()
    {
        var response = await _otherAdmin.PostAsJsonAsync("/api/v1/users", new { name = "Borrowed", email = CrmWebFactory.AdminEmail, role = "admin", password = "their-new-password" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("keep their own password", await response.Content.ReadAsStringAsync());
        await BrowserSession.SignInAsync(_factory, CrmWebFactory.AdminEmail, CrmWebFactory.AdminPassword);
    }
}
