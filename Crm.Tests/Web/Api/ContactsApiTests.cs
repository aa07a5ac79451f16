using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Crm.Tests.Web.Api;

public class ContactsApiTests : ApiTestBase
{
    [Fact]
    public async Task Contact_CrudRoundTrip_WithETags()
    {
        var created = await Admin.PostAsJsonAsync("/api/v1/contacts", new { firstName = "Ada", lastName = "Lovelace", email = "ADA@example.com", lifecycle = "mql" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await JsonAsync(created)).GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/contacts/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("\"0\"", created.Headers.ETag?.Tag);

        var get = await Admin.GetAsync($"/api/v1/contacts/{id}");
        var body = await JsonAsync(get);
        Assert.Equal("ada@example.com", body.GetProperty("email").GetString());
        Assert.Equal("mql", body.GetProperty("lifecycle").GetString());
        Assert.Equal("api", body.GetProperty("createdSource").GetString());

        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/contacts/{id}") { Content = JsonContent.Create(new { firstName = "Ada", lastName = "King", email = "ada@example.com", lifecycle = "customer" }) };
        put.Headers.IfMatch.Add(new EntityTagHeaderValue("\"0\""));
        var updated = await Admin.SendAsync(put);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("\"1\"", updated.Headers.ETag?.Tag);
        Assert.Equal("King", (await JsonAsync(updated)).GetProperty("lastName").GetString());

        var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/contacts/{id}");
        conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"1\""));
        Assert.Equal(HttpStatusCode.NotModified, (await Admin.SendAsync(conditional)).StatusCode);

        var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/contacts/{id}");
        delete.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.SendAsync(delete)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/api/v1/contacts/{id}")).StatusCode);
    }

    [Fact]
    public async Task Update_WithAStaleETag_Is412WithTheCurrentETag()
    {
        var id = await CreateContactAsync(Admin, new { firstName = "Ada" });
        await Admin.PutAsJsonAsync($"/api/v1/contacts/{id}", new { firstName = "Ada", lastName = "Lovelace" });

        var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/contacts/{id}") { Content = JsonContent.Create(new { firstName = "Old" }) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"0\""));
        var response = await Admin.SendAsync(stale);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal(412, (await JsonAsync(response)).GetProperty("status").GetInt32());
        Assert.Equal("Lovelace", (await JsonAsync(await Admin.GetAsync($"/api/v1/contacts/{id}"))).GetProperty("lastName").GetString());
    }

    [Fact]
    public async Task Delete_WithAStaleETag_Is412AndKeepsTheContact()
    {
        var id = await CreateContactAsync(Admin, new { firstName = "Ada" });
        var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/contacts/{id}");
        delete.Headers.IfMatch.Add(new EntityTagHeaderValue("\"7\""));

        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Admin.SendAsync(delete)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync($"/api/v1/contacts/{id}")).StatusCode);
    }

    [Fact]
    public async Task List_PagesSortsFiltersAndSearches()
    {
        foreach (var (first, last, lifecycle) in new[] { ("Ada", "Lovelace", "customer"), ("Grace", "Hopper", "lead"), ("Alan", "Turing", "customer"), ("Linus", "Torvalds", "sql") })
            await CreateContactAsync(Admin, new { firstName = first, lastName = last, lifecycle, email = $"{first.ToLowerInvariant()}@example.com" });

        var page = await JsonAsync(await Admin.GetAsync("/api/v1/contacts?lifecycle=customer&sort=-lastName&pageSize=1&page=2"));
        Assert.Equal(2, page.GetProperty("total").GetInt32());
        Assert.Equal("Lovelace", page.GetProperty("items")[0].GetProperty("lastName").GetString());

        var search = await JsonAsync(await Admin.GetAsync("/api/v1/contacts?search=grace%20hop"));
        Assert.Equal(1, search.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task OpenApiDocument_IsPublishedWithThePaths()
    {
        var anonymous = Factory.CreateClient();

        var document = await JsonAsync(await anonymous.GetAsync("/openapi/v1.json"));

        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/contacts", "/api/v1/contacts/{id}", "/api/v1/accounts", "/api/v1/deals/{id}", "/api/v1/activities" })
            Assert.True(paths.TryGetProperty(path, out _), path);
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("apiKey", out _));
    }

    [Fact]
    public async Task Health_IsAnonymousAndReportsTheDatabase()
    {
        var anonymous = Factory.CreateClient();

        var health = await JsonAsync(await anonymous.GetAsync("/health"));

        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
    }
}
