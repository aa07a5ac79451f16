using static Microsoft.Playwright.Assertions;

namespace Crm.Tests.Browser;

/// <summary>The home page an admin lands on: their own work, and the workspace's pipeline, wins, new contacts and data health, each leading to the list behind it.</summary>
[Collection(LiveAppCollection.Name)]
public class HomeTests(LiveAppFixture app)
{
    [Fact]
    public async Task Home_ShowsAnAdminTheirWorkAndTheWorkspacesCharts_AndAStageLeadsToItsDeals()
    {
        var page = await app.Browser.NewPageAsync();
        await page.SignInAsync(app.Web.BaseUrl, "admin@example.com", "admin-password-1", "/");
        await Expect(page.Locator("#page-title")).ToHaveTextAsync("Home");
        foreach (var id in new[] { "#my-deals", "#my-tasks", "#upcoming-meetings", "#recent-activity", "#pipeline-chart", "#won-chart", "#contacts-chart", "#workspace-health" })
            await Expect(page.Locator(id)).ToBeVisibleAsync();
        await Expect(page.Locator("#pipeline-totals")).ToContainTextAsync("weighted forecast");
        // The demo pipeline has open deals: its chart is drawn, and a stage's link opens the deals list filtered to it.
        await Expect(page.Locator("#pipeline-chart svg").First).ToBeVisibleAsync();
        var stage = page.Locator("#pipeline-chart a[href*='/deals?stage=']").First;
        var name = (await stage.InnerTextAsync()).Split(':')[0];
        await stage.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/deals?stage=", StringComparison.Ordinal));
        await Expect(page.Locator(".mud-select", new() { HasText = "Stage" }).First).ToContainTextAsync(name);
        await page.Context.CloseAsync();
    }
}
