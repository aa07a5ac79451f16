using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Crm.Core.Common;
using Crm.Core.Users;
using Crm.Tests.TestSupport;
using Crm.Web.Auth;
using Crm.Web.Components.Pages.Account;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Web.Auth;

/// <summary>Sessions as a thief, a foreign page and another workspace's admin would try them, through the real pipeline.</summary>
public sealed class SessionSecurityTests : IAsyncLifetime
{
    private const string RepEmail = "riley@first.example";
    private const string RepPassword = "riley-password-1";
    private readonly CrmWebFactory _factory = new(new Dictionary<string, string> { ["Authentication:SignInAttemptsPerMinute"] = "1000" });
    private HttpClient _admin = default!;
    private long _repId;

    public async ValueTask InitializeAsync()
    {
        _admin = await _factory.ClientWithKeyAsync(_factory.FirstWorkspaceId);
        var rep = await _admin.PostAsJsonAsync("/api/v1/users", new { name = "Riley Rep", email = RepEmail, role = "rep", password = RepPassword });
        Assert.Equal(HttpStatusCode.Created, rep.StatusCode);
        _repId = System.Text.Json.JsonDocument.Parse(await rep.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private async Task SetPasswordAsync(long userId, string password, Actor actor, string? session = null)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = actor;
        await scope.ServiceProvider.GetRequiredService<SetUserPasswordHandler>().HandleAsync(userId, password, session);
    }

    private static async Task<HttpStatusCode> ContactsAsync(BrowserSession session) => (await session.Client.GetAsync("/api/v1/contacts")).StatusCode;

    [Fact]
    public async Task APasswordReset_EndsEverySessionOfThatPerson_AtTheirNextRequest()
    {
        var stolen = await BrowserSession.SignInAsync(_factory, RepEmail, RepPassword);
        var laptop = await BrowserSession.SignInAsync(_factory, RepEmail, RepPassword);
        Assert.Equal(HttpStatusCode.OK, await ContactsAsync(stolen));

        await SetPasswordAsync(_repId, "brand-new-password-2", Actor.System(_factory.FirstWorkspaceId) with { UserId = 1 });

        Assert.Equal(HttpStatusCode.Unauthorized, await ContactsAsync(stolen));
        Assert.Equal(HttpStatusCode.Unauthorized, await ContactsAsync(laptop));
        var again = await BrowserSession.SignInAsync(_factory, RepEmail, "brand-new-password-2");
        Assert.Equal(HttpStatusCode.OK, await ContactsAsync(again));
    }

    [Fact]
    public async Task ChangingYourOwnPassword_KeepsTheSessionYouChangedItFrom_AndEndsTheOthers()
    {
        var here = await BrowserSession.SignInAsync(_factory, CrmWebFactory.AdminEmail, CrmWebFactory.AdminPassword);
        var elsewhere = await BrowserSession.SignInAsync(_factory, CrmWebFactory.AdminEmail, CrmWebFactory.AdminPassword);
        var principal = here.Principal(_factory);
        var adminId = principal.GetLong(CrmClaims.UserId)!.Value;

        await SetPasswordAsync(adminId, "a-new-admin-password", new Actor(_factory.FirstWorkspaceId, adminId, UserRole.Admin, ChangeSource.User),
            principal.FindFirstValue(CrmClaims.SessionId));

        Assert.Equal(HttpStatusCode.OK, await ContactsAsync(here));
        Assert.Equal(HttpStatusCode.OK, await ContactsAsync(here)); // renewed with the new stamp, and still good
        Assert.Equal(HttpStatusCode.Unauthorized, await ContactsAsync(elsewhere));
    }

    [Fact]
    public async Task AnotherAdminsReset_DoesNotKeepTheSessionTheyNamed()
    {
        var repSession = await BrowserSession.SignInAsync(_factory, RepEmail, RepPassword);
        var sessionId = repSession.Principal(_factory).FindFirstValue(CrmClaims.SessionId);

        // The admin resets the rep's password; a session id passed along is not the admin's own, so it is ignored.
        await SetPasswordAsync(_repId, "reset-by-the-admin-1", Actor.System(_factory.FirstWorkspaceId) with { UserId = 1 }, sessionId);

        Assert.Equal(HttpStatusCode.Unauthorized, await ContactsAsync(repSession));
    }

    [Fact]
    public async Task CookieRequestsThatChangeData_FromAnotherSite_AreRefused_FromTheAppsOwnPagesServed()
    {
        var session = await BrowserSession.SignInAsync(_factory, CrmWebFactory.AdminEmail, CrmWebFactory.AdminPassword);
        HttpRequestMessage Post(params (string Name, string Value)[] headers)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/contacts") { Content = JsonContent.Create(new { firstName = "Ada" }) };
            foreach (var (name, value) in headers) request.Headers.Add(name, value);
            return request;
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await session.Client.SendAsync(Post(("Origin", "https://evil.example")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.Client.SendAsync(Post(("Sec-Fetch-Site", "cross-site"), ("Origin", "http://localhost")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.Client.SendAsync(Post())).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await session.Client.SendAsync(Post(("Origin", "http://localhost")))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await session.Client.SendAsync(Post(("Sec-Fetch-Site", "same-origin")))).StatusCode);
        // Reading needs nothing more; API keys are not cookies and are not asked for any of it.
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/api/v1/contacts")).StatusCode);
        var byKey = new HttpRequestMessage(HttpMethod.Post, "/api/v1/contacts") { Content = JsonContent.Create(new { firstName = "Grace" }) };
        byKey.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Created, (await _admin.SendAsync(byKey)).StatusCode);
    }

    [Fact]
    public async Task SignOut_PostedByAnotherSite_IsRefused_AndTheSessionStays()
    {
        var session = await BrowserSession.SignInAsync(_factory, RepEmail, RepPassword);
        var foreign = new HttpRequestMessage(HttpMethod.Post, "/account/logout") { Content = new FormUrlEncodedContent([]) };
        foreign.Headers.Add("Origin", "https://evil.example");

        Assert.Equal(HttpStatusCode.Forbidden, (await session.Client.SendAsync(foreign)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await ContactsAsync(session));
    }

    [Fact]
    public async Task TheSignInPage_AnswersTheSame_ForUnknownEmails_WrongPasswords_AndLockedAccounts()
    {
        var (client, _) = BrowserSession.NewClient(_factory);
        async Task<string> AttemptAsync(string email, string password) => await (await BrowserSession.PostSignInAsync(client, email, password)).Content.ReadAsStringAsync();

        var unknown = await AttemptAsync("nobody@nowhere.example", "whatever-password");
        string locked = "";
        for (var i = 0; i < 6; i++) locked = await AttemptAsync(RepEmail, "wrong-password-" + i);

        var message = System.Net.WebUtility.HtmlEncode(Login.FailedMessage);
        Assert.Contains(message, unknown);
        Assert.Contains(message, locked);
        Assert.DoesNotContain("locked until", locked);
    }

    [Fact]
    public async Task SignInAttempts_AreLimitedPerClient_WhicheverAccountsTheyTry()
    {
        await using var strict = new CrmWebFactory(new Dictionary<string, string> { ["Authentication:SignInAttemptsPerMinute"] = "3" });
        var (client, _) = BrowserSession.NewClient(strict);

        var statuses = new List<HttpStatusCode>();
        foreach (var email in new[] { "a@x.example", "b@x.example", "c@x.example", "d@x.example" })
            statuses.Add((await BrowserSession.PostSignInAsync(client, email, "some-password-1")).StatusCode);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
