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
        await Expect(page.Locator("#connect-salesforce")).ToHaveTextAsync("Connect");

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

        // Nothing is written before the first sync is reviewed: the preview counts both sides.
        await Expect(page.Locator("#first-sync-hubspot")).ToContainTextAsync("Nothing is written");
        await page.ClickAsync("#review-first-sync-hubspot");
        await Expect(page.Locator("#page-title")).ToHaveTextAsync("Review the first sync");
        await Expect(page.Locator("#preview-theirs")).ToHaveTextAsync("0", new() { Timeout = 30_000 });
        await Expect(page.Locator("#preview-create-there")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9,]+$"));
        await Expect(page.Locator("#start-first-sync")).ToBeVisibleAsync();
        await page.GotoAsync(app.Web.BaseUrl + "/admin/integrations");
        await page.WaitForInteractiveAsync();

        // Disconnect: revoked at HubSpot, tokens deleted, the card says so and offers to connect again.
        await page.ClickAsync("#disconnect-hubspot");
        await Expect(page.Locator("#status-hubspot")).ToHaveTextAsync("Disconnected");
        await Expect(page.Locator("#disconnect-hubspot")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ARep_ConnectsTheirGmail_OnMyConnections_ThenTheProviderRevokesIt_ReconnectClearsIt_AndDisconnectRemovesTheTokens()
    {
        var page = await app.Browser.NewPageAsync();
        await page.SignInAsync(app.Web.BaseUrl, "rep@example.com", "rep-password-1", "/me/connections");
        await Expect(page.Locator("#page-title")).ToHaveTextAsync("My connections");
        await Expect(page.Locator("#connect-gmail")).ToHaveTextAsync("Connect");

        // Google's consent page (the sandbox's): the account is typed, Gmail's scopes are asked for.
        await page.ClickAsync("#connect-gmail");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Google");
        await Expect(page.Locator("main")).ToContainTextAsync("gmail.readonly");
        await page.FillAsync("#account", "riley.browser@gmail.test");
        await page.ClickAsync("#grant");
        await page.WaitForURLAsync(url => url.EndsWith("/me/connections", StringComparison.Ordinal));
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("#status-gmail")).ToHaveTextAsync("Connected");
        await Expect(page.Locator("#account-gmail")).ToHaveTextAsync("riley.browser@gmail.test");
        Assert.DoesNotContain("ya29.", await page.ContentAsync(), StringComparison.Ordinal);

        // Google withdraws the grant; the next run finds out and the page offers Reconnect.
        using (var sandbox = new HttpClient { BaseAddress = new Uri(app.Sandbox.BaseUrl) })
            (await sandbox.PostAsync("/_sandbox/google/revoke-refresh-tokens", null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        await page.ClickAsync("#sync-now-gmail");
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (await page.Locator("#reconnect-needed-gmail").CountAsync() == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000, TestContext.Current.CancellationToken);
            await page.ReloadAsync();
            await page.WaitForInteractiveAsync();
        }
        if (await page.Locator("#reconnect-needed-gmail").CountAsync() == 0)
            Assert.Fail("The run did not find the revoked grant. App output:\n" + string.Join("\n", app.Web.Output.Split('\n').TakeLast(60)));
        await Expect(page.Locator("#reconnect-needed-gmail")).ToContainTextAsync("Reconnect");
        await Expect(page.Locator("#status-gmail")).ToHaveTextAsync("Needs reconnect");
        await Expect(page.Locator("[id^=reconnect-banner-link-]")).ToHaveCountAsync(1);
        await Expect(page.Locator("#connect-gmail")).ToHaveTextAsync("Reconnect");

        await page.ClickAsync("#connect-gmail");
        await page.FillAsync("#account", "riley.browser@gmail.test");
        await page.ClickAsync("#grant");
        await page.WaitForURLAsync(url => url.EndsWith("/me/connections", StringComparison.Ordinal));
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("#status-gmail")).ToHaveTextAsync("Connected");
        await Expect(page.Locator("#reconnect-needed-gmail")).ToHaveCountAsync(0);
        await Expect(page.Locator("[id^=reconnect-banner-]")).ToHaveCountAsync(0);

        await page.ClickAsync("#disconnect-gmail");
        await Expect(page.Locator("#status-gmail")).ToHaveTextAsync("Disconnected");
        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(app.DataDirectory, "crm.db")};Mode=ReadOnly"))
        {
            await db.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = db.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM IntegrationCredentials c JOIN Integrations i ON i.Id = c.IntegrationId WHERE i.Provider = 'google'";
            Assert.Equal(0L, (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
        }
        await page.Context.CloseAsync();
    }
}
