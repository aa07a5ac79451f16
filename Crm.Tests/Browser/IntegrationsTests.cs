using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Crm.Tests.Browser;

/// <summary>
/// An admin connects HubSpot from the Integrations page through the sandbox's consent page, reviews and starts the first
/// sync, pairs deal stages, retries a failing record, settles a conflict from the queue, and disconnects; a rep connects Gmail.
/// </summary>
[Collection(LiveAppCollection.Name)]
public class IntegrationsTests(LiveAppFixture app)
{
    [Fact]
    public async Task AnAdmin_ConnectsHubSpot_StartsTheFirstSync_PairsDealStages_RetriesAFailingRecord_SettlesAConflict_AndDisconnects()
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
        var integrationId = long.Parse(new Uri(page.Url).Segments[2].TrimEnd('/'), System.Globalization.CultureInfo.InvariantCulture);

        // Someone works in HubSpot meanwhile: a contact, and a deal in a stage our pipeline does not have.
        using var hubspot = new HttpClient { BaseAddress = new Uri(app.Sandbox.BaseUrl) };
        var ada = await hubspot.PostAsJsonAsync("/_sandbox/hubspot/as-user/contacts", new { properties = new { email = "browser.ada@example.com", firstname = "Ada" } }, Ct);
        var adaThere = (await ada.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();
        (await hubspot.PostAsJsonAsync("/_sandbox/hubspot/as-user/deals", new { properties = new { dealname = "Browser deal", dealstage = "appointmentscheduled", pipeline = "default" } }, Ct)).EnsureSuccessStatusCode();

        // Started: the deal arrives without its stage and is listed as failing on sync health.
        await page.ClickAsync("#start-first-sync");
        await page.WaitForURLAsync(url => url.EndsWith($"/integrations/{integrationId}/health", StringComparison.Ordinal));
        await ReloadUntilAsync(page, ".mud-main-content", "has no stage value here");

        // Paused while the mapping changes (a run would otherwise re-read the deal on its own within the overlap window).
        Assert.True((await page.APIRequest.PostAsync($"{app.Web.BaseUrl}/api/v1/integrations/{integrationId}/pause", new() { Headers = BrowserSteps.FromTheApp(app.Web.BaseUrl) })).Ok);
        await WaitForIdleAsync();

        // The missing stages are created from the mapping page; the failing record is retried and goes through.
        await page.GotoAsync($"{app.Web.BaseUrl}/integrations/{integrationId}/mapping");
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("#mapping-contacts")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        // An admin edits the contacts' mapping: from now on the job title only comes in from HubSpot.
        await Expect(page.Locator("#theirs-contacts-4")).ToHaveValueAsync("jobtitle");
        await page.SelectOptionAsync("#direction-contacts-4", "In");
        await page.ClickAsync("#save-mapping-contacts");
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Mapping saved");
        await page.Locator(".mud-tab", new() { HasText = "Deal stages" }).ClickAsync();
        await Expect(page.Locator("#stages-unmatched")).ToContainTextAsync("5 of HubSpot's stages");
        await page.ClickAsync("#create-missing-stages");
        await Expect(page.Locator("#stages-all-matched")).ToBeVisibleAsync();
        await page.GotoAsync($"{app.Web.BaseUrl}/integrations/{integrationId}/health");
        await page.WaitForInteractiveAsync();
        await page.GetByText("has no stage value here").First.ClickAsync();
        var failingDeal = page.Locator(".mud-expand-panel", new() { HasText = "has no stage value here" });
        await failingDeal.Locator("[id^=retry-]").ClickAsync();
        Assert.True((await page.APIRequest.PostAsync($"{app.Web.BaseUrl}/api/v1/integrations/{integrationId}/resume", new() { Headers = BrowserSteps.FromTheApp(app.Web.BaseUrl) })).Ok);
        Assert.True((await page.APIRequest.PostAsync($"{app.Web.BaseUrl}/api/v1/integrations/{integrationId}/sync", new() { Headers = BrowserSteps.FromTheApp(app.Web.BaseUrl) })).Ok);
        await ReloadUntilGoneAsync(page, "has no stage value here");

        // Both sides change Ada's first name under a manual rule: the conflict waits in the queue; a typed value goes to both.
        await page.GotoAsync($"{app.Web.BaseUrl}/integrations/{integrationId}/mapping");
        await page.WaitForInteractiveAsync();
        // The edited mapping is what the page shows again.
        await Expect(page.Locator("#direction-contacts-4")).ToHaveValueAsync("In", new() { Timeout = 30_000 });
        await page.Locator(".mud-tab", new() { HasText = "Conflict rules" }).ClickAsync();
        await page.SelectOptionAsync("#rule-firstName", "Manual");
        await page.ClickAsync("#save-rules");
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Conflict rules saved");
        var adaHere = await ScalarAsync("SELECT Id FROM Contacts WHERE Email = 'browser.ada@example.com'");
        // Both sides change while the connection is paused: a run between the two changes (the schedule Resume set
        // going, a webhook) would carry the first across before the second is made, and nothing would conflict.
        Assert.True((await page.APIRequest.PostAsync($"{app.Web.BaseUrl}/api/v1/integrations/{integrationId}/pause", new() { Headers = BrowserSteps.FromTheApp(app.Web.BaseUrl) })).Ok);
        await WaitForIdleAsync();
        var patched = await page.APIRequest.PatchAsync($"{app.Web.BaseUrl}/api/v1/contacts/{adaHere}",
            new() { Headers = BrowserSteps.FromTheApp(app.Web.BaseUrl), DataObject = new { firstName = "Ada (here)" } });
        Assert.True(patched.Ok, await patched.TextAsync());
        (await hubspot.PatchAsJsonAsync($"/_sandbox/hubspot/as-user/contacts/{adaThere}", new { properties = new { firstname = "Ada (HubSpot)" } }, Ct)).EnsureSuccessStatusCode();
        Assert.True((await page.APIRequest.PostAsync($"{app.Web.BaseUrl}/api/v1/integrations/{integrationId}/resume", new() { Headers = BrowserSteps.FromTheApp(app.Web.BaseUrl) })).Ok);
        Assert.True((await page.APIRequest.PostAsync($"{app.Web.BaseUrl}/api/v1/integrations/{integrationId}/sync", new() { Headers = BrowserSteps.FromTheApp(app.Web.BaseUrl) })).Ok);
        await page.GotoAsync($"{app.Web.BaseUrl}/integrations/{integrationId}/conflicts");
        await ReloadUntilAsync(page, "#conflicts", "Ada (HubSpot)");
        await page.Locator("[id^=typed-]").First.FillAsync("Ada Lovelace");
        await page.Locator("[id^=use-typed-]").First.ClickAsync();
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Ada Lovelace");
        var deadline = DateTime.UtcNow.AddSeconds(45);
        string? there = null;
        while (DateTime.UtcNow < deadline)
        {
            there = (await hubspot.GetFromJsonAsync<JsonElement>($"/_sandbox/hubspot/as-user/contacts/{adaThere}", Ct)).GetProperty("properties").GetProperty("firstname").GetString();
            if (there == "Ada Lovelace") break;
            await Task.Delay(1000, Ct);
        }
        Assert.Equal("Ada Lovelace", there);
        Assert.Equal("Ada Lovelace", await ScalarAsync($"SELECT FirstName FROM Contacts WHERE Id = {adaHere}"));

        await page.GotoAsync(app.Web.BaseUrl + "/admin/integrations");
        await page.WaitForInteractiveAsync();

        // Disconnect: revoked at HubSpot, tokens deleted, the card says so and offers to connect again.
        await page.ClickAsync("#disconnect-hubspot");
        await Expect(page.Locator("#status-hubspot")).ToHaveTextAsync("Disconnected");
        await Expect(page.Locator("#disconnect-hubspot")).ToHaveCountAsync(0);
        // Leave the demo workspace as the other browser tests know it: 500 contacts.
        Assert.True((await page.APIRequest.DeleteAsync($"{app.Web.BaseUrl}/api/v1/contacts/{adaHere}", new() { Headers = BrowserSteps.FromTheApp(app.Web.BaseUrl) })).Ok);
        await page.Context.CloseAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Reloads until the element says <paramref name="text"/> (background runs finish in their own time).</summary>
    private async Task ReloadUntilAsync(IPage page, string selector, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            await page.WaitForInteractiveAsync();
            var locator = page.Locator(selector);
            if (await locator.CountAsync() > 0 && (await locator.First.InnerTextAsync()).Contains(text, StringComparison.Ordinal)) return;
            await Task.Delay(1000, Ct);
            await page.ReloadAsync();
        }
        Assert.Fail($"{selector} never said \"{text}\"; the page said:\n{await page.Locator(".mud-main-content").InnerTextAsync()}\nApp output:\n"
                    + string.Join("\n", app.Web.Output.Split('\n').Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("error", StringComparison.OrdinalIgnoreCase)).TakeLast(30)));
    }

    private async Task WaitForIdleAsync()
    {
        var idle = DateTime.UtcNow.AddSeconds(60);
        while ((long)(await ScalarAsync("SELECT COUNT(*) FROM SyncRuns WHERE FinishedAt IS NULL"))! > 0 && DateTime.UtcNow < idle) await Task.Delay(500, Ct);
    }

    private async Task ReloadUntilGoneAsync(IPage page, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            await page.ReloadAsync();
            await page.WaitForInteractiveAsync();
            if (!(await page.Locator(".mud-main-content").InnerTextAsync()).Contains(text, StringComparison.Ordinal)) return;
            await Task.Delay(1000, Ct);
        }
        Assert.Fail($"\"{text}\" is still on the page.");
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(app.DataDirectory, "crm.db")};Mode=ReadOnly");
        await db.OpenAsync(Ct);
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(Ct);
    }

    [Fact]
    public async Task ARep_ConnectsTheirGmail_OnMyConnections_ThenTheProviderRevokesIt_ReconnectClearsIt_AndDisconnectRemovesTheTokens()
    {
        var page = await app.Browser.NewPageAsync();
        await page.SignInAsync(app.Web.BaseUrl, "rep@example.com", "rep-password-1", "/me/connections");
        await Expect(page.Locator("#page-title")).ToHaveTextAsync("My connections");
        // "Reconnect" when another test connected and disconnected this rep's Gmail before.
        await Expect(page.Locator("#connect-gmail")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(Connect|Reconnect)$"));

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
            command.CommandText = "SELECT COUNT(*) FROM IntegrationCredentials c JOIN Integrations i ON i.Id = c.IntegrationId WHERE i.Provider = 'google' AND i.Type = 1";
            Assert.Equal(0L, (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
        }
        await page.Context.CloseAsync();
    }
}
