using System.Net;
using System.Net.Http.Json;
using Crm.Core.Users;

namespace Crm.Tests.Web.Api;

public class SecurityApiTests : ApiTestBase
{
    [Theory]
    [InlineData(null)]
    [InlineData("Bearer crm_0123456789_notarealsecretnotarealsecretnotarealsecret")]
    [InlineData("Bearer something-else")]
    public async Task Request_WithoutAValidKey_Is401Problem(string? authorization)
    {
        var client = Factory.CreateClient();
        if (authorization is not null) client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);

        var response = await client.GetAsync("/api/v1/contacts");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task RevokedKey_Is401()
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", await Factory.CreateApiKeyAsync(Factory.FirstWorkspaceId, revoked: true));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/contacts")).StatusCode);
    }

    [Fact]
    public async Task AnotherWorkspacesRecords_Are404ForEveryVerb()
    {
        var contactId = await CreateContactAsync(Admin, new { firstName = "Mine" });
        var accountId = (await JsonAsync(await Admin.PostAsJsonAsync("/api/v1/accounts", new { name = "Mine Inc" }))).GetProperty("id").GetInt64();
        var dealId = (await JsonAsync(await Admin.PostAsJsonAsync("/api/v1/deals", new { name = "Mine deal" }))).GetProperty("id").GetInt64();
        var noteId = (await JsonAsync(await Admin.PostAsJsonAsync("/api/v1/activities", new { type = "note", contactId, body = "private" }))).GetProperty("id").GetInt64();
        var other = await Factory.ClientWithKeyAsync(await Factory.CreateWorkspaceAsync("Other"));

        foreach (var path in new[] { $"/api/v1/contacts/{contactId}", $"/api/v1/accounts/{accountId}", $"/api/v1/deals/{dealId}", $"/api/v1/activities/{noteId}" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync(path)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsJsonAsync($"/api/v1/contacts/{contactId}", new { firstName = "Hacked" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsJsonAsync($"/api/v1/accounts/{accountId}", new { name = "Hacked" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsJsonAsync($"/api/v1/deals/{dealId}", new { name = "Hacked" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsJsonAsync($"/api/v1/activities/{noteId}", new { type = "note", contactId, body = "x" })).StatusCode);
        Assert.Equal(0, (await JsonAsync(await other.GetAsync("/api/v1/contacts"))).GetProperty("total").GetInt32());
        Assert.Equal(0, (await JsonAsync(await other.GetAsync($"/api/v1/activities?contactId={contactId}"))).GetProperty("total").GetInt32());

        Assert.Equal("Mine", (await JsonAsync(await Admin.GetAsync($"/api/v1/contacts/{contactId}"))).GetProperty("firstName").GetString());
    }

    [Fact]
    public async Task GuessedIds_Are404()
    {
        foreach (var path in new[] { "/api/v1/contacts/999999", "/api/v1/accounts/0", "/api/v1/deals/-1", "/api/v1/activities/123456789" })
        {
            var response = await Admin.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task AdminApi_RefusesARepKey_AndServesAnAdminKey()
    {
        var rep = await Factory.ClientWithKeyAsync(Factory.FirstWorkspaceId, UserRole.Rep);

        Assert.Equal(HttpStatusCode.Forbidden, (await rep.GetAsync("/api/v1/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostAsJsonAsync("/api/v1/users", new { name = "X", email = "x@example.com" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await rep.GetAsync("/api/v1/contacts")).StatusCode);
        var users = await JsonAsync(await Admin.GetAsync("/api/v1/users"));
        Assert.Equal("admin@first.example", users[0].GetProperty("email").GetString());
    }

    [Fact]
    public async Task Writes_ThroughAKey_AreRecordedAsApi()
    {
        var id = await CreateContactAsync(Admin, new { firstName = "Ada" });
        await Admin.PutAsJsonAsync($"/api/v1/contacts/{id}", new { firstName = "Ada", jobTitle = "Analyst" });

        var contact = await JsonAsync(await Admin.GetAsync($"/api/v1/contacts/{id}"));

        Assert.Equal("api", contact.GetProperty("createdSource").GetString());
        Assert.Equal(1, contact.GetProperty("version").GetInt32());
    }
}
