using Crm.Tests.TestSupport;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Crm.Tests.Web.Api;

/// <summary>What the import API does with odd files and odd requests: every row accounted for, every bad request a 400 naming its part.</summary>
public class ImportInputApiTests : ApiTestBase
{
    [Fact]
    public async Task ErrorFile_OfRowsWithMoreOrFewerValuesThanTheHeader_HoldsEveryFailedRowAsItWas_WithErrorLast()
    {
        var csv = "First Name,Last Name,Email\nAda,Lovelace,ada@x.org,extra,more\nGrace,Hopper,grace@x.org\nAlan\nLinus,Torvalds,not-an-email\n";
        var location = await StartAndWaitAsync(csv, "completed");

        var file = await Admin.GetAsync($"{location}/errors.csv", TestContext.Current.CancellationToken);
        var text = (await file.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).TrimStart('\uFEFF');
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("First Name,Last Name,Email,Error", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("Ada,Lovelace,ada@x.org,extra,more,", lines[1]);
        Assert.Contains("5 values but the header has 3", lines[1]);
        // A short row is padded, so its error stays under "Error".
        Assert.StartsWith("Alan,,,", lines[2]);
        Assert.Contains("1 values but the header has 3", lines[2]);
        Assert.StartsWith("Linus,Torvalds,not-an-email,", lines[3]);
    }

    [Fact]
    public async Task ErrorFile_NeutralisesFormulas_AndOurImportReadsThemBackAsTheyWere()
    {
        var csv = "First Name,Email\n\"=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",not-an-email\n@SUM(1),also-bad\n";
        var location = await StartAndWaitAsync(csv, "completed");

        var text = (await (await Admin.GetAsync($"{location}/errors.csv", TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).TrimStart('\uFEFF');

        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\"", text);
        Assert.Contains("'@SUM(1)", text);
        Assert.DoesNotContain("\n=", text);
        Assert.DoesNotContain("\n@", text);
    }

    [Fact]
    public async Task FullFormMapping_NamingSomeColumns_IgnoresTheOthers_AndImportsEveryRow()
    {
        var csv = "Name,Notes,E-mail\nAda,first,ada@example.com\nGrace,second,grace@example.com\n";
        var location = await StartAndWaitAsync(csv, "completed", mapping: """{"columns":[{"index":2,"field":"email"}]}""");

        var import = await JsonAsync(await Admin.GetAsync(location, TestContext.Current.CancellationToken));
        Assert.Equal((2, 0), (import.GetProperty("rowsCreated").GetInt32(), import.GetProperty("rowsFailed").GetInt32()));
        var contacts = await JsonAsync(await Admin.GetAsync("/api/v1/contacts?sort=email", TestContext.Current.CancellationToken));
        var first = contacts.GetProperty("items")[0];
        Assert.Equal("ada@example.com", first.GetProperty("email").GetString());
        // "Name" was not named, so it is not imported (a full mapping says everything it wants).
        Assert.Equal(JsonValueKind.Null, first.GetProperty("firstName").ValueKind);
    }

    [Theory]
    [InlineData("mapping", """{"columns":null}""", "no columns")]
    [InlineData("mapping", """{"columns":[null]}""", "empty (null)")]
    [InlineData("mapping", "nope", "not valid JSON")]
    [InlineData("mapping", "[1,2]", "is a JSON object")]
    [InlineData("mapping", """{"columns":[{"index":7,"field":"email"}]}""", "does not exist")]
    [InlineData("mapping", """{"columns":[{"index":0,"field":"email"},{"index":0,"field":"firstName"}]}""", "mapped twice")]
    [InlineData("mapping", """{"columns":[{"index":0,"field":"email","valueMap":{"x":null}}]}""", "value map says nothing for 'x'")]
    [InlineData("options", """{"defaultPhoneCountry":null}""", "defaultPhoneCountry")]
    [InlineData("options", "null", "'options' is empty")]
    [InlineData("settings", """{"delimiter":"\""}""", "cannot separate values")]
    [InlineData("settings", """{"delimiter":"\n"}""", "cannot separate values")]
    [InlineData("settings", """{"headerRow":0}""", "header row")]
    public async Task Start_WithAMalformedPart_Is400NamingIt_AndKeepsNothing(string part, string json, string message)
    {
        var form = Form("Email\nada@example.com\n");
        form.Add(new StringContent(json), part);

        var response = await Admin.PostAsync("/api/v1/imports", form, TestContext.Current.CancellationToken);

        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {body}");
        Assert.Contains(message, body, StringComparison.Ordinal);
        Assert.Equal(0, (await JsonAsync(await Admin.GetAsync("/api/v1/imports", TestContext.Current.CancellationToken))).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Upload_WithAHugeTextPart_Is400_WithoutReadingItAll()
    {
        var form = Form("Email\nada@example.com\n");
        form.Add(new StringContent(new string('x', 3 * 1024 * 1024)), "ignored");

        var response = await Admin.PostAsync("/api/v1/imports/drafts", form, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("larger than 1 MB", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task NullsInListsOfEmails_Are400_NotServerErrors()
    {
        var contact = await Admin.PostAsync("/api/v1/contacts", Raw("""{"firstName":"Ada","additionalEmails":[null]}"""), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, contact.StatusCode);
        Assert.Contains("additionalEmails", await contact.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.OrdinalIgnoreCase);

        var id = await CreateContactAsync(Admin, new { firstName = "Ada", email = "ada@example.com" });
        foreach (var list in new[] { "to", "cc" })
        {
            var email = await Admin.PostAsync("/api/v1/activities", Raw($$"""{"type":"email","contactId":{{id}},"subject":"Hi","body":"Hello","direction":"outbound","{{list}}":[null]}"""), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.BadRequest, email.StatusCode);
            Assert.Contains(list, await email.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Drafts_AreListedWithTheirExpiry_AndCanBeDiscarded_OnlyInTheirWorkspace()
    {
        var upload = await Admin.PostAsync("/api/v1/imports/drafts", Form("Email\nada@example.com\n"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var id = (await JsonAsync(upload)).GetProperty("importId").GetInt64();

        var drafts = await JsonAsync(await Admin.GetAsync("/api/v1/imports/drafts", TestContext.Current.CancellationToken));
        var draft = drafts.GetProperty("items").EnumerateArray().Single();
        Assert.Equal((id, "people.csv", 1), (draft.GetProperty("id").GetInt64(), draft.GetProperty("fileName").GetString(), draft.GetProperty("totalRows").GetInt32()));
        Assert.InRange(draft.GetProperty("expiresAt").GetDateTimeOffset() - draft.GetProperty("createdAt").GetDateTimeOffset(), TimeSpan.FromHours(24), TimeSpan.FromHours(24.1));

        var other = await Factory.ClientWithKeyAsync(await Factory.CreateWorkspaceAsync("Other"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/v1/imports/drafts/{id}", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(0, (await JsonAsync(await other.GetAsync("/api/v1/imports/drafts", TestContext.Current.CancellationToken))).GetProperty("total").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/api/v1/imports/drafts/{id}", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(0, (await JsonAsync(await Admin.GetAsync("/api/v1/imports/drafts", TestContext.Current.CancellationToken))).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.DeleteAsync($"/api/v1/imports/drafts/{id}", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/contacts")]
    [InlineData("/api/v1/imports")]
    [InlineData("/api/v1/exports")]
    [InlineData("/api/v1/duplicates")]
    public async Task APageFarPastTheEnd_IsEmpty_NotTheFirstPage(string list)
    {
        await CreateContactAsync(Admin, new { firstName = "Ada", email = "ada@example.com" });

        var response = await Admin.GetAsync($"{list}?page=2147483647&pageSize=200", TestContext.Current.CancellationToken);

        var page = await JsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2147483647, page.GetProperty("page").GetInt32());
        Assert.Equal(0, page.GetProperty("items").GetArrayLength());
    }

    private async Task<string> StartAndWaitAsync(string csv, string status, string? mapping = null)
    {
        var form = Form(csv);
        if (mapping is not null) form.Add(new StringContent(mapping), "mapping");
        var started = await Admin.PostAsync("/api/v1/imports", form, TestContext.Current.CancellationToken);
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var location = started.Headers.Location!.ToString();
        await RunWaiter.UntilStatusAsync(Admin, location, status);
        return location;
    }

    private static MultipartFormDataContent Form(string csv)
    {
        var form = new MultipartFormDataContent { { new StringContent("contact"), "objectType" } };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "people.csv");
        return form;
    }
}
