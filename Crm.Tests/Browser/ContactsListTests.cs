using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Crm.Tests.Browser;

[Collection(LiveAppCollection.Name)]
public class ContactsListTests(LiveAppFixture app)
{
    [Fact]
    public async Task ContactsGrid_SortsAndFiltersOnTheServer()
    {
        var page = await app.Browser.NewPageAsync();
        await page.SignInAsync(app.Web.BaseUrl, "admin@example.com", "admin-password-1", "/contacts");
        var grid = page.Locator("#contacts-grid");
        var all = await page.ContactTotalAsync(app.Web.BaseUrl);
        await Expect(grid).ToContainTextAsync($"of {all}");

        // Sort by score, descending: the server returns the highest scores first.
        var scoreHeader = grid.Locator("th", new LocatorLocatorOptions { HasText = "Score" });
        // Each click re-renders the header: the second waits until the first has taken (a click mid-render is lost).
        // The click is on the column's name (the header's middle can fall between its sort and options buttons).
        await scoreHeader.Locator(".sortable-column-header").ClickAsync();
        await Expect(scoreHeader.Locator(".sort-direction-icon.mud-direction-asc")).ToHaveCountAsync(1);
        await scoreHeader.Locator(".sortable-column-header").ClickAsync();
        await Expect(scoreHeader.Locator(".sort-direction-icon.mud-direction-desc")).ToHaveCountAsync(1);
        await Expect(grid.Locator("tbody tr").First.Locator("td").Nth(4)).ToHaveTextAsync("100");

        // Filter by lifecycle: every row shows it, and the total shrinks.
        await page.Locator("#filter-lifecycle").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "Customer" }).ClickAsync();
        var total = await page.ContactTotalAsync(app.Web.BaseUrl, "&lifecycle=customer");
        Assert.InRange(total, 1, all - 1);
        await Expect(grid).ToContainTextAsync($"of {total}");
        // The rows follow the total in the same render, but wait for them rather than read a render in between.
        await Expect(grid.Locator("tbody tr .mud-chip", new LocatorLocatorOptions { HasNotText = "Customer" })).ToHaveCountAsync(0);
        await Expect(grid.Locator("tbody tr .mud-chip").First).ToHaveTextAsync("Customer");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task BackFromAContact_ReturnsToTheSameList_ItsSearchFilterSortAndPage()
    {
        var page = await app.Browser.NewPageAsync();
        await page.SignInAsync(app.Web.BaseUrl, "admin@example.com", "admin-password-1", "/contacts");
        var grid = page.Locator("#contacts-grid");
        var all = await page.ContactTotalAsync(app.Web.BaseUrl);
        await Expect(grid).ToContainTextAsync($"of {all}");

        await page.Locator("#filter-lifecycle").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "Customer" }).ClickAsync();
        var updated = grid.Locator("th", new LocatorLocatorOptions { HasText = "Score" });
        await updated.Locator(".sortable-column-header").ClickAsync();
        await Expect(updated.Locator(".sort-direction-icon.mud-direction-asc")).ToHaveCountAsync(1);
        await page.FillAsync("#contact-search", "a");
        await Expect(page).ToHaveURLAsync(new Regex("lifecycle=customer.*sort=leadScore.*|sort=leadScore.*lifecycle=customer"));
        await Expect(page).ToHaveURLAsync(new Regex("search=a"));
        var listUrl = page.Url;
        var first = await grid.Locator("tbody tr .contact-link").First.TextContentAsync();

        // One click on the name is one history entry: a single Back returns to the list as it was.
        await grid.Locator("tbody tr .contact-link").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/contacts/\d+$"));
        await page.GoBackAsync();
        await Expect(page).ToHaveURLAsync(listUrl);
        await Expect(page.Locator("#contact-search")).ToHaveValueAsync("a");
        await Expect(page.Locator("#filter-lifecycle")).ToHaveValueAsync("Customer");
        await Expect(updated.Locator(".sort-direction-icon.mud-direction-asc")).ToHaveCountAsync(1);
        await Expect(grid.Locator("tbody tr .contact-link").First).ToHaveTextAsync(first!);

        // A click elsewhere on the row opens the contact too, and Back still lands on the list.
        // (The name's link covers the row, so the click lands on it wherever it is made.)
        await grid.Locator("tbody tr td").Nth(1).ClickAsync(new LocatorClickOptions { Force = true });
        await Expect(page).ToHaveURLAsync(new Regex(@"/contacts/\d+$"));
        await page.GoBackAsync();
        await Expect(page).ToHaveURLAsync(listUrl);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("/accounts", "#account-search", "accounts-grid", ".account-link", "Contacts", @"/accounts/\d+$")]
    [InlineData("/deals", "#deal-search", "deals-grid", ".deal-link", "Amount", @"/deals/\d+$")]
    public async Task BackFromAnAccountOrADeal_ReturnsToTheSameList_ItsSearchAndSort(string path, string search, string gridId, string link, string column, string recordUrl)
    {
        var page = await app.Browser.NewPageAsync();
        await page.SignInAsync(app.Web.BaseUrl, "admin@example.com", "admin-password-1", path);
        var grid = page.Locator("#" + gridId);
        await Expect(grid.Locator("tbody tr " + link).First).ToBeVisibleAsync();

        var header = grid.Locator("th", new LocatorLocatorOptions { HasText = column });
        await header.Locator(".sortable-column-header").ClickAsync();
        await header.Locator(".sortable-column-header").ClickAsync();
        await Expect(header.Locator(".sort-direction-icon.mud-direction-desc")).ToHaveCountAsync(1);
        await page.FillAsync(search, "e");
        await Expect(page).ToHaveURLAsync(new Regex("search=e"));
        await Expect(page).ToHaveURLAsync(new Regex("sort=-"));
        var listUrl = page.Url;
        var first = await grid.Locator("tbody tr " + link).First.TextContentAsync();

        await grid.Locator("tbody tr " + link).First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(recordUrl));
        await page.GoBackAsync();
        await Expect(page).ToHaveURLAsync(listUrl);
        await Expect(page.Locator(search)).ToHaveValueAsync("e");
        await Expect(header.Locator(".sort-direction-icon.mud-direction-desc")).ToHaveCountAsync(1);
        await Expect(grid.Locator("tbody tr " + link).First).ToHaveTextAsync(first!);

        // A reload shows the same list too (the address holds it).
        await page.ReloadAsync();
        await Expect(grid.Locator("tbody tr " + link).First).ToHaveTextAsync(first!);
        await page.Context.CloseAsync();
    }
}
