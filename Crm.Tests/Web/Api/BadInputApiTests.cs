using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Crm.Tests.Web.Api;

/// <summary>Bad input is a 400 problem naming the field and saying what is wrong; never a 500, never half-saved.</summary>
public class BadInputApiTests : ApiTestBase
{
    private async Task<JsonElement> Expect400Async(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await JsonAsync(response);
    }

    [Fact]
    public async Task MalformedJson_Is400()
    {
        var problem = await Expect400Async(await Admin.PostAsync("/api/v1/contacts", Raw("{\"firstName\": \"Ada\",")));

        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").EnumerateObject().Any());
    }

    [Fact]
    public async Task WrongType_Is400NamingTheField()
    {
        var problem = await Expect400Async(await Admin.PostAsync("/api/v1/deals", Raw("{\"name\": \"Deal\", \"amount\": \"lots\"}")));

        Assert.True(problem.GetProperty("errors").TryGetProperty("amount", out var messages));
        Assert.Contains("wrong type", messages[0].GetString());
    }

    [Fact]
    public async Task UnknownEnumValue_Is400NamingTheField()
    {
        var problem = await Expect400Async(await Admin.PostAsync("/api/v1/contacts", Raw("{\"firstName\": \"Ada\", \"lifecycle\": \"champion\"}")));

        Assert.True(problem.GetProperty("errors").TryGetProperty("lifecycle", out _));
    }

    [Fact]
    public async Task MisspeltField_Is400RatherThanSilentlyIgnored()
    {
        var problem = await Expect400Async(await Admin.PostAsync("/api/v1/contacts", Raw("{\"fristName\": \"Ada\"}")));

        Assert.Equal("'fristName' is not a field of this object.", problem.GetProperty("errors").GetProperty("fristName")[0].GetString());
    }

    [Fact]
    public async Task OverlongString_Is400WithTheLimit_AndNothingIsSaved()
    {
        var problem = await Expect400Async(await Admin.PostAsJsonAsync("/api/v1/contacts", new { firstName = new string('a', 101), email = "ok@example.com" }));

        Assert.Contains("100", problem.GetProperty("errors").GetProperty("firstName")[0].GetString());
        Assert.Equal(0, (await JsonAsync(await Admin.GetAsync("/api/v1/contacts"))).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task SeveralBadFields_AreAllReported()
    {
        var problem = await Expect400Async(await Admin.PostAsJsonAsync("/api/v1/contacts", new { email = "nope", linkedInUrl = "linkedin.com/in/x", leadScore = -1 }));

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("email", out _));
        Assert.True(errors.TryGetProperty("linkedInUrl", out _));
        Assert.True(errors.TryGetProperty("leadScore", out _));
    }

    [Fact]
    public async Task MissingRequiredField_Is400()
    {
        var problem = await Expect400Async(await Admin.PostAsJsonAsync("/api/v1/accounts", new { domain = "acme.com" }));

        Assert.Equal("Enter the company name.", problem.GetProperty("errors").GetProperty("name")[0].GetString());
    }

    [Fact]
    public async Task EmptyBody_Is400()
    {
        var response = await Admin.PostAsync("/api/v1/contacts", Raw(""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/contacts?page=abc", "page")]
    [InlineData("/api/v1/contacts?lifecycle=vip", "lifecycle")]
    [InlineData("/api/v1/contacts?sort=password", "sort")]
    [InlineData("/api/v1/activities?type=fax", "type")]
    // Each kind of optional typed value (the generated binding leaves these without a message; NullableValueCheck names them).
    [InlineData("/api/v1/contacts?pageSize=ten", "pageSize")]
    [InlineData("/api/v1/deals?stageId=first", "stageId")]
    [InlineData("/api/v1/contacts/1/timeline?afterTime=yesterday", "afterTime")]
    [InlineData("/api/v1/integrations/1/conflicts?resolved=maybe", "resolved")]
    [InlineData("/api/v1/webhooks/events?limit=1e3", "limit")]
    public async Task BadQueryParameter_Is400NamingIt(string url, string field)
    {
        var problem = await Expect400Async(await Admin.GetAsync(url));

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task ActivityOfUnknownContact_Is400()
    {
        var problem = await Expect400Async(await Admin.PostAsJsonAsync("/api/v1/activities", new { type = "note", contactId = 424242, body = "hi" }));

        Assert.Equal("Contact 424242 was not found.", problem.GetProperty("errors").GetProperty("contactId")[0].GetString());
    }

    [Fact]
    public async Task EveryActivityType_CanBeCreated()
    {
        var contactId = await CreateContactAsync(Admin, new { firstName = "Ada" });
        object[] bodies =
        [
            new { type = "note", contactId, body = "Met at the fair" },
            new { type = "task", contactId, title = "Send deck", dueAt = "2026-12-01T17:00:00Z" },
            new { type = "call", contactId, direction = "inbound", callOutcome = "leftVoicemail", durationSeconds = 45 },
            new { type = "email", contactId, subject = "Hello", from = "me@example.com", to = new[] { "ada@example.com" }, body = "Hi Ada" },
            new { type = "meeting", contactId, title = "Demo", startTime = "2026-12-02T10:00:00Z", endTime = "2026-12-02T10:30:00Z",
                  attendees = new[] { new { email = "ada@example.com", name = "Ada", response = "accepted", isOrganizer = false } } },
        ];
        foreach (var body in bodies)
            Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/api/v1/activities", body)).StatusCode);

        var list = await JsonAsync(await Admin.GetAsync($"/api/v1/activities?contactId={contactId}&pageSize=10"));
        Assert.Equal(5, list.GetProperty("total").GetInt32());
        var meetings = await JsonAsync(await Admin.GetAsync($"/api/v1/activities?contactId={contactId}&type=meeting"));
        Assert.Equal("accepted", meetings.GetProperty("items")[0].GetProperty("attendees")[0].GetProperty("response").GetString());
    }
}
