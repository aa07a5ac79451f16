using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Crm.Tests.Sandbox;

/// <summary>
/// The sandbox's HubSpot CRM v3 against HubSpot's documented contract: the shapes, paging, limits, status codes and
/// error bodies a HubSpot client relies on (the sync in issue 13 is built against them).
/// </summary>
public sealed class HubSpotCrmApiTests : HubSpotSandboxTestBase
{
    private Task<HttpResponseMessage> CreateContactAsync(object properties) => _api.PostAsJsonAsync("/crm/v3/objects/contacts", new { properties }, Ct);

    [Fact]
    public async Task Create_AnswersTheRecord_AndRefusesDuplicatesAndInvalidValues_AsHubSpotDoes()
    {
        var created = await CreateContactAsync(new { email = "ada@example.com", firstname = "Ada", lifecyclestage = "lead" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ada = await JsonOf(created);
        var id = ada.GetProperty("id").GetString()!;
        Assert.Equal(("ada@example.com", id, false), (ada.GetProperty("properties").GetProperty("email").GetString(), ada.GetProperty("properties").GetProperty("hs_object_id").GetString(), ada.GetProperty("archived").GetBoolean()));
        Assert.True(DateTimeOffset.TryParse(ada.GetProperty("createdAt").GetString(), out _));

        var duplicate = await CreateContactAsync(new { email = "ADA@example.com" });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        var conflict = await JsonOf(duplicate);
        Assert.Equal(("error", "CONFLICT", $"Contact already exists. Existing ID: {id}"), (conflict.GetProperty("status").GetString(), conflict.GetProperty("category").GetString(), conflict.GetProperty("message").GetString()));

        foreach (var (properties, error) in new (object, string)[]
                 {
                     (new { email = "not-an-email" }, "INVALID_EMAIL"), (new { email = "b@example.com", favourite_colour = "red" }, "PROPERTY_DOESNT_EXIST"),
                     (new { email = "c@example.com", lifecyclestage = "prospect" }, "INVALID_OPTION"), (new { email = "d@example.com", hs_object_id = "7" }, "READ_ONLY_VALUE"),
                 })
        {
            var refused = await CreateContactAsync(properties);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var body = await JsonOf(refused);
            Assert.Equal("VALIDATION_ERROR", body.GetProperty("category").GetString());
            Assert.StartsWith("Property values were not valid: ", body.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Contains(error, body.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        var updated = await _api.PatchAsJsonAsync($"/crm/v3/objects/contacts/{id}", new { properties = new { jobtitle = "CTO" } }, Ct);
        Assert.Equal("CTO", (await JsonOf(updated)).GetProperty("properties").GetProperty("jobtitle").GetString());
        var byEmail = await JsonOf(await _api.GetAsync("/crm/v3/objects/contacts/ada@example.com?idProperty=email&properties=jobtitle,phone", Ct));
        Assert.Equal(id, byEmail.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, byEmail.GetProperty("properties").GetProperty("phone").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("/crm/v3/objects/contacts/999999", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.GetAsync("/crm/v3/objects/widgets", Ct)).StatusCode);
    }

    [Fact]
    public async Task List_PagesWithAfter_UpTo100_AndArchivedRecordsAreListedApart()
    {
        (await _api.PostAsJsonAsync("/_sandbox/hubspot/seed", new { contacts = 250, companies = 0, deals = 0 }, Ct)).EnsureSuccessStatusCode();
        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await JsonOf(await _api.GetAsync($"/crm/v3/objects/contacts?limit=100&properties=email{(after is null ? "" : "&after=" + after)}", Ct));
            seen.AddRange(page.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()!));
            after = page.TryGetProperty("paging", out var paging) ? paging.GetProperty("next").GetProperty("after").GetString() : null;
            pages++;
        } while (after is not null);
        Assert.Equal((250, 250, 3), (seen.Count, seen.Distinct().Count(), pages));
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.GetAsync("/crm/v3/objects/contacts?limit=101", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await _api.DeleteAsync($"/crm/v3/objects/contacts/{seen[0]}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync($"/crm/v3/objects/contacts/{seen[0]}", Ct)).StatusCode);
        var archived = await JsonOf(await _api.GetAsync("/crm/v3/objects/contacts?archived=true", Ct));
        var only = Assert.Single(archived.GetProperty("results").EnumerateArray());
        Assert.True(only.GetProperty("archived").GetBoolean());
        Assert.True(only.TryGetProperty("archivedAt", out _));
    }

    [Fact]
    public async Task Batches_Take100AtMost_AndAnswer207WithTheInputsThatFailed()
    {
        var create = await _api.PostAsJsonAsync("/crm/v3/objects/contacts/batch/create", new
        {
            inputs = new object[] { new { properties = new { email = "one@example.com" } }, new { properties = new { email = "two@example.com" } }, new { properties = new { email = "broken" } } },
        }, Ct);
        Assert.Equal((HttpStatusCode)207, create.StatusCode);
        var partial = await JsonOf(create);
        Assert.Equal((2, 1), (partial.GetProperty("results").GetArrayLength(), partial.GetProperty("numErrors").GetInt32()));
        Assert.Equal("VALIDATION_ERROR", partial.GetProperty("errors")[0].GetProperty("category").GetString());
        var ids = partial.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();

        var allGood = await _api.PostAsJsonAsync("/crm/v3/objects/contacts/batch/update", new { inputs = ids.Select(id => new { id, properties = new { jobtitle = "Buyer" } }) }, Ct);
        Assert.Equal(HttpStatusCode.OK, allGood.StatusCode);
        Assert.Equal("COMPLETE", (await JsonOf(allGood)).GetProperty("status").GetString());
        var missing = await _api.PostAsJsonAsync("/crm/v3/objects/contacts/batch/update", new { inputs = new object[] { new { id = ids[0], properties = new { jobtitle = "CEO" } }, new { id = "424242", properties = new { jobtitle = "CEO" } } } }, Ct);
        Assert.Equal((HttpStatusCode)207, missing.StatusCode);
        Assert.Equal("OBJECT_NOT_FOUND", (await JsonOf(missing)).GetProperty("errors")[0].GetProperty("category").GetString());

        var read = await JsonOf(await _api.PostAsJsonAsync("/crm/v3/objects/contacts/batch/read", new { properties = new[] { "jobtitle" }, inputs = ids.Select(id => new { id }) }, Ct));
        Assert.Equal(["CEO", "Buyer"], read.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("properties").GetProperty("jobtitle").GetString()));

        var upsert = await JsonOf(await _api.PostAsJsonAsync("/crm/v3/objects/contacts/batch/upsert", new
        {
            inputs = new object[] { new { idProperty = "email", id = "one@example.com", properties = new { firstname = "One" } }, new { idProperty = "email", id = "three@example.com", properties = new { firstname = "Three" } } },
        }, Ct));
        Assert.Equal([false, true], upsert.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("new").GetBoolean()));

        var tooMany = await _api.PostAsJsonAsync("/crm/v3/objects/contacts/batch/read", new { inputs = Enumerable.Range(1, 101).Select(i => new { id = i.ToString() }) }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _api.PostAsJsonAsync("/crm/v3/objects/contacts/batch/archive", new { inputs = ids.Select(id => new { id }) }, Ct)).StatusCode);
    }

    [Fact]
    public async Task Search_FiltersSortsAndPages_Up200_StopsAt10000_AndHasItsOwnLimit()
    {
        (await _api.PostAsJsonAsync("/_sandbox/hubspot/seed", new { contacts = 450, companies = 0, deals = 0 }, Ct)).EnsureSuccessStatusCode();
        // The seeder gives the portal a year of history.
        var since = DateTimeOffset.UtcNow.AddDays(-400).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var body = new
        {
            filterGroups = new[] { new { filters = new object[] { new { propertyName = "lastmodifieddate", @operator = "GTE", value = since }, new { propertyName = "lifecyclestage", @operator = "EQ", value = "customer" } } } },
            sorts = new[] { new { propertyName = "lastmodifieddate", direction = "ASCENDING" } }, properties = new[] { "email", "lifecyclestage" }, limit = 50,
        };
        var first = await JsonOf(await _api.PostAsJsonAsync("/crm/v3/objects/contacts/search", body, Ct));
        Assert.Equal(90, first.GetProperty("total").GetInt32());
        Assert.Equal(50, first.GetProperty("results").GetArrayLength());
        Assert.All(first.GetProperty("results").EnumerateArray(), r => Assert.Equal("customer", r.GetProperty("properties").GetProperty("lifecyclestage").GetString()));
        Assert.Equal("50", first.GetProperty("paging").GetProperty("next").GetProperty("after").GetString());

        await Task.Delay(1100, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.PostAsJsonAsync("/crm/v3/objects/contacts/search", new { limit = 201 }, Ct)).StatusCode);
        var pastCap = await _api.PostAsJsonAsync("/crm/v3/objects/contacts/search", new { limit = 100, after = "9950" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, pastCap.StatusCode);
        Assert.Contains("10000", (await JsonOf(pastCap)).GetProperty("message").GetString()!.Replace(",", ""), StringComparison.Ordinal);

        await Task.Delay(1100, Ct);
        var burst = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _api.PostAsJsonAsync("/crm/v3/objects/contacts/search", new { limit = 1 }, Ct)));
        var throttled = burst.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.InRange(throttled.Count, 3, 8);
        Assert.Equal("SECONDLY", (await JsonOf(throttled[0])).GetProperty("policyName").GetString());
    }

    [Fact]
    public async Task PropertiesOwnersAndPipelines_AreListed_AndACustomPropertyCanBeMadeAndWritten()
    {
        var properties = await JsonOf(await _api.GetAsync("/crm/v3/properties/contacts", Ct));
        var lifecycle = properties.GetProperty("results").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "lifecyclestage");
        Assert.Contains("evangelist", lifecycle.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("value").GetString()));

        var made = await _api.PostAsJsonAsync("/crm/v3/properties/contacts", new { name = "tier", label = "Tier", type = "enumeration", fieldType = "select", groupName = "contactinformation",
            options = new[] { new { label = "Gold", value = "gold" }, new { label = "Silver", value = "silver" } } }, Ct);
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await CreateContactAsync(new { email = "gold@example.com", tier = "gold" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await CreateContactAsync(new { email = "bronze@example.com", tier = "bronze" })).StatusCode);

        var owners = await JsonOf(await _api.GetAsync("/crm/v3/owners?email=rep@example.com", Ct));
        Assert.Equal("41629780", Assert.Single(owners.GetProperty("results").EnumerateArray()).GetProperty("id").GetString());
        var pipelines = await JsonOf(await _api.GetAsync("/crm/v3/pipelines/deals", Ct));
        var stages = pipelines.GetProperty("results")[0].GetProperty("stages").EnumerateArray().ToList();
        Assert.Equal(("closedwon", "true"), (stages[5].GetProperty("id").GetString(), stages[5].GetProperty("metadata").GetProperty("isClosed").GetString()));
    }

    [Fact]
    public async Task WithoutAToken_EveryCallIs401_WithHubSpotsBody()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(_sandbox.Url) };
        var response = await anonymous.GetAsync("/crm/v3/objects/contacts", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("INVALID_AUTHENTICATION", (await JsonOf(response)).GetProperty("category").GetString());
        Assert.True(response.Headers.Contains("X-HubSpot-RateLimit-Remaining"));
    }
}
