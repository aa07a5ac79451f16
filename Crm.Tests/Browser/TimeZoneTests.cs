using System.Globalization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Crm.Tests.Browser;

/// <summary>A rep picks a time zone, and the times on the pages follow it.</summary>
[Collection(LiveAppCollection.Name)]
public class TimeZoneTests(LiveAppFixture app)
{
    [Fact]
    public async Task ARepsTimeZone_ChangesTheTimesShown()
    {
        var page = await app.Browser.NewPageAsync();
        await page.SignInAsync(app.Web.BaseUrl, "rep@example.com", "rep-password-1", "/preferences");
        await page.WaitForInteractiveAsync();
        var headers = BrowserSteps.FromTheApp(app.Web.BaseUrl);
        var contact = await page.APIRequest.PostAsync($"{app.Web.BaseUrl}/api/v1/contacts",
            new APIRequestContextOptions { DataObject = new { firstName = "Kenji", lastName = $"Zone{Guid.NewGuid():N}"[..12] }, Headers = headers });
        var contactId = (await contact.JsonAsync())!.Value.GetProperty("id").GetInt64();
        var before = DateTimeOffset.UtcNow;
        await page.APIRequest.PostAsync($"{app.Web.BaseUrl}/api/v1/activities",
            new APIRequestContextOptions { DataObject = new { type = "note", contactId, body = "Called from Tokyo" }, Headers = headers });
        try
        {
            await page.Locator("#time-zone").FillAsync("Asia/Tok");
            await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "Asia/Tokyo" }).ClickAsync();
            // The page loads again with every time in the new zone.
            await Expect(page.Locator("#time-now")).Not.ToContainTextAsync("UTC");
            await Expect(page.Locator("#time-zone")).ToHaveValueAsync("Asia/Tokyo");

            // The note's time on the contact's page is Tokyo's (UTC+9), not the server's.
            await page.GotoAsync($"{app.Web.BaseUrl}/contacts/{contactId}");
            var meta = page.Locator("#timeline .entry-meta").First;
            await Expect(meta).ToContainTextAsync("Riley Rep");
            var text = await meta.TextContentAsync() ?? "";
            var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
            var expected = Enumerable.Range(-1, 3).Select(m => TimeZoneInfo.ConvertTime(before.AddMinutes(m), tokyo).ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture));
            Assert.Contains(expected, e => text.Contains(e, StringComparison.Ordinal));
            Assert.DoesNotContain("UTC", text, StringComparison.Ordinal);
        }
        finally
        {
            // Back to UTC: the other browser tests read the rep's times as the demo data has them.
            await page.GotoAsync($"{app.Web.BaseUrl}/preferences");
            await page.WaitForInteractiveAsync();
            await page.Locator("#time-zone").FillAsync("UTC");
            await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasTextRegex = new System.Text.RegularExpressions.Regex("^UTC$") }).ClickAsync();
            await Expect(page.Locator("#time-now")).ToContainTextAsync("UTC");
            await page.APIRequest.DeleteAsync($"{app.Web.BaseUrl}/api/v1/contacts/{contactId}", new APIRequestContextOptions { Headers = headers });
            await page.Context.CloseAsync();
        }
    }
}
