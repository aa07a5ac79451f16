using System.Text.RegularExpressions;
using Crm.Tests.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Crm.Tests.Browser;

/// <summary>An admin imports a real export the way a person does, from the upload to the rollback.</summary>
[Collection(LiveAppCollection.Name)]
public class ImportTests(LiveAppFixture app)
{
    private static readonly string SalesforceAccounts = Path.Combine(TestPaths.TestData, "csv", "salesforce-dataloader", "accountData.csv");

    [Fact]
    public async Task Admin_ImportsSalesforceAccounts_AdjustsTheMapping_TestsRunsDownloadsErrors_AndRollsBack()
    {
        var page = await app.Browser.NewPageAsync();
        await page.SignInAsync(app.Web.BaseUrl, "admin@example.com", "admin-password-1", "/imports");

        // An account the file also holds: the import will update it, the rollback must give its city back.
        var existing = await page.APIRequest.PostAsync($"{app.Web.BaseUrl}/api/v1/accounts",
            new APIRequestContextOptions { DataObject = new { name = "Gravity Investments", city = "Denver" }, Headers = BrowserSteps.FromTheApp(app.Web.BaseUrl) });
        Assert.Equal(201, existing.Status);
        var existingId = (await existing.JsonAsync())!.Value.GetProperty("id").GetInt64();

        // Upload: the Data Loader extract is not valid UTF-8, so it is read as Windows-1252, and says so.
        await page.ClickAsync("#new-import");
        await page.WaitForInteractiveAsync();
        await page.Locator("#object-type").GetByText("Accounts").ClickAsync();
        await ExpectChosenAsync(page, "Accounts", "Contacts");
        await page.SetInputFilesAsync("#import-file", SalesforceAccounts);
        await Expect(page).ToHaveURLAsync(new Regex(@"/imports/\d+$"), new PageAssertionsToHaveURLOptions { Timeout = 30_000 });
        await Expect(page.Locator("#row-count")).ToHaveTextAsync("423 rows");
        await Expect(page.Locator("#detected-encoding")).ToContainTextAsync("Windows-1252");
        await Expect(MappingOf(page, "NAME")).ToHaveValueAsync("Name");
        await Expect(MappingOf(page, "BILLINGCITY")).ToHaveValueAsync("City");
        await Expect(MappingOf(page, "ID")).ToHaveValueAsync("Don't import");

        // Adjust: TYPE goes into Industry instead of INDUSTRY (a new account custom field is offered too); records are
        // matched by name.
        await MappingOf(page, "TYPE").ClickAsync();
        await Expect(page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "New custom field…" })).ToHaveCountAsync(1);
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasTextRegex = new Regex("^Industry$") }).ClickAsync();
        await MappingOf(page, "INDUSTRY").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "Don't import" }).ClickAsync();
        await page.Locator("#match-field").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasTextRegex = new Regex("^Name$") }).ClickAsync();
        await Expect(MappingOf(page, "TYPE")).ToHaveValueAsync("Industry");
        await Expect(page.Locator("#match-field")).ToHaveValueAsync("Name");

        // Test: the existing account would be updated, the second "????????????????" is a duplicate of the first, and
        // six accounts have the made-up phone number (555) 555-1212, which no area code has: by default they come in
        // without it (listed), as one bad value does not cost a good row.
        await page.ClickAsync("#dry-run");
        await Expect(page.Locator("#dry-run-result")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
        await Expect(page.Locator("#would-update")).ToHaveTextAsync("1 would be updated");
        await Expect(page.Locator("#would-create")).ToHaveTextAsync("421 would be created");
        await Expect(page.Locator("#would-fail")).ToHaveTextAsync("1 with errors");
        await Expect(page.Locator("#would-leave-empty")).ToHaveTextAsync("6 values left empty");
        await Expect(page.Locator("#dry-run-errors")).ToContainTextAsync("Same name as line");
        await Expect(page.Locator("#dry-run-errors")).ToContainTextAsync("'(555) 555-1212' is not a valid phone number");
        await Expect(page.Locator("#dry-run-rows")).ToContainTextAsync("Denver");

        // Run it and watch it finish.
        await page.ClickAsync("#start-import");
        await Expect(page.Locator("#import-status")).ToHaveTextAsync("Completed", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });
        await Expect(page.Locator("#percent")).ToHaveTextAsync("100 %");
        await Expect(page.Locator("#created")).ToHaveTextAsync("421 created");
        await Expect(page.Locator("#updated")).ToHaveTextAsync("1 updated");
        await Expect(page.Locator("#failed")).ToHaveTextAsync("1 failed");
        await Expect(page.Locator("#values-left-empty")).ToHaveTextAsync("6 values left empty");
        await Expect(page.Locator("#import-errors")).ToContainTextAsync("Same name as line");
        // Identical phone problems are one line with their count (the most frequent first), opened to list their rows.
        await Expect(page.Locator("#error-summary-count")).ToContainTextAsync("problems, most frequent first");
        var phones = page.Locator("#import-errors .import-error-group", new PageLocatorOptions { HasText = "PHONE: '(555) 555-1212'" }).First;
        await Expect(phones.Locator(".import-error-count")).ToHaveTextAsync(new Regex(@"^[2-6] rows$"));
        var rows = int.Parse((await phones.Locator(".import-error-count").TextContentAsync())!.Split(' ')[0]);
        await Expect(phones).ToContainTextAsync("Imported without it");
        await phones.Locator(".mud-expand-panel-header").ClickAsync();
        await Expect(phones.Locator(".import-error-rows tbody tr")).ToHaveCountAsync(rows);
        Assert.Equal("FORT COLLINS", await CityOfAsync(page, existingId));

        // The error file: the failed row and those imported without a value, as they were uploaded, plus the reason.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-errors"));
        Assert.Equal("accountData-errors.csv", download.SuggestedFilename);
        var errors = await File.ReadAllLinesAsync((await download.PathAsync())!);
        Assert.StartsWith("ID,ISDELETED,MASTERRECORDID,NAME,", errors[0].TrimStart('\uFEFF'));
        Assert.EndsWith(",Error", errors[0]);
        Assert.Equal(8, errors.Length);
        var duplicate = File.ReadLines(SalesforceAccounts, System.Text.Encoding.Latin1).Where(l => l.Contains("\"????????????????\"")).Skip(1).Single();
        var duplicateLine = Assert.Single(errors, e => e.StartsWith(duplicate.Split(',')[0].Trim('"') + ",", StringComparison.Ordinal));
        Assert.Contains("Same name as line", duplicateLine);
        Assert.Equal(6, errors.Count(e => e.Contains("PHONE: '(555) 555-1212' is not a valid phone number", StringComparison.Ordinal)));

        // Roll back: the 421 new accounts are gone, the existing one has its city back.
        await page.ClickAsync("#roll-back");
        await Expect(page.Locator("#rollback-preview")).ToContainTextAsync("421");
        await page.ClickAsync("#confirm-rollback");
        await Expect(page.Locator("#import-status")).ToHaveTextAsync("Rolled back", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });
        await Expect(page.Locator("#rollback-summary")).ToContainTextAsync("421 created records deleted, 1 updated records restored");
        Assert.Equal("Denver", await CityOfAsync(page, existingId));
        var left = await page.APIRequest.GetAsync($"{app.Web.BaseUrl}/api/v1/accounts?search=Rhombus");
        Assert.Equal(0, (await left.JsonAsync())!.Value.GetProperty("total").GetInt32());

        // The history lists it.
        await page.GotoAsync($"{app.Web.BaseUrl}/imports");
        await Expect(page.Locator("#imports-table")).ToContainTextAsync("accountData.csv");
        await Expect(page.Locator("#imports-table")).ToContainTextAsync("Rolled back");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Admin_ImportsOdooContactsWithTheirCompanies_AndRollingBack_RemovesTheContactsAndTheAccountsItMade()
    {
        var page = await app.Browser.NewPageAsync();
        await page.SignInAsync(app.Web.BaseUrl, "admin@example.com", "admin-password-1", "/imports/new");
        await page.WaitForInteractiveAsync();
        await page.Locator("#object-type").GetByText("Contacts").ClickAsync();
        await page.SetInputFilesAsync("#import-file", Path.Combine(TestPaths.TestData, "csv", "odoo", "o2m_customers_contacts.csv"));
        await Expect(page).ToHaveURLAsync(new Regex(@"/imports/\d+$"), new PageAssertionsToHaveURLOptions { Timeout = 30_000 });
        await Expect(page.Locator("#row-count")).ToHaveTextAsync("8 rows");
        await Expect(MappingOf(page, "Name")).ToHaveValueAsync("Full name (split into first and last)");
        await Expect(MappingOf(page, "Related company")).ToHaveValueAsync("Company (account by name)");

        await Expect(MappingOf(page, "Is a company")).ToHaveValueAsync("Row is a company (becomes an account)");

        // The three "Is a company" rows are the accounts the five people belong to, not contacts named after them.
        await page.ClickAsync("#dry-run");
        await Expect(page.Locator("#would-create")).ToHaveTextAsync("5 would be created", new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });
        await Expect(page.Locator("#would-skip")).ToHaveTextAsync("3 would be skipped");
        await Expect(page.Locator("#dry-run-result")).ToContainTextAsync("3 new accounts");
        await Expect(page.Locator("#dry-run-rows")).ToContainTextAsync("it becomes the account 'Aurora Shelves'");

        await page.ClickAsync("#start-import");
        await Expect(page.Locator("#import-status")).ToHaveTextAsync("Completed", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });
        await Expect(page.Locator("#percent")).ToHaveTextAsync("100 %");
        await Expect(page.Locator("#created")).ToHaveTextAsync("5 created");
        Assert.Equal(1, await TotalAsync(page, "contacts?search=Roger%20Martins"));
        var people = await page.APIRequest.GetAsync($"{app.Web.BaseUrl}/api/v1/contacts?search=Aurora&pageSize=50");
        Assert.DoesNotContain((await people.JsonAsync())!.Value.GetProperty("items").EnumerateArray(), c => c.GetProperty("lastName").GetString() == "Shelves");
        Assert.Equal(1, await TotalAsync(page, "accounts?search=House%20Sales%20Direct"));

        await page.ClickAsync("#roll-back");
        await page.ClickAsync("#confirm-rollback");
        await Expect(page.Locator("#import-status")).ToHaveTextAsync("Rolled back", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });
        Assert.Equal(0, await TotalAsync(page, "contacts?search=Roger%20Martins"));
        Assert.Equal(0, await TotalAsync(page, "accounts?search=House%20Sales%20Direct"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task StartingWithoutATest_TestsFirst_AndAsksBeforeImportingRowsWithProblems()
    {
        var file = Path.Combine(Path.GetTempPath(), $"untested-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, "Email,First Name,Phone\nuntested.ok@example.com,Ok,+1 303 555 0199\nuntested.bad@example.com,Bad,not a phone\n");
        var page = await app.Browser.NewPageAsync();
        await page.SignInAsync(app.Web.BaseUrl, "admin@example.com", "admin-password-1", "/imports/new");
        await page.WaitForInteractiveAsync();
        await page.Locator("#object-type").GetByText("Contacts").ClickAsync();
        await page.SetInputFilesAsync("#import-file", file);
        await Expect(page.Locator("#row-count")).ToHaveTextAsync("2 rows", new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });

        // Straight to Start: the test runs, and its finding is asked about before anything is written.
        await page.ClickAsync("#start-import");
        var dialog = page.Locator(".mud-dialog");
        await Expect(dialog).ToContainTextAsync("Start with these problems?", new LocatorAssertionsToContainTextOptions { Timeout = 30_000 });
        await Expect(dialog).ToContainTextAsync("1 value would be left empty");
        Assert.Equal(0, await TotalAsync(page, "contacts?search=untested.ok"));
        await page.ClickAsync("#confirm");
        await Expect(page.Locator("#import-status")).ToHaveTextAsync("Completed", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });
        await Expect(page.Locator("#created")).ToHaveTextAsync("2 created");

        // The demo data as the other tests know it.
        await page.ClickAsync("#roll-back");
        await page.ClickAsync("#confirm-rollback");
        await Expect(page.Locator("#import-status")).ToHaveTextAsync("Rolled back", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });
        await page.Context.CloseAsync();
        File.Delete(file);
    }

    [Fact]
    public async Task Mapping_ShowsValuesNoStageTakes_BeforeAnyTest_MapsThem_AndFoldsEmptyColumns()
    {
        var file = Path.Combine(Path.GetTempPath(), $"stages-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, "Email,First Name,Lifecycle Stage,Fax\n" +
                                           "stages.one@example.com,One,Partner,\nstages.two@example.com,Two,Partner,\nstages.three@example.com,Three,customer,\n");
        var page = await app.Browser.NewPageAsync();
        await page.SignInAsync(app.Web.BaseUrl, "admin@example.com", "admin-password-1", "/imports/new");
        await page.WaitForInteractiveAsync();
        await page.Locator("#object-type").GetByText("Contacts").ClickAsync();
        await page.SetInputFilesAsync("#import-file", file);
        await Expect(page.Locator("#row-count")).ToHaveTextAsync("3 rows", new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });

        // Before any test: the one value no stage takes, counted over the file; the empty Fax column folded away.
        await Expect(page.Locator("#unmatched-values")).ToContainTextAsync("“Partner” × 2");
        await Expect(page.Locator("#unmatched-values")).Not.ToContainTextAsync("customer”");
        await Expect(page.Locator("#empty-columns")).ToContainTextAsync("1 column has no value in any row");
        await Expect(MappingOf(page, "Fax")).ToHaveCountAsync(0);
        await page.ClickAsync("#toggle-empty-columns");
        await Expect(MappingOf(page, "Fax")).ToHaveCountAsync(1);

        // Mapped here, the test finds nothing left to ask about, and the rows import with the stage chosen.
        await page.Locator("#unmatched-values [data-value='Partner']").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasTextRegex = new Regex("^customer$") }).ClickAsync();
        await Expect(page.Locator("#unmatched-values [data-value='Partner']")).ToHaveTextAsync("customer");
        await page.ClickAsync("#start-import");
        await Expect(page.Locator("#import-status")).ToHaveTextAsync("Completed", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });
        await Expect(page.Locator("#created")).ToHaveTextAsync("3 created");
        var contacts = await page.APIRequest.GetAsync($"{app.Web.BaseUrl}/api/v1/contacts?search=stages.&pageSize=10");
        var stages = (await contacts.JsonAsync())!.Value.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("lifecycle").GetString()).ToList();
        Assert.Equal(["customer", "customer", "customer"], stages.Select(s => s!.ToLowerInvariant()));

        await page.ClickAsync("#roll-back");
        await page.ClickAsync("#confirm-rollback");
        await Expect(page.Locator("#import-status")).ToHaveTextAsync("Rolled back", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });
        await page.Context.CloseAsync();
        File.Delete(file);
    }

    private async Task<int> TotalAsync(IPage page, string query)
    {
        var response = await page.APIRequest.GetAsync($"{app.Web.BaseUrl}/api/v1/{query}");
        return (await response.JsonAsync())!.Value.GetProperty("total").GetInt32();
    }

    [Fact]
    public async Task Upload_OfAFileThatIsNotTabular_SaysWhy_AndStaysOnTheUploadStep()
    {
        var page = await app.Browser.NewPageAsync();
        await page.SignInAsync(app.Web.BaseUrl, "admin@example.com", "admin-password-1", "/imports/new");
        await page.SetInputFilesAsync("#import-file", new FilePayload { Name = "photo.csv", MimeType = "text/csv", Buffer = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52] });
        await Expect(page.Locator("#upload-error")).ToContainTextAsync("photo.csv");
        await Expect(page).ToHaveURLAsync(new Regex("/imports/new$"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Rep_CannotOpenImports()
    {
        var page = await app.Browser.NewPageAsync();
        await page.SignInAsync(app.Web.BaseUrl, "rep@example.com", "rep-password-1", "/contacts");
        await Expect(page.Locator("#nav-imports")).ToHaveCountAsync(0);
        await page.GotoAsync($"{app.Web.BaseUrl}/imports/new");
        await Expect(page.Locator("#access-refused")).ToBeVisibleAsync();
        await Expect(page.Locator("#import-file")).ToHaveCountAsync(0);
        var upload = await page.APIRequest.PostAsync($"{app.Web.BaseUrl}/api/v1/imports/drafts?objectType=contact",
            new APIRequestContextOptions { Multipart = page.APIRequest.CreateFormData().Set("file", new FilePayload { Name = "a.csv", MimeType = "text/csv", Buffer = "Email\na@b.example\n"u8.ToArray() }),
                Headers = BrowserSteps.FromTheApp(app.Web.BaseUrl) });
        Assert.Equal(403, upload.Status);
        await page.Context.CloseAsync();
    }

    /// <summary>The server has taken the choice (its re-render marks the radio), not only the browser's own click.</summary>
    private static async Task ExpectChosenAsync(IPage page, string chosen, string other)
    {
        await Expect(page.Locator("#object-type label", new PageLocatorOptions { HasText = chosen }).Locator(".mud-checked")).ToHaveCountAsync(1);
        await Expect(page.Locator("#object-type label", new PageLocatorOptions { HasText = other }).Locator(".mud-checked")).ToHaveCountAsync(0);
    }

    /// <summary>The "imports into" select of a column, found by the column's header.</summary>
    private static ILocator MappingOf(IPage page, string header) => page.Locator($"#mapping-table input[data-column='{header}']");

    private async Task<string?> CityOfAsync(IPage page, long id)
    {
        var response = await page.APIRequest.GetAsync($"{app.Web.BaseUrl}/api/v1/accounts/{id}");
        var json = await response.JsonAsync();
        return json!.Value.GetProperty("city").GetString();
    }
}
