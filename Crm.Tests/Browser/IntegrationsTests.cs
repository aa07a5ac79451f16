using static Microsoft.Playwright.Assertions;

namespace Crm.Tests.Browser;

/// <summary>An admin connects HubSpot from the Integrations page, through the sandbox's consent page, and disconnects it.</summary>
[Collection(LiveAppCollection.Name)]
public class IntegrationsTests(LiveAppFixture app)
{
    [Fact]
    public async Task AnAdmin_ConnectsHubSpot_OnItsConsentPage_SeesTheConnectedPortal_AndDisconnectsIt()
    {
        var page = await app.Browser.NewPageAsync();
        await page.SignInAsync(app.Web.BaseUrl, "admin@example.com", "admin-password-1", "/admin/integrations");
        await Expect(page.Locator("#page-title")).ToHaveTextAsync("Integrations");
        await Expect(page.Locator("#connect-hubspot")).ToHaveTextAsync("Connect");
        await Expect(page.Locator("#connect-salesforce")).ToHaveCountAsync(0);

        await page.ClickAsync("#connect-hubspot");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Connect app");
        await Expect(page.Locator("main")).ToContainTextAsync("crm.objects.contacts.write");
        await page.ClickAsync("#grant");

        await page.WaitForURLAsync(url => url.EndsWith("/admin/integrations", StringComparison.Ordinal));
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("#status-hubspot")).ToHaveTextAsync("Connected");
        await Expect(page.Locator("#account-hubspot")).ToContainTextAsync("sandbox-62515.hubspot.test (portal 62515)");
        await Expect(page.Locator("#connect-hubspot")).ToHaveTextAsync("Reconnect");
        Assert.DoesNotContain("na1-access", await page.ContentAsync(), StringComparison.Ordinal);

        // Disconnect: revoked at HubSpot, tokens deleted, the card says so and offers to connect again.
        await page.ClickAsync("#disconnect-hubspot");
        await Expect(page.Locator("#status-hubspot")).ToHaveTextAsync("Disconnected");
        await Expect(page.Locator("#disconnect-hubspot")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
