using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Crm.Core.Common;
using Crm.Core.History;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Web.Api;

public class PatchApiTests : ApiTestBase
{
    private static HttpRequestMessage Patch(string url, string json, string? ifMatch = null, string mediaType = "application/merge-patch+json")
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = new StringContent(json, System.Text.Encoding.UTF8, mediaType) };
        if (ifMatch is not null) request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
        return request;
    }

    private async Task<List<FieldChange>> HistoryAsync(RecordType type, long id)
    {
        await using var db = Factory.Services.GetRequiredService<CrmDatabase>().Create(Actor.System(Factory.FirstWorkspaceId));
        return await db.FieldChanges.Where(f => f.RecordType == type && f.RecordId == id && f.Kind == ChangeKind.Updated).ToListAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task PatchContact_ChangesOnlyTheFieldsGiven_AndRecordsOnlyThemInHistory()
    {
        var id = await CreateContactAsync(Admin, new { firstName = "Ada", lastName = "Lovelace", email = "ada@example.com", phone = "+44 20 7946 0958", lifecycle = "mql", customFields = new { } });

        var response = await Admin.SendAsync(Patch($"/api/v1/contacts/{id}", """{"jobTitle":"  Countess ","lifecycle":"customer"}""", "\"0\""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        var body = await JsonAsync(response);
        Assert.Equal(("Ada", "Lovelace", "ada@example.com", "Countess", "customer"), (body.GetProperty("firstName").GetString(), body.GetProperty("lastName").GetString(),
            body.GetProperty("email").GetString(), body.GetProperty("jobTitle").GetString(), body.GetProperty("lifecycle").GetString()));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("phone").GetString()));
        Assert.Equal(["JobTitle", "Lifecycle"], (await HistoryAsync(RecordType.Contact, id)).Select(c => c.Field).Order());
    }

    [Fact]
    public async Task PatchContact_NullClearsAField_AndCustomFieldsMergeByKey()
    {
        await using (var db = Factory.Services.GetRequiredService<CrmDatabase>().Create(Actor.System(Factory.FirstWorkspaceId)))
        {
            db.CustomFieldDefinitions.Add(new Crm.Core.CustomFields.CustomFieldDefinition { RecordType = RecordType.Contact, Key = "tier", Label = "Tier", Type = Crm.Core.CustomFields.CustomFieldType.Text });
            db.CustomFieldDefinitions.Add(new Crm.Core.CustomFields.CustomFieldDefinition { RecordType = RecordType.Contact, Key = "plan", Label = "Plan", Type = Crm.Core.CustomFields.CustomFieldType.Text });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        var id = await CreateContactAsync(Admin, new { firstName = "Ada", jobTitle = "Countess", customFields = new { tier = "gold" } });

        var body = await JsonAsync(await Admin.SendAsync(Patch($"/api/v1/contacts/{id}", """{"jobTitle":null,"customFields":{"plan":"pro"}}""")));

        Assert.Equal(JsonValueKindNull, body.GetProperty("jobTitle").ValueKind);
        Assert.Equal("gold", body.GetProperty("customFields").GetProperty("tier").GetString());
        Assert.Equal("pro", body.GetProperty("customFields").GetProperty("plan").GetString());

        body = await JsonAsync(await Admin.SendAsync(Patch($"/api/v1/contacts/{id}", """{"customFields":{"tier":null}}""")));
        Assert.False(body.GetProperty("customFields").TryGetProperty("tier", out _));
        Assert.Equal("pro", body.GetProperty("customFields").GetProperty("plan").GetString());
    }

    [Theory]
    [InlineData("accounts", RecordType.Account, """{"name":"Globex"}""")]
    [InlineData("deals", RecordType.Deal, """{"name":"Renewal"}""")]
    public async Task PatchAccountOrDeal_CustomFieldsMergeByKey_AndABadValueIs400(string path, RecordType type, string create)
    {
        await using (var db = Factory.Services.GetRequiredService<CrmDatabase>().Create(Actor.System(Factory.FirstWorkspaceId)))
        {
            db.CustomFieldDefinitions.Add(new Crm.Core.CustomFields.CustomFieldDefinition { RecordType = type, Key = "tier", Label = "Tier", Type = Crm.Core.CustomFields.CustomFieldType.Text });
            db.CustomFieldDefinitions.Add(new Crm.Core.CustomFields.CustomFieldDefinition { RecordType = type, Key = "seats", Label = "Seats", Type = Crm.Core.CustomFields.CustomFieldType.Number });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        var created = await Admin.PostAsync($"/api/v1/{path}", new StringContent(create.Replace("}", ""","customFields":{"tier":"gold"}}"""), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await JsonAsync(created)).GetProperty("id").GetInt64();

        var body = await JsonAsync(await Admin.SendAsync(Patch($"/api/v1/{path}/{id}", """{"customFields":{"seats":"25"}}""")));
        Assert.Equal(("gold", "25"), (body.GetProperty("customFields").GetProperty("tier").GetString(), body.GetProperty("customFields").GetProperty("seats").GetString()));

        var refused = await Admin.SendAsync(Patch($"/api/v1/{path}/{id}", """{"customFields":{"seats":"many"}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await JsonAsync(refused)).GetProperty("errors").TryGetProperty("customFields", out _));
        var stored = await JsonAsync(await Admin.GetAsync($"/api/v1/{path}/{id}"));
        Assert.Equal("25", stored.GetProperty("customFields").GetProperty("seats").GetString());
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task PatchContact_WithAStaleETag_Is412AndChangesNothing()
    {
        var id = await CreateContactAsync(Admin, new { firstName = "Ada" });
        await Admin.SendAsync(Patch($"/api/v1/contacts/{id}", """{"lastName":"Lovelace"}"""));

        var response = await Admin.SendAsync(Patch($"/api/v1/contacts/{id}", """{"lastName":"Byron"}""", "\"0\""));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal("Lovelace", (await JsonAsync(await Admin.GetAsync($"/api/v1/contacts/{id}"))).GetProperty("lastName").GetString());
    }

    [Theory]
    [InlineData("""{"nickname":"Ada"}""", "nickname")]
    [InlineData("""{"email":"not-an-email"}""", "email")]
    [InlineData("""{"lifecycle":null}""", "lifecycle")]
    [InlineData("""{"leadScore":5000}""", "leadScore")]
    [InlineData("""{"ownerId":999999}""", "ownerId")]
    [InlineData("""{"firstName":null}""", "firstName")]
    [InlineData("""[]""", "")]
    public async Task PatchContact_WithBadInput_Is400NamingTheField_AndChangesNothing(string patch, string field)
    {
        var id = await CreateContactAsync(Admin, new { firstName = "Ada" });

        var response = await Admin.SendAsync(Patch($"/api/v1/contacts/{id}", patch));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await JsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        var contact = await JsonAsync(await Admin.GetAsync($"/api/v1/contacts/{id}"));
        Assert.Equal(0, contact.GetProperty("version").GetInt32());
        Assert.Equal("Ada", contact.GetProperty("firstName").GetString());
    }

    [Fact]
    public async Task PatchContact_IsNotRefusedForAnOlderValueOfAnotherField()
    {
        // A value today's rules refuse (kept from an older import, say) does not block changing something else.
        var id = await CreateContactAsync(Admin, new { firstName = "Ada" });
        await using (var db = Factory.Services.GetRequiredService<CrmDatabase>().Create(Actor.System(Factory.FirstWorkspaceId)))
            await db.Contacts.Where(c => c.Id == id).ExecuteUpdateAsync(u => u.SetProperty(c => c.Phone, "call the switchboard"), TestContext.Current.CancellationToken);

        var response = await Admin.SendAsync(Patch($"/api/v1/contacts/{id}", """{"jobTitle":"Countess"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("call the switchboard", (await JsonAsync(response)).GetProperty("phone").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.SendAsync(Patch($"/api/v1/contacts/{id}", """{"phone":"call reception"}"""))).StatusCode);
    }

    [Fact]
    public async Task PatchContact_OfAnotherWorkspace_Is404()
    {
        var other = await Factory.ClientWithKeyAsync(await Factory.CreateWorkspaceAsync("Other"));
        var id = await CreateContactAsync(Admin, new { firstName = "Ada" });

        var response = await other.SendAsync(Patch($"/api/v1/contacts/{id}", """{"firstName":"Hacked"}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Ada", (await JsonAsync(await Admin.GetAsync($"/api/v1/contacts/{id}"))).GetProperty("firstName").GetString());
    }

    [Fact]
    public async Task PatchContact_AcceptsPlainJson_AndRefusesOtherMediaTypes()
    {
        var id = await CreateContactAsync(Admin, new { firstName = "Ada" });

        Assert.Equal(HttpStatusCode.OK, (await Admin.SendAsync(Patch($"/api/v1/contacts/{id}", """{"lastName":"King"}""", mediaType: "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Admin.SendAsync(Patch($"/api/v1/contacts/{id}", """{"lastName":"X"}""", mediaType: "text/plain"))).StatusCode);
    }

    [Fact]
    public async Task PatchAccount_ChangesOnlyTheFieldsGiven()
    {
        var created = await Admin.PostAsJsonAsync("/api/v1/accounts", new { name = "Acme", domain = "acme.com", city = "Leeds" });
        var id = (await JsonAsync(created)).GetProperty("id").GetInt64();

        var body = await JsonAsync(await Admin.SendAsync(Patch($"/api/v1/accounts/{id}", """{"domain":"https://www.Acme.co.uk/"}""", "\"0\"")));

        Assert.Equal(("Acme", "acme.co.uk", "Leeds"), (body.GetProperty("name").GetString(), body.GetProperty("domain").GetString(), body.GetProperty("city").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.SendAsync(Patch($"/api/v1/accounts/{id}", """{"name":"  "}"""))).StatusCode);
        Assert.Equal(["Domain"], (await HistoryAsync(RecordType.Account, id)).Select(c => c.Field));
    }

    [Fact]
    public async Task PatchDeal_NewStageBringsItsProbability_GivenProbabilityWins_AndContactsStay()
    {
        var contact = await CreateContactAsync(Admin, new { firstName = "Ada" });
        var pipelines = await JsonAsync(await Admin.GetAsync("/api/v1/pipelines"));
        var stages = pipelines[0].GetProperty("stages").EnumerateArray().ToList();
        var created = await Admin.PostAsJsonAsync("/api/v1/deals", new { name = "Big one", amount = 1000, contactIds = new[] { contact } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await JsonAsync(created)).GetProperty("id").GetInt64();

        var moved = await JsonAsync(await Admin.SendAsync(Patch($"/api/v1/deals/{id}", $$"""{"stageId":{{stages[2].GetProperty("id").GetInt64()}}}""")));
        Assert.Equal(stages[2].GetProperty("probability").GetInt32(), moved.GetProperty("probability").GetInt32());
        Assert.Equal(1000m, moved.GetProperty("amount").GetDecimal());
        Assert.Single(moved.GetProperty("contacts").EnumerateArray());

        var overridden = await JsonAsync(await Admin.SendAsync(Patch($"/api/v1/deals/{id}", $$"""{"stageId":{{stages[1].GetProperty("id").GetInt64()}},"probability":33}""")));
        Assert.Equal(33, overridden.GetProperty("probability").GetInt32());

        var renamed = await JsonAsync(await Admin.SendAsync(Patch($"/api/v1/deals/{id}", """{"name":"Bigger one"}""")));
        Assert.Equal((33, "Bigger one"), (renamed.GetProperty("probability").GetInt32(), renamed.GetProperty("name").GetString()));
    }
}
