using Crm.Tests.TestSupport;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Crm.Core.Users;
using MiniExcelLibs;

namespace Crm.Tests.Web.Api;

/// <summary>The export path through the HTTP API, run by the real background jobs (Quartz).</summary>
public class ExportsApiTests : ApiTestBase
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var account = (await JsonAsync(await Admin.PostAsJsonAsync("/api/v1/accounts", new { name = "Analytical Engines", domain = "engines.example" }))).GetProperty("id").GetInt64();
        await CreateContactAsync(Admin, new { firstName = "Ada", lastName = "Lovelace", email = "ada@example.com", lifecycle = "customer", accountId = account });
        await CreateContactAsync(Admin, new { firstName = "Grace", lastName = "Hopper", email = "grace@example.com", lifecycle = "lead", jobTitle = "@SUM(A1)" });
        await CreateContactAsync(Admin, new { firstName = "Zoë", lastName = "日本", email = "zoe@example.com", lifecycle = "customer" });
    }

    private async Task<(JsonElement View, HttpResponseMessage File)> ExportAsync(HttpClient client, object request)
    {
        var started = await client.PostAsJsonAsync("/api/v1/exports", request);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var location = started.Headers.Location!.OriginalString;
        var view = await RunWaiter.UntilAsync(client, location, v => v.GetProperty("status").GetString() is not ("pending" or "processing"));
        return (view, await client.GetAsync(location + "/file"));
    }

    [Fact]
    public async Task Csv_OfAFilteredList_WithRelatedFields()
    {
        var (view, file) = await ExportAsync(Admin, new
        {
            format = "csv", objectType = "contact", fields = new[] { "firstName", "email", "company", "jobTitle" },
            filter = new { lifecycle = "customer", sort = "firstName" },
        });

        Assert.Equal(("completed", 2), (view.GetProperty("status").GetString(), view.GetProperty("rowsWritten").GetInt32()));
        Assert.Equal("text/csv", file.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".csv", file.Content.Headers.ContentDisposition?.FileNameStar ?? file.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("First Name,Email,Company,Job Title\r\nAda,ada@example.com,Analytical Engines,\r\nZoë,zoe@example.com,,\r\n", await file.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Xlsx_Json_Ndjson_AndExcelFriendlyCsv()
    {
        var (_, xlsx) = await ExportAsync(Admin, new { format = "xlsx", objectType = "contact", fields = new[] { "firstName", "lastName" }, filter = new { sort = "firstName" } });
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        await using (var stream = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()))
            Assert.Equal(["Ada", "Grace", "Zoë"], MiniExcel.Query(stream, useHeaderRow: true).Cast<IDictionary<string, object?>>().Select(r => r["First Name"]));

        var (_, json) = await ExportAsync(Admin, new { format = "json", objectType = "contact", fields = new[] { "firstName", "email" }, filter = new { search = "grace" } });
        Assert.Equal("[{\"firstName\":\"Grace\",\"email\":\"grace@example.com\"}]", await json.Content.ReadAsStringAsync());

        var (_, ndjson) = await ExportAsync(Admin, new { format = "ndjson", objectType = "contact", fields = new[] { "firstName" }, filter = new { sort = "-firstName" } });
        Assert.Equal("application/x-ndjson", ndjson.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"firstName\":\"Zoë\"}\n{\"firstName\":\"Grace\"}\n{\"firstName\":\"Ada\"}\n", await ndjson.Content.ReadAsStringAsync());

        var (_, excel) = await ExportAsync(Admin, new { format = "csv", objectType = "contact", fields = new[] { "firstName", "jobTitle" }, filter = new { search = "grace" }, excelFriendly = true, culture = "de-DE" });
        var bytes = await excel.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.Equal("First Name;Job Title\r\nGrace;\"'@SUM(A1)\"\r\n", Encoding.UTF8.GetString(bytes[3..]));
    }

    [Fact]
    public async Task Downloads_AreLimitedToTheWorkspace_AndToAdminsWhenTheSettingSaysSo()
    {
        var (view, _) = await ExportAsync(Admin, new { objectType = "contact" });
        var id = view.GetProperty("id").GetInt64();

        var other = await Factory.ClientWithKeyAsync(await Factory.CreateWorkspaceAsync("Other"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/exports/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/exports/{id}/file")).StatusCode);
        Assert.Equal(0, (await JsonAsync(await other.GetAsync("/api/v1/exports"))).GetProperty("total").GetInt32());

        var rep = await Factory.ClientWithKeyAsync(Factory.FirstWorkspaceId, UserRole.Rep);
        Assert.Equal(HttpStatusCode.OK, (await rep.GetAsync($"/api/v1/exports/{id}/file")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PutAsJsonAsync("/api/v1/exports/settings", new { rowLimit = 100, adminOnly = false, retentionHours = 24 })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync("/api/v1/exports/settings", new { rowLimit = 50000, adminOnly = true, retentionHours = 24 })).StatusCode);
        var (adminOnly, file) = await ExportAsync(Admin, new { objectType = "contact" });
        Assert.True(adminOnly.GetProperty("adminOnly").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.GetAsync($"/api/v1/exports/{adminOnly.GetProperty("id").GetInt64()}/file")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostAsJsonAsync("/api/v1/exports", new { objectType = "contact" })).StatusCode);
    }

    [Fact]
    public async Task BadRequests_AreRefusedWithReasons()
    {
        var unknownField = await Admin.PostAsJsonAsync("/api/v1/exports", new { objectType = "contact", fields = new[] { "email", "shoeSize" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
        Assert.Contains("'shoeSize' is not a field of contacts", await unknownField.Content.ReadAsStringAsync());

        var noType = await Admin.PostAsJsonAsync("/api/v1/exports", new { format = "csv" });
        Assert.Equal(HttpStatusCode.BadRequest, noType.StatusCode);

        var badFormat = await Admin.PostAsync("/api/v1/exports", Raw("""{"format":"pdf","objectType":"contact"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, badFormat.StatusCode);

        var badSort = await Admin.PostAsJsonAsync("/api/v1/exports", new { objectType = "contact", filter = new { sort = "shoeSize" } });
        Assert.Equal(HttpStatusCode.BadRequest, badSort.StatusCode);
        Assert.Contains("Cannot sort by 'shoeSize'", await badSort.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync("/api/v1/exports/settings", new { rowLimit = 2, adminOnly = false, retentionHours = 24 })).StatusCode);
        var tooMany = await Admin.PostAsJsonAsync("/api/v1/exports", new { objectType = "contact" });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("would hold 3 contacts", await tooMany.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync("/api/v1/exports/999999/file")).StatusCode);
    }

    [Fact]
    public async Task Fields_AndFieldSets()
    {
        var fields = await JsonAsync(await Admin.GetAsync("/api/v1/exports/fields?objectType=deal"));
        Assert.Contains(fields.EnumerateArray(), f => f.GetProperty("key").GetString() == "company" && f.GetProperty("group").GetString() == "related");

        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsJsonAsync("/api/v1/exports/field-sets", new { objectType = "contact", name = "Mailing", fields = new[] { "email", "firstName" } })).StatusCode);
        var sets = await JsonAsync(await Admin.GetAsync("/api/v1/exports/field-sets?objectType=contact"));
        var set = Assert.Single(sets.EnumerateArray());
        Assert.Equal(["email", "firstName"], set.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/api/v1/exports/field-sets/{set.GetProperty("id").GetInt64()}")).StatusCode);
    }
}
