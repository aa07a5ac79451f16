using Crm.Tests.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Crm.Tests.Browser;

[Collection(LiveAppCollection.Name)]
public class NewcomerTests(LiveAppFixture app)
{
    [Fact]
    public async Task Newcomer_SignsIn_FindsADemoContact_AndAddsANoteThatSurvivesAReload()
    {
        var page = await app.Browser.NewPageAsync();

        // The development sign-in the README prints.
        await page.SignInAsync(app.Web.BaseUrl, "admin@example.com", "admin-password-1");
        // The home page first, then the contacts from the menu.
        await Expect(page.Locator("#page-title")).ToHaveTextAsync("Home");
        await Expect(page.Locator("#signed-in-user")).ToHaveTextAsync("Avery Admin");
        await page.ClickAsync("#nav-contacts");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/contacts$"));

        // Demo data: a living CRM, 500 contacts.
        var rows = page.Locator("#contacts-grid tbody tr .contact-link");
        await Expect(rows.First).ToBeVisibleAsync();
        var all = await page.ContactTotalAsync(app.Web.BaseUrl);
        Assert.InRange(all, 500, 1_000);
        await Expect(page.Locator("#contacts-grid")).ToContainTextAsync($"of {all}");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(TestPaths.RepoRoot, "docs", "contacts.png") });

        // Search one by name.
        var name = (await rows.Nth(3).InnerTextAsync()).Trim();
        await page.FillAsync("#contact-search", name);
        await Expect(page.Locator("#contacts-grid")).Not.ToContainTextAsync($"of {all}");
        var found = page.Locator("#contacts-grid tbody tr .contact-link");
        // Every row found holds the name ("Grace" finds "Grace Allen" too: other tests share this app and add contacts).
        foreach (var text in await found.AllInnerTextsAsync())
            Assert.Contains(name, text.Trim(), StringComparison.OrdinalIgnoreCase);

        // Open it.
        await found.Filter(new LocatorFilterOptions { HasTextRegex = new System.Text.RegularExpressions.Regex($"^\\s*{System.Text.RegularExpressions.Regex.Escape(name)}\\s*$") }).First.ClickAsync();
        await Expect(page.Locator("#contact-name")).ToHaveTextAsync(name);
        await page.WaitForInteractiveAsync();

        // Add a note; it appears on the timeline.
        var note = $"Spoke about the renewal — {Guid.NewGuid():N}";
        await page.FillAsync("#note-body", note);
        await page.ClickAsync("#save-note");
        var timelineNote = page.Locator("#timeline .timeline-entry[data-type=note] .note-body", new PageLocatorOptions { HasText = note });
        await Expect(timelineNote).ToBeVisibleAsync();

        // Reload: still there, newest first.
        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        await Expect(timelineNote).ToBeVisibleAsync();
        await Expect(page.Locator("#timeline .timeline-entry").First).ToContainTextAsync(note);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Rep_IsRefusedTheUsersPage_OnTheServer()
    {
        var page = await app.Browser.NewPageAsync();
        await page.SignInAsync(app.Web.BaseUrl, "rep@example.com", "rep-password-1");
        await Expect(page.Locator("#signed-in-role")).ToHaveTextAsync("Rep");
        await Expect(page.Locator("#nav-users")).ToHaveCountAsync(0);

        // Typing the address: the server answers with a refusal, not the page.
        var response = await page.GotoAsync($"{app.Web.BaseUrl}/admin/users");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/access-denied"));
        await Expect(page.Locator("#access-refused")).ToContainTextAsync("You do not have access to this page");
        // Inside the app: its menu and the signed-in person stay, and the way back is one click.
        await Expect(page.Locator("#nav-contacts")).ToBeVisibleAsync();
        await Expect(page.Locator("#signed-in-role")).ToHaveTextAsync("Rep");
        // Nothing of the users page: not the other users' addresses.
        Assert.DoesNotContain("admin@example.com", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.NotNull(response);

        // The same session cannot reach the admin API either.
        var api = await page.Context.APIRequest.GetAsync($"{app.Web.BaseUrl}/api/v1/users");
        Assert.Equal(403, api.Status);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task WrongPassword_SaysSo_AndStaysOnTheSignInPage()
    {
        var page = await app.Browser.NewPageAsync();
        await page.GotoAsync($"{app.Web.BaseUrl}/account/login");
        await page.FillAsync("#email", "admin@example.com");
        await page.FillAsync("#password", "not-the-password");
        await page.ClickAsync("#signin");

        await Expect(page.Locator("#signin-error")).ToContainTextAsync("That email and password do not match an account.");
        await Expect(page.Locator("#email")).ToHaveValueAsync("admin@example.com");
        await page.Context.CloseAsync();
    }
}
