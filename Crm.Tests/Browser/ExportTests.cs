using System.Text.RegularExpressions;
using Crm.Tests.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Crm.Tests.Browser;

/// <summary>An admin exports the filtered contacts list as Excel and opens it in real spreadsheet software.</summary>
[Collection(LiveAppCollection.Name)]
public class ExportTests(LiveAppFixture app)
{
    [Fact]
    public async Task Admin_FiltersContacts_ExportsXlsx_WatchesItFinish_AndFindsExactlyTheFilteredRows()
    {
        var page = await app.Browser.NewPageAsync();
        await page.SignInAsync(app.Web.BaseUrl, "admin@example.com", "admin-password-1", "/contacts");

        var all = await page.ContactTotalAsync(app.Web.BaseUrl);
        // The list, filtered: customers whose name, email or company has an "a", newest changes first.
        await page.Locator("#filter-lifecycle").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "Customer" }).ClickAsync();
        // The filter has re-rendered the list before typing the search (typing into a field being re-rendered is lost).
        await Expect(page.Locator("#contacts-grid")).Not.ToContainTextAsync(new Regex($@"of {all}\b"));
        await page.FillAsync("#contact-search", "an");
        var expected = await page.APIRequest.GetAsync($"{app.Web.BaseUrl}/api/v1/contacts?lifecycle=customer&search=an&sort=name&pageSize=200");
        var rows = (await expected.JsonAsync())!.Value;
        var emails = rows.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("email").GetString() ?? "").ToList();
        Assert.InRange(emails.Count, 1, 199);

        // The search has reached the list (it waits for typing to pause) before exporting what it shows; typing
        // that landed while the field re-rendered is typed again, as a person would.
        var filtered = new Regex($@"of {emails.Count}\b");
        for (var attempt = 0; attempt < 3 && !filtered.IsMatch(await page.Locator("#contacts-grid").InnerTextAsync()); attempt++)
        {
            try
            {
                await Expect(page.Locator("#contacts-grid")).ToContainTextAsync(filtered, new LocatorAssertionsToContainTextOptions { Timeout = 3_000 });
            }
            catch (PlaywrightException)
            {
                await page.FillAsync("#contact-search", "");
                await page.FillAsync("#contact-search", "an");
            }
        }
        await Expect(page.Locator("#contacts-grid")).ToContainTextAsync(filtered);

        // Export it: Excel, the default columns.
        await page.ClickAsync("#export-contacts");
        await Expect(page.Locator("#export-count")).ToContainTextAsync($"{emails.Count} contacts");
        await Expect(page.Locator("#export-count")).ToContainTextAsync("search “an”, lifecycle Customer");
        await page.Locator("#export-format").GetByText("Excel (.xlsx)").ClickAsync();
        // The server has taken it: the CSV-only options are gone.
        await Expect(page.Locator("#export-excel-friendly")).ToHaveCountAsync(0);
        await page.ClickAsync("#start-export");

        // The exports page follows the job until its file is ready.
        await Expect(page).ToHaveURLAsync(new Regex("/exports$"));
        var row = page.Locator("#exports-table tbody tr").First;
        await Expect(row).ToContainTextAsync("lifecycle customer");
        await Expect(row.Locator(".export-status")).ToHaveTextAsync("Ready", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });
        await Expect(row).ToContainTextAsync($"{emails.Count}");
        var download = await page.RunAndWaitForDownloadAsync(() => row.Locator(".download-export").ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename);
        var directory = TestPaths.NewTempDirectory("browser-export");
        var file = Path.Combine(directory, "contacts.xlsx");
        await download.SaveAsAsync(file);

        // Opened by LibreOffice: exactly the filtered rows, in the list's order.
        var sheet = await LibreOffice.ConvertToCsvAsync(file, directory);
        var header = sheet[0].ToList();
        Assert.Equal(["Record ID", "First Name", "Last Name", "Email", "Phone", "Job Title", "Lifecycle Stage", "Company", "Owner"], header);
        Assert.Equal(emails, sheet.Skip(1).Select(r => r[header.IndexOf("Email")]));
        Assert.All(sheet.Skip(1), r => Assert.Equal("customer", r[header.IndexOf("Lifecycle Stage")]));
        await page.Context.CloseAsync();
    }
}
