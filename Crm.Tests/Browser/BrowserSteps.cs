using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Crm.Tests.Browser;

/// <summary>What a person does, in Playwright terms.</summary>
public static class BrowserSteps
{
    /// <summary>Until the circuit is up, clicks on prerendered buttons are lost.</summary>
    public static Task WaitForInteractiveAsync(this IPage page) =>
        page.Locator("#interactive").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    public static async Task SignInAsync(this IPage page, string baseUrl, string email, string password, string returnPath = "/")
    {
        await page.GotoAsync($"{baseUrl}{returnPath}");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#signin");
        await page.WaitForURLAsync(url => !url.Contains("/account/login"));
        await page.WaitForInteractiveAsync();
    }

    /// <summary>
    /// Headers of a request the app's own page makes (the browser adds its origin): for data a test sets up or cleans
    /// up through the API with the signed-in session.
    /// </summary>
    public static Dictionary<string, string> FromTheApp(string baseUrl) => new() { ["Origin"] = baseUrl };

    /// <summary>
    /// How many contacts the signed-in user's list holds now, from the API: the browser tests share one app, and a
    /// test that stops half way can leave a record behind, so a list's expected total is read rather than assumed.
    /// </summary>
    public static async Task<int> ContactTotalAsync(this IPage page, string baseUrl, string query = "")
    {
        var response = await page.APIRequest.GetAsync($"{baseUrl}/api/v1/contacts?pageSize=1{query}");
        Assert.True(response.Ok, await response.TextAsync());
        return (await response.JsonAsync())!.Value.GetProperty("total").GetInt32();
    }

    /// <summary>
    /// Saves an open dialog and waits for it to close. A dialog that stays open fails with what it shows (a conflict,
    /// a validation message), which says far more than the page behind it not having changed.
    /// </summary>
    public static async Task SaveDialogAsync(this IPage page, string saveSelector)
    {
        await page.ClickAsync(saveSelector);
        var dialog = page.Locator(".mud-dialog");
        try
        {
            await dialog.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached, Timeout = 15_000 });
        }
        catch (TimeoutException)
        {
            var shown = await dialog.CountAsync() > 0 ? await dialog.First.InnerTextAsync() : "(no dialog)";
            var values = await page.EvalOnSelectorAllAsync<string[]>(".mud-dialog input", "els => els.map(e => (e.id || e.name) + '=' + e.value)");
            throw new Xunit.Sdk.XunitException($"The dialog did not close after {saveSelector}. It shows: {shown}\nIts inputs: {string.Join(", ", values)}");
        }
    }

    /// <summary>Opens the contact's page again until its timeline shows <paramref name="text"/> (a sync runs in the background), at most a minute.</summary>
    public static async Task<ILocator> WaitForTimelineAsync(this IPage page, string baseUrl, long contactId, string text, CancellationToken ct)
    {
        var timeline = page.Locator("#timeline");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            await page.GotoAsync($"{baseUrl}/contacts/{contactId}");
            await page.WaitForInteractiveAsync();
            if ((await timeline.InnerTextAsync()).Contains(text, StringComparison.Ordinal)) break;
            await Task.Delay(1000, ct);
        }
        return timeline;
    }
}
