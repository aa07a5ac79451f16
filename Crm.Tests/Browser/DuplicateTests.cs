using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Crm.Tests.Browser;

/// <summary>An admin works through the duplicates queue: merges one pair field by field, dismisses another for good.</summary>
[Collection(LiveAppCollection.Name)]
public class DuplicateTests(LiveAppFixture app)
{
    [Fact]
    public async Task Admin_ReviewsQueuedPair_PicksFields_Merges_SeesOneContactWithBothTimelines_AndADismissedPairNeverReturns()
    {
        var page = await app.Browser.NewPageAsync();
        await page.SignInAsync(app.Web.BaseUrl, "admin@example.com", "admin-password-1", "/duplicates");
        try
        {
            await ReviewMergeAndDismissAsync(page);
        }
        finally
        {
            // The live app is shared: what this test created goes, so other tests see the demo data as it was.
            foreach (var id in _created)
                await page.APIRequest.DeleteAsync($"{app.Web.BaseUrl}/api/v1/{id.Resource}/{id.Id}", new APIRequestContextOptions { Headers = BrowserSteps.FromTheApp(app.Web.BaseUrl) });
            await page.Context.CloseAsync();
        }
    }

    private readonly List<(string Resource, long Id)> _created = [];

    [Fact]
    public async Task CreatingAContact_ThatLooksLikeAnExistingOne_ShowsItFirst_AndSavingAgainCreatesItAnyway()
    {
        var page = await app.Browser.NewPageAsync();
        await page.SignInAsync(app.Web.BaseUrl, "admin@example.com", "admin-password-1", "/contacts");
        var tag = Guid.NewGuid().ToString("N")[..6];
        try
        {
            await PostAsync(page, "contacts", new { firstName = "Odette", lastName = $"Vasquez{tag}", email = $"odette.{tag}@first.example" });

            await page.ClickAsync("#new-contact");
            await page.FillAsync("#contact-first-name", "Odette");
            await page.FillAsync("#contact-last-name", $"Vasquez{tag}");
            await page.FillAsync("#contact-email", $"ODETTE.{tag}@First.Example");
            await page.ClickAsync("#contact-save");

            // Not saved yet: the likely duplicate is named, with why.
            var warning = page.Locator("#duplicate-warning");
            await Expect(warning).ToContainTextAsync($"Odette Vasquez{tag}");
            await Expect(warning).ToContainTextAsync("Same email");
            Assert.Equal(1, await CountAsync(page, $"Vasquez{tag}"));

            // Saving again creates it anyway.
            await page.ClickAsync("#contact-save");
            await Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
            Assert.Equal(2, await CountAsync(page, $"Vasquez{tag}"));
        }
        finally
        {
            var search = await page.APIRequest.GetAsync($"{app.Web.BaseUrl}/api/v1/contacts?search=Vasquez{tag}");
            foreach (var contact in (await search.JsonAsync())!.Value.GetProperty("items").EnumerateArray())
                await page.APIRequest.DeleteAsync($"{app.Web.BaseUrl}/api/v1/contacts/{contact.GetProperty("id").GetInt64()}", new APIRequestContextOptions { Headers = BrowserSteps.FromTheApp(app.Web.BaseUrl) });
            await page.Context.CloseAsync();
        }
    }

    private async Task<int> CountAsync(IPage page, string search)
    {
        var response = await page.APIRequest.GetAsync($"{app.Web.BaseUrl}/api/v1/contacts?search={search}");
        return (await response.JsonAsync())!.Value.GetProperty("total").GetInt32();
    }

    private async Task ReviewMergeAndDismissAsync(IPage page)
    {
        var tag = new string(Guid.NewGuid().ToString("N").Where(char.IsLetter).Take(5).Select(c => (char)(c - 'a' + 'k')).ToArray()).PadRight(5, 'q');

        // The same person twice at one account (different emails, titles), and two people sharing a phone number.
        var account = await PostAsync(page, "accounts", new { name = $"Quillfeather {tag} Labs" });
        var older = await PostAsync(page, "contacts", new { firstName = "Marguerite", lastName = $"Delacroix{tag}", email = $"marguerite.{tag}@old.example", jobTitle = "VP Sales", accountId = account });
        var newer = await PostAsync(page, "contacts", new { firstName = "Marguerite", lastName = $"Delacroix{tag}", email = $"m.delacroix.{tag}@new.example", jobTitle = "Head of Sales", accountId = account });
        await PostAsync(page, "activities", new { type = "note", contactId = older, body = $"Met {tag} at the fair" });
        await PostAsync(page, "activities", new { type = "note", contactId = newer, body = $"Sent {tag} the pricing" });
        // Three people behind one switchboard number, with one family name: one group of three pairs.
        var phone = $"+1 303 555 01{Random.Shared.Next(10, 100)}";
        var e164 = phone.Replace(" ", "");
        foreach (var first in new[] { "Tobias", "Tabitha", "Theo" })
            await PostAsync(page, "contacts", new { firstName = first, lastName = $"Wren{tag}", phone });

        // Scan now: both groups arrive in the queue, each saying what its records share.
        await page.ClickAsync("#scan-duplicates");
        var nameGroup = page.Locator("#duplicate-groups tbody tr", new PageLocatorOptions { HasText = $"delacroix{tag}" });
        var phoneGroup = page.Locator("#duplicate-groups tbody tr", new PageLocatorOptions { HasText = e164 });
        await RefreshUntilAsync(page, phoneGroup);
        await Expect(nameGroup).ToContainTextAsync($"2 contacts named “marguerite delacroix{tag}” at Quillfeather {tag} Labs");
        await Expect(phoneGroup).ToContainTextAsync($"3 contacts share the phone {e164}");
        await Expect(phoneGroup).ToContainTextAsync("3"); // pairs

        // A group opens on its pairs; the queue's place is in the URL, so Back returns to it.
        await nameGroup.Locator(".duplicate-group").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("rule=name-at-account"));
        await Expect(page.Locator("#duplicates-table tbody tr")).ToHaveCountAsync(1);

        // Searching the queue leaves just the pair looked for.
        await page.GotoAsync($"{app.Web.BaseUrl}/duplicates");
        await page.WaitForInteractiveAsync();
        await page.FillAsync("#duplicate-search", $"Delacroix{tag}");
        await Expect(page).ToHaveURLAsync(new Regex($"search=Delacroix{tag}"));
        var mergePair = page.Locator("#duplicates-table tbody tr", new PageLocatorOptions { HasText = $"Delacroix{tag}" });
        await Expect(page.Locator("#duplicates-table tbody tr")).ToHaveCountAsync(1);

        // Compare: each record's activities and deals are shown; the newer title wins by default; keep the older one,
        // and the newer email. Back to the queue returns to the search.
        await mergePair.Locator(".pair-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/duplicates/\d+\?back="));
        await Expect(page.Locator("#pair-confidence")).ToContainTextAsync("90");
        await Expect(page.Locator("#record-context")).ToContainTextAsync("1 activity, the last");
        await Expect(page.Locator("#keep-record")).ToContainTextAsync($"Marguerite Delacroix{tag}");
        await Expect(page.Locator("#keep-record")).Not.ToContainTextAsync("#");
        await page.GoBackAsync();
        await Expect(page.Locator("#duplicate-search")).ToHaveValueAsync($"Delacroix{tag}");
        await mergePair.Locator(".pair-link").ClickAsync();
        await Expect(page.Locator("#field-JobTitle input[data-column=b]")).ToBeCheckedAsync();
        await Expect(page.Locator("#field-Email input[data-column=b]")).ToBeCheckedAsync();
        await page.Locator("#field-JobTitle input[data-column=a]").CheckAsync();
        await page.ClickAsync("#merge-records");
        await page.Locator(".mud-dialog button", new PageLocatorOptions { HasText = "Merge" }).ClickAsync();

        // One contact remains, with the values picked and both timelines.
        await Expect(page).ToHaveURLAsync(new Regex($"/contacts/{older}$"));
        await Expect(page.Locator("#contact-details")).ToContainTextAsync($"m.delacroix.{tag}@new.example");
        await Expect(page.Locator("#contact-details")).ToContainTextAsync($"marguerite.{tag}@old.example");
        await Expect(page.Locator("#contact-name")).ToHaveTextAsync($"Marguerite Delacroix{tag}");
        await Expect(page.Locator("#contact-headline")).ToContainTextAsync($"VP Sales at Quillfeather {tag} Labs");
        await Expect(page.Locator("#timeline")).ToContainTextAsync($"Met {tag} at the fair");
        await Expect(page.Locator("#timeline")).ToContainTextAsync($"Sent {tag} the pricing");
        await Expect(page.Locator("#merges")).ToContainTextAsync($"Contact “Marguerite Delacroix{tag}” merged into this one");
        var search = await page.APIRequest.GetAsync($"{app.Web.BaseUrl}/api/v1/contacts?search=Delacroix{tag}");
        Assert.Equal(1, (await search.JsonAsync())!.Value.GetProperty("total").GetInt32());

        // The merged contact's old address leads to the one that stayed.
        await page.GotoAsync($"{app.Web.BaseUrl}/contacts/{newer}");
        await Expect(page).ToHaveURLAsync(new Regex($"/contacts/{older}$"));
        await Expect(page.Locator("#contact-name")).ToHaveTextAsync($"Marguerite Delacroix{tag}");

        // Not duplicates: the whole phone group leaves the queue at once (and Undo would bring it back).
        await page.GotoAsync($"{app.Web.BaseUrl}/duplicates");
        await page.WaitForInteractiveAsync();
        await phoneGroup.Locator(".dismiss-group").ClickAsync();
        await page.ClickAsync("#confirm");
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("3 pairs dismissed.");
        await Expect(phoneGroup).ToHaveCountAsync(0);
        var queue = await page.APIRequest.GetAsync($"{app.Web.BaseUrl}/api/v1/duplicates?search=Wren{tag}");
        Assert.Equal(0, (await queue.JsonAsync())!.Value.GetProperty("total").GetInt32());

        // A new pair arrives, so the rescan has certainly run — and the dismissed and merged pairs did not come back.
        await PostAsync(page, "contacts", new { firstName = "Odile", lastName = $"Marchetti{tag}", email = $"odile.{tag}@same.example" });
        await PostAsync(page, "contacts", new { firstName = "O.", lastName = $"Marchetti{tag}", email = $"ODILE.{tag}@Same.Example" });
        await page.ClickAsync("#scan-duplicates");
        await RefreshUntilAsync(page, page.Locator("#duplicate-groups tbody tr", new PageLocatorOptions { HasText = $"odile.{tag}@same.example" }));
        await Expect(phoneGroup).ToHaveCountAsync(0);
        await Expect(nameGroup).ToHaveCountAsync(0);
    }

    private async Task<long> PostAsync(IPage page, string resource, object body)
    {
        var response = await page.APIRequest.PostAsync($"{app.Web.BaseUrl}/api/v1/{resource}", new APIRequestContextOptions { DataObject = body, Headers = BrowserSteps.FromTheApp(app.Web.BaseUrl) });
        Assert.True(response.Ok, $"POST {resource}: {response.Status} {await response.TextAsync()}");
        var json = await response.JsonAsync();
        var id = json!.Value.GetProperty("id").GetInt64();
        if (resource is "contacts" or "accounts") _created.Insert(0, (resource, id));
        return id;
    }

    /// <summary>The scan runs in the background: refresh the queue until the row shows up.</summary>
    private static async Task RefreshUntilAsync(IPage page, ILocator row)
    {
        for (var attempt = 0; attempt < 30 && await row.CountAsync() == 0; attempt++)
        {
            await page.WaitForTimeoutAsync(1000);
            await page.ClickAsync("#refresh-duplicates");
        }
        await Expect(row).ToHaveCountAsync(1);
    }
}
