using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Crm.Tests.Sandbox;

/// <summary>
/// The sandbox's HubSpot associations v4 and object merge against HubSpot's documented contract: type ids both ways,
/// one primary company, inline v3 associations, batch limits, the 207 of a batch read that found none.
/// </summary>
public sealed class HubSpotAssociationsApiTests : HubSpotSandboxTestBase
{
    private async Task<string> CreateAsync(string type, object properties)
    {
        var response = await _api.PostAsJsonAsync($"/crm/v3/objects/{type}", new { properties }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await JsonOf(response)).GetProperty("id").GetString()!;
    }

    private static object Types(params int[] ids) => ids.Select(id => new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = id });

    [Fact]
    public async Task Associations_AreReadBothWays_WithOnePrimaryCompany_AndInlineOnV3Reads()
    {
        var contact = await CreateAsync("contacts", new { email = "ada@example.com" });
        var (acme, globex) = (await CreateAsync("companies", new { name = "Acme" }), await CreateAsync("companies", new { name = "Globex" }));
        var first = await _api.PutAsJsonAsync($"/crm/v4/objects/contacts/{contact}/associations/companies/{acme}", Types(1), Ct);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(["Primary"], (await JsonOf(first)).GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        // A second primary takes the label; the first stays, unlabelled.
        await _api.PutAsJsonAsync($"/crm/v4/objects/contacts/{contact}/associations/companies/{globex}", Types(1), Ct);
        var read = await JsonOf(await _api.GetAsync($"/crm/v4/objects/contacts/{contact}/associations/companies", Ct));
        var types = read.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("toObjectId").GetInt64().ToString(),
            r => r.GetProperty("associationTypes").EnumerateArray().Select(t => t.GetProperty("typeId").GetInt32()).Order().ToArray());
        Assert.Equal(new[] { 279 }, types[acme]);
        Assert.Equal(new[] { 1, 279 }, types[globex]);
        // Seen from the company: its own type ids (2 primary, 280 unlabelled).
        var back = await JsonOf(await _api.GetAsync($"/crm/v4/objects/companies/{globex}/associations/contacts", Ct));
        Assert.Equal(new[] { 2, 280 }, back.GetProperty("results")[0].GetProperty("associationTypes").EnumerateArray().Select(t => t.GetProperty("typeId").GetInt32()).Order().ToArray());
        // The contact says its primary company, and a v3 read with associations= lists them by name.
        var v3 = await JsonOf(await _api.GetAsync($"/crm/v3/objects/contacts/{contact}?properties=associatedcompanyid&associations=companies", Ct));
        Assert.Equal(globex, v3.GetProperty("properties").GetProperty("associatedcompanyid").GetString());
        var inline = v3.GetProperty("associations").GetProperty("companies").GetProperty("results").EnumerateArray().Select(r => (r.GetProperty("id").GetString(), r.GetProperty("type").GetString())).ToList();
        Assert.Contains((globex, "contact_to_company"), inline);
        Assert.Contains((acme, "contact_to_company_unlabeled"), inline);
        // A type that does not belong to the pair is refused.
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.PutAsJsonAsync($"/crm/v4/objects/contacts/{contact}/associations/companies/{acme}", Types(5), Ct)).StatusCode);
    }

    [Fact]
    public async Task BatchRead_AnswersWithA207ForIdsWithNone_AndBatchesAreLimitedTo1000()
    {
        var deal = await CreateAsync("deals", new { dealname = "Renewal", dealstage = "closedwon" });
        var lonely = await CreateAsync("deals", new { dealname = "Alone", dealstage = "closedwon" });
        var contact = await CreateAsync("contacts", new { email = "bo@example.com" });
        var created = await _api.PostAsJsonAsync("/crm/v4/associations/deals/contacts/batch/associate/default", new { inputs = new[] { new { from = new { id = deal }, to = new { id = contact } } } }, Ct);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(3, (await JsonOf(created)).GetProperty("results")[0].GetProperty("associationSpec").GetProperty("associationTypeId").GetInt32());

        var read = await _api.PostAsJsonAsync("/crm/v4/associations/deals/contacts/batch/read", new { inputs = new[] { new { id = deal }, new { id = lonely } } }, Ct);
        Assert.Equal((HttpStatusCode)207, read.StatusCode);
        var json = await JsonOf(read);
        Assert.Equal(deal, json.GetProperty("results")[0].GetProperty("from").GetProperty("id").GetString());
        Assert.Equal(long.Parse(contact), json.GetProperty("results")[0].GetProperty("to")[0].GetProperty("toObjectId").GetInt64());
        Assert.Equal("crm.associations.NO_ASSOCIATIONS_FOUND", json.GetProperty("errors")[0].GetProperty("subCategory").GetString());

        var tooMany = await _api.PostAsJsonAsync("/crm/v4/associations/deals/contacts/batch/read", new { inputs = Enumerable.Range(1, 1001).Select(i => new { id = i.ToString() }) }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);

        var archived = await _api.PostAsJsonAsync("/crm/v4/associations/deals/contacts/batch/archive", new { inputs = new[] { new { from = new { id = deal }, to = new[] { new { id = contact } } } } }, Ct);
        Assert.Equal(HttpStatusCode.NoContent, archived.StatusCode);
        Assert.Empty((await JsonOf(await _api.GetAsync($"/crm/v4/objects/deals/{deal}/associations/contacts", Ct))).GetProperty("results").EnumerateArray());
    }

    [Fact]
    public async Task Merge_KeepsThePrimary_MovesTheOthersAssociations_AndAnswersReadsOfTheMergedId()
    {
        var (keep, fold) = (await CreateAsync("contacts", new { email = "a@example.com" }), await CreateAsync("contacts", new { email = "b@example.com", jobtitle = "CEO" }));
        var company = await CreateAsync("companies", new { name = "Acme" });
        await _api.PutAsJsonAsync($"/crm/v4/objects/contacts/{fold}/associations/companies/{company}", Types(1), Ct);
        var merged = await _api.PostAsJsonAsync("/crm/v3/objects/contacts/merge", new { primaryObjectId = keep, objectIdToMerge = fold }, Ct);
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        Assert.Equal(keep, (await JsonOf(merged)).GetProperty("id").GetString());
        var batch = await JsonOf(await _api.PostAsJsonAsync("/crm/v3/objects/contacts/batch/read", new { properties = new[] { "jobtitle", "hs_merged_object_ids" }, inputs = new[] { new { id = fold } } }, Ct));
        var record = batch.GetProperty("results")[0];
        Assert.Equal((keep, "CEO", fold), (record.GetProperty("id").GetString(), record.GetProperty("properties").GetProperty("jobtitle").GetString(), record.GetProperty("properties").GetProperty("hs_merged_object_ids").GetString()));
        Assert.Single((await JsonOf(await _api.GetAsync($"/crm/v4/objects/contacts/{keep}/associations/companies", Ct))).GetProperty("results").EnumerateArray());
        // The merged one leaves lists.
        var list = await JsonOf(await _api.GetAsync("/crm/v3/objects/contacts?limit=100", Ct));
        Assert.Equal([keep], list.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
    }
}
