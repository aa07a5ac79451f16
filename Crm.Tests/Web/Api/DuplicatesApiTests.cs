using Crm.Tests.TestSupport;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Core.Users;

namespace Crm.Tests.Web.Api;

/// <summary>Finding and merging duplicates through the HTTP API, with the real background scan.</summary>
public class DuplicatesApiTests : ApiTestBase
{
    [Fact]
    public async Task CreateWarns_ScanQueues_MergeRedirects_AndUndoRestores()
    {
        var ada = await CreateContactAsync(Admin, new { firstName = "Ada", lastName = "Lovelace", email = "ada@example.com", jobTitle = "Analyst" });
        var second = await Admin.PostAsJsonAsync("/api/v1/contacts", new { firstName = "Augusta", lastName = "Lovelace", email = "ADA@example.com", city = "London" });
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal($"{ada}:100", second.Headers.GetValues("X-Possible-Duplicates").Single());
        var copy = (await JsonAsync(second)).GetProperty("id").GetInt64();

        Assert.Equal(HttpStatusCode.Accepted, (await Admin.PostAsync("/api/v1/duplicates/scan", null)).StatusCode);
        var pair = await WaitForPairAsync();
        Assert.Equal((100, ada, copy), (pair.GetProperty("confidence").GetInt32(), pair.GetProperty("a").GetProperty("id").GetInt64(), pair.GetProperty("b").GetProperty("id").GetInt64()));
        Assert.Equal("Same email (ada@example.com)", pair.GetProperty("reasons")[0].GetString());

        var comparison = await JsonAsync(await Admin.GetAsync($"/api/v1/duplicates/{pair.GetProperty("id").GetInt64()}"));
        var city = comparison.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("field").GetString() == "City");
        Assert.Equal(("London", "loser"), (city.GetProperty("loserValue").GetString(), city.GetProperty("default").GetString()));

        var merged = await Admin.PostAsJsonAsync($"/api/v1/contacts/{ada}/merge", new { duplicateId = copy, choices = new Dictionary<string, string> { ["FirstName"] = "winner" } });
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        var merge = await JsonAsync(merged);
        var winner = await JsonAsync(await Admin.GetAsync($"/api/v1/contacts/{ada}"));
        Assert.Equal(("Ada", "London"), (winner.GetProperty("firstName").GetString(), winner.GetProperty("city").GetString()));

        var old = await Admin.GetAsync($"/api/v1/contacts/{copy}");
        Assert.Equal(HttpStatusCode.MovedPermanently, old.StatusCode);
        Assert.Equal($"/api/v1/contacts/{ada}", old.Headers.Location!.OriginalString);
        Assert.Equal(0, (await JsonAsync(await Admin.GetAsync("/api/v1/duplicates"))).GetProperty("total").GetInt32());

        var undo = await Admin.PostAsync($"/api/v1/merges/{merge.GetProperty("mergeId").GetInt64()}/undo", null);
        Assert.Equal(HttpStatusCode.OK, undo.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync($"/api/v1/contacts/{copy}")).StatusCode);
        Assert.Null((await JsonAsync(await Admin.GetAsync($"/api/v1/contacts/{ada}"))).GetProperty("city").GetString());
    }

    [Fact]
    public async Task Reps_AndOtherWorkspaces_CannotMergeOrSeeThePairs()
    {
        var a = await CreateContactAsync(Admin, new { firstName = "Ada", email = "ada@example.com" });
        var b = await CreateContactAsync(Admin, new { firstName = "Ada", email = "ada@example.com" });
        var rep = await Factory.ClientWithKeyAsync(Factory.FirstWorkspaceId, UserRole.Rep);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostAsJsonAsync($"/api/v1/contacts/{a}/merge", new { duplicateId = b })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostAsync("/api/v1/duplicates/scan", null)).StatusCode);

        var other = await Factory.ClientWithKeyAsync(await Factory.CreateWorkspaceAsync("Other"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/v1/contacts/{a}/merge", new { duplicateId = b })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/contacts/{a}/duplicates")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/duplicates/compare?type=contact&a={a}&b={b}")).StatusCode);

        var compared = await JsonAsync(await Admin.GetAsync($"/api/v1/duplicates/compare?type=contact&a={b}&b={a}"));
        Assert.Equal((b, a, 100), (compared.GetProperty("pair").GetProperty("a").GetProperty("id").GetInt64(),
            compared.GetProperty("pair").GetProperty("b").GetProperty("id").GetInt64(), compared.GetProperty("pair").GetProperty("confidence").GetInt32()));
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.GetAsync($"/api/v1/duplicates/compare?type=planet&a={a}&b={b}")).StatusCode);

        var self = await Admin.PostAsJsonAsync($"/api/v1/contacts/{a}/merge", new { duplicateId = a });
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
        var unknownField = await Admin.PostAsJsonAsync($"/api/v1/contacts/{a}/merge", new { duplicateId = b, choices = new Dictionary<string, string> { ["ShoeSize"] = "loser" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
        Assert.Contains("ShoeSize", await unknownField.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ExternalIds_AreLinked_Conflict_AndFollowAMerge()
    {
        var kept = await CreateContactAsync(Admin, new { firstName = "Ada", email = "ada@example.com" });
        var merged = await CreateContactAsync(Admin, new { firstName = "Ada", email = "countess@example.com" });
        var link = await Admin.PostAsJsonAsync($"/api/v1/contacts/{merged}/external-links", new { provider = "hubspot", externalId = "77" });
        Assert.Equal(HttpStatusCode.Created, link.StatusCode);
        var clash = await Admin.PostAsJsonAsync($"/api/v1/contacts/{kept}/external-links", new { provider = "hubspot", externalId = "77" });
        Assert.Equal(HttpStatusCode.Conflict, clash.StatusCode);
        Assert.Contains("already linked", await clash.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.PostAsJsonAsync($"/api/v1/contacts/{kept}/external-links", new { provider = "hub spot!", externalId = "1" })).StatusCode);
        var rep = await Factory.ClientWithKeyAsync(Factory.FirstWorkspaceId, UserRole.Rep);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostAsJsonAsync($"/api/v1/contacts/{kept}/external-links", new { provider = "hubspot", externalId = "78" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsJsonAsync($"/api/v1/contacts/{kept}/merge", new { duplicateId = merged })).StatusCode);

        var resolved = await JsonAsync(await Admin.GetAsync("/api/v1/external-links/resolve?provider=hubspot&type=contact&externalId=77"));
        Assert.Equal(kept, resolved.GetProperty("recordId").GetInt64());
        var links = await JsonAsync(await Admin.GetAsync($"/api/v1/contacts/{kept}/external-links"));
        Assert.Equal("77", links[0].GetProperty("externalId").GetString());
        var other = await Factory.ClientWithKeyAsync(await Factory.CreateWorkspaceAsync("Other"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/v1/external-links/resolve?provider=hubspot&type=contact&externalId=77")).StatusCode);
    }

    [Fact]
    public async Task CreatingAnAccount_NamesLikelyDuplicates_AndTheAccountListsThem()
    {
        var first = await Admin.PostAsJsonAsync("/api/v1/accounts", new { name = "Acme Inc.", domain = "acme.example" });
        var acme = (await JsonAsync(first)).GetProperty("id").GetInt64();
        Assert.False(first.Headers.Contains("X-Possible-Duplicates"));

        var second = await Admin.PostAsJsonAsync("/api/v1/accounts", new { name = "ACME, Inc" });
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal($"{acme}:90", second.Headers.GetValues("X-Possible-Duplicates").Single());
        // The same name with a domain of its own: a sister company as often as a duplicate — possible, not likely.
        var sister = await Admin.PostAsJsonAsync("/api/v1/accounts", new { name = "Acme Inc", domain = "acme-eu.example" });
        Assert.Contains($"{acme}:60", sister.Headers.GetValues("X-Possible-Duplicates").Single().Split(",", StringSplitOptions.TrimEntries));

        var listed = await JsonAsync(await Admin.GetAsync($"/api/v1/accounts/{acme}/duplicates"));
        Assert.Equal("Same company name (acme)", listed[0].GetProperty("reasons")[0].GetString());
        Assert.Equal(0, (await JsonAsync(await Admin.GetAsync($"/api/v1/accounts/{acme}/merges"))).GetArrayLength());
    }

    private async Task<JsonElement> WaitForPairAsync() =>
        (await RunWaiter.UntilAsync(Admin, "/api/v1/duplicates?type=contact", queue => queue.GetProperty("total").GetInt32() > 0, TimeSpan.FromSeconds(30)))
        .GetProperty("items")[0];
}
