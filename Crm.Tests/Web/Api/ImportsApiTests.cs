using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Crm.Core.Users;
using Crm.Tests.TestSupport;

namespace Crm.Tests.Web.Api;

/// <summary>The import path through the HTTP API, with the real background jobs (Quartz) running it.</summary>
public class ImportsApiTests : ApiTestBase
{
    private static readonly string SalesforceAccounts = Path.Combine(TestPaths.TestData, "csv", "salesforce-dataloader", "accountData.csv");

    [Fact]
    public async Task ImportThroughTheApi_TestsRunsReportsErrorsAndRollsBack()
    {
        var existing = await JsonAsync(await Admin.PostAsJsonAsync("/api/v1/accounts", new { name = "Gravity Investments", city = "Denver" }));
        var existingId = existing.GetProperty("id").GetInt64();
        var mapping = """{"PHONE": "", "TYPE": ""}""";
        var options = """{"strategy": "update", "matchField": "name"}""";

        // A test run: counts for the whole file, nothing written, and no draft left behind.
        var test = await Admin.PostAsync("/api/v1/imports?dryRun=true", Upload(SalesforceAccounts, "account", mapping, options));
        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        var plan = await JsonAsync(test);
        Assert.Equal((423, 421, 1, 1), (plan.GetProperty("totalRows").GetInt32(), plan.GetProperty("wouldCreate").GetInt32(),
            plan.GetProperty("wouldUpdate").GetInt32(), plan.GetProperty("wouldFail").GetInt32()));
        var update = plan.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("action").GetString() == "update");
        Assert.Contains(update.GetProperty("changes").EnumerateArray(), c => c.GetProperty("field").GetString() == "City"
            && c.GetProperty("before").GetString() == "Denver" && c.GetProperty("after").GetString() == "FORT COLLINS");
        Assert.Equal(1, (await JsonAsync(await Admin.GetAsync("/api/v1/accounts"))).GetProperty("total").GetInt32());
        Assert.Equal(0, (await JsonAsync(await Admin.GetAsync("/api/v1/imports"))).GetProperty("total").GetInt32());

        // The run: accepted, then finished by the background job.
        var started = await Admin.PostAsync("/api/v1/imports", Upload(SalesforceAccounts, "account", mapping, options));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var location = started.Headers.Location!.ToString();
        var done = await WaitForAsync(location, "completed");
        Assert.Equal((423, 421, 1, 0, 1), (done.GetProperty("rowsProcessed").GetInt32(), done.GetProperty("rowsCreated").GetInt32(),
            done.GetProperty("rowsUpdated").GetInt32(), done.GetProperty("rowsSkipped").GetInt32(), done.GetProperty("rowsFailed").GetInt32()));
        Assert.Equal(100, done.GetProperty("percent").GetInt32());
        Assert.Equal("FORT COLLINS", (await JsonAsync(await Admin.GetAsync($"/api/v1/accounts/{existingId}"))).GetProperty("city").GetString());

        // Errors: listed with the file's line number, and as the upload's own rows plus an Error column.
        var errors = await JsonAsync(await Admin.GetAsync($"{location}/errors"));
        var error = errors.GetProperty("items").EnumerateArray().Single();
        Assert.Equal("duplicate", error.GetProperty("type").GetString());
        Assert.True(error.GetProperty("lineNumber").GetInt64() > 1);
        var file = await Admin.GetAsync($"{location}/errors.csv");
        Assert.Equal("text/csv", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal("accountData-errors.csv", file.Content.Headers.ContentDisposition?.FileNameStar ?? file.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var lines = (await file.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith(",Error", lines[0]);
        Assert.Contains("Same name as line", lines[1]);

        // Rollback: previewed, run in the background, and everything is as before.
        var preview = await JsonAsync(await Admin.GetAsync($"{location}/rollback"));
        Assert.Equal((421, 1, 0), (preview.GetProperty("createdRecords").GetInt32(), preview.GetProperty("updatedRecords").GetInt32(), preview.GetProperty("conflicts").GetArrayLength()));
        var rollback = await Admin.PostAsJsonAsync($"{location}/rollback", new { restoreChangedRecords = false });
        Assert.Equal(HttpStatusCode.Accepted, rollback.StatusCode);
        var rolledBack = await WaitForAsync(location, "rolledBack");
        Assert.Equal((421, 1), (rolledBack.GetProperty("rollbackDeleted").GetInt32(), rolledBack.GetProperty("rollbackRestored").GetInt32()));
        Assert.Equal("Denver", (await JsonAsync(await Admin.GetAsync($"/api/v1/accounts/{existingId}"))).GetProperty("city").GetString());
        Assert.Equal(1, (await JsonAsync(await Admin.GetAsync("/api/v1/accounts"))).GetProperty("total").GetInt32());

        // A second rollback is refused with a reason.
        var again = await Admin.PostAsJsonAsync($"{location}/rollback", new { restoreChangedRecords = false });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
    }

    [Fact]
    public async Task Import_ByARepKey_Is403_AndImportsOfAnotherWorkspaceAre404()
    {
        var rep = await Factory.ClientWithKeyAsync(Factory.FirstWorkspaceId, UserRole.Rep);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostAsync("/api/v1/imports", Upload("Email\nada@example.com\n", "contact"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.GetAsync("/api/v1/imports")).StatusCode);

        var started = await Admin.PostAsync("/api/v1/imports", Upload("Email,First Name\nada@example.com,Ada\n", "contact"));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var location = started.Headers.Location!.ToString();
        await WaitForAsync(location, "completed");

        var other = await Factory.ClientWithKeyAsync(await Factory.CreateWorkspaceAsync("Other"));
        foreach (var path in new[] { location, $"{location}/errors", $"{location}/errors.csv", $"{location}/rollback" })
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"{location}/rollback", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"{location}/cancel", null)).StatusCode);
        Assert.Equal(0, (await JsonAsync(await other.GetAsync("/api/v1/imports"))).GetProperty("total").GetInt32());
        Assert.Equal(0, (await JsonAsync(await other.GetAsync("/api/v1/contacts"))).GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("Email,First Name\n", "no data rows")]
    [InlineData("\u0089PNG\r\n\u001a\n\0\0\0\rIHDR\0\0\0", "not a text file")]
    public async Task Upload_OfABadFile_Is400_WithTheReason_AndKeepsNothing(string content, string reason)
    {
        var response = await Admin.PostAsync("/api/v1/imports", Upload(content, "contact"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, (await JsonAsync(await Admin.GetAsync("/api/v1/imports"))).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Upload_WithAMappingToAnUnknownFieldOrColumn_Is400()
    {
        var unknownField = await Admin.PostAsync("/api/v1/imports", Upload("Email\nada@example.com\n", "contact", """{"Email": "favouriteColour"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
        Assert.Contains("favouriteColour", await unknownField.Content.ReadAsStringAsync());

        var unknownColumn = await Admin.PostAsync("/api/v1/imports", Upload("Email\nada@example.com\n", "contact", """{"E-mail": "email"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, unknownColumn.StatusCode);
        Assert.Contains("no column named 'E-mail'", await unknownColumn.Content.ReadAsStringAsync());

        var badJson = await Admin.PostAsync("/api/v1/imports", Upload("Email\nada@example.com\n", "contact", options: "{strategy: "));
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
        Assert.Equal(0, (await JsonAsync(await Admin.GetAsync("/api/v1/imports"))).GetProperty("total").GetInt32());
    }

    private async Task<JsonElement> WaitForAsync(string location, string status)
    {
        // A failed import ends the wait at once, with what it says.
        var view = await RunWaiter.UntilStatusAsync(Admin, location, status, "failed");
        Assert.True(view.GetProperty("status").GetString() == status, $"The import is not {status}: {view}");
        return view;
    }

    private static MultipartFormDataContent Upload(string pathOrContent, string objectType, string? mapping = null, string? options = null)
    {
        var form = new MultipartFormDataContent { { new StringContent(objectType), "objectType" } };
        if (mapping is not null) form.Add(new StringContent(mapping), "mapping");
        if (options is not null) form.Add(new StringContent(options), "options");
        var isPath = pathOrContent.EndsWith(".csv", StringComparison.Ordinal) && File.Exists(pathOrContent);
        var bytes = isPath ? File.ReadAllBytes(pathOrContent) : Encoding.Latin1.GetBytes(pathOrContent);
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", isPath ? Path.GetFileName(pathOrContent) : "upload.csv");
        return form;
    }
}
