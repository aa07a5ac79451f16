using static Microsoft.Playwright.Assertions;

namespace Crm.Tests.Browser;

/// <summary>Sign-in through the sandbox identity provider, with the real OpenID Connect middleware.</summary>
[Collection(LiveAppCollection.Name)]
public class SingleSignOnTests(LiveAppFixture app)
{
    [Fact]
    public async Task SsoSignIn_WithAKnownEmail_SignsTheMemberIn()
    {
        var page = await app.Browser.NewPageAsync();
        await page.GotoAsync($"{app.Web.BaseUrl}/deals");
        await page.ClickAsync("#signin-sso");

        await Expect(page.Locator("h1")).ToHaveTextAsync("Sandbox identity provider");
        await page.ClickAsync("button[data-subject='sandbox-rep']");

        await page.WaitForURLAsync(url => url.EndsWith("/deals", StringComparison.Ordinal));
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("#signed-in-user")).ToHaveTextAsync("Riley Rep");
        await Expect(page.Locator("#page-title")).ToHaveTextAsync("Deals");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SsoSignIn_WithAnUnknownEmail_GetsAClearRefusal()
    {
        var page = await app.Browser.NewPageAsync();
        await page.GotoAsync($"{app.Web.BaseUrl}/account/login");
        await page.ClickAsync("#signin-sso");
        await page.ClickAsync("button[data-subject='sandbox-stranger']");

        await Expect(page.Locator("#access-refused h1")).ToHaveTextAsync("No account for this sign-in");
        var contacts = await page.GotoAsync($"{app.Web.BaseUrl}/contacts");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        Assert.NotNull(contacts);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SsoSignIn_WithAnAddressTheProviderHasNotVerified_IsRefused_EvenForAMembersAddress()
    {
        var page = await app.Browser.NewPageAsync();
        await page.GotoAsync($"{app.Web.BaseUrl}/account/login");
        await page.ClickAsync("#signin-sso");
        // The sandbox's "Una" claims rep@example.com, a member's address, but her provider says it is not verified.
        await page.ClickAsync("button[data-subject='sandbox-unverified']");

        await Expect(page.Locator("#access-refused h1")).ToHaveTextAsync("Your email address is not verified");
        await page.GotoAsync($"{app.Web.BaseUrl}/contacts");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await page.Context.CloseAsync();
    }
}
