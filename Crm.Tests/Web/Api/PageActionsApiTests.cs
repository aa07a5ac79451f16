using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Crm.Core.Users;
using Crm.Tests.TestSupport;

namespace Crm.Tests.Web.Api;

/// <summary>
/// What the pages offer, done through the API instead: API keys, custom fields, a record's timeline and history, the
/// deal board, ticking a task, managing users, an import draft tested, saved as a template and started, the export
/// count, the dashboard and one's time zone — with the pages' role rules and workspace walls.
/// </summary>
public class PageActionsApiTests : ApiTestBase
{
    [Fact]
    public async Task AnAdmin_CreatesAnApiKey_ThatWorks_SeesItListedWithoutItsSecret_AndRevokesIt()
    {
        var created = await Admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "Zapier", role = "rep" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await JsonAsync(created);
        var secret = body.GetProperty("secret").GetString()!;
        var id = body.GetProperty("key").GetProperty("id").GetInt64();

        var withKey = Factory.CreateClient();
        withKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync("/api/v1/contacts")).StatusCode);
        // A rep key cannot make keys: the role the admin gave it holds.
        Assert.Equal(HttpStatusCode.Forbidden, (await withKey.PostAsJsonAsync("/api/v1/api-keys", new { name = "escalate", role = "admin" })).StatusCode);

        var list = await Admin.GetStringAsync("/api/v1/api-keys", TestContext.Current.CancellationToken);
        Assert.Contains("Zapier", list);
        Assert.DoesNotContain(secret, list);

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/api/v1/api-keys/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withKey.GetAsync("/api/v1/contacts")).StatusCode);

        var other = await Factory.ClientWithKeyAsync(await Factory.CreateWorkspaceAsync("Other"));
        Assert.DoesNotContain("Zapier", await other.GetStringAsync("/api/v1/api-keys", TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/v1/api-keys/{id}")).StatusCode);
    }

    [Fact]
    public async Task CustomFields_AreAddedByAdmins_ReadByEveryone_AndCarryValuesOnRecords()
    {
        var created = await Admin.PostAsJsonAsync("/api/v1/custom-fields", new { label = "Contract tier", type = "text", recordType = "contact" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var field = await JsonAsync(created);
        Assert.Equal("contract_tier", field.GetProperty("key").GetString());

        var rep = await Factory.ClientWithKeyAsync(Factory.FirstWorkspaceId, UserRole.Rep);
        Assert.Contains("contract_tier", await rep.GetStringAsync("/api/v1/custom-fields?recordType=contact", TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostAsJsonAsync("/api/v1/custom-fields", new { label = "Sneaky", type = "text" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.DeleteAsync($"/api/v1/custom-fields/{field.GetProperty("id").GetInt64()}")).StatusCode);

        var contact = await CreateContactAsync(Admin, new { email = "tier@example.com", customFields = new Dictionary<string, string> { ["contract_tier"] = "Gold" } });
        Assert.Contains("Gold", await Admin.GetStringAsync($"/api/v1/contacts/{contact}", TestContext.Current.CancellationToken));

        var bad = await Admin.PostAsJsonAsync("/api/v1/custom-fields", new { label = "", type = "text" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/api/v1/custom-fields/{field.GetProperty("id").GetInt64()}")).StatusCode);
        Assert.DoesNotContain("contract_tier", await Admin.GetStringAsync("/api/v1/custom-fields?recordType=contact", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AContactsTimeline_PagesByCursor_AndItsHistory_NamesEachChange_WithinItsWorkspaceOnly()
    {
        var contact = await CreateContactAsync(Admin, new { email = "timeline@example.com", firstName = "Tim" });
        for (var i = 0; i < 3; i++)
        {
            var note = await Admin.PostAsJsonAsync("/api/v1/activities", new { type = "note", contactId = contact, body = $"Note {i}", occurredAt = DateTimeOffset.UtcNow.AddMinutes(-i) });
            Assert.Equal(HttpStatusCode.Created, note.StatusCode);
        }

        var first = await JsonAsync(await Admin.GetAsync($"/api/v1/contacts/{contact}/timeline?pageSize=2"));
        Assert.Equal(2, first.GetProperty("entries").GetArrayLength());
        Assert.Equal("Note 0", first.GetProperty("entries")[0].GetProperty("activity").GetProperty("body").GetString());
        var next = first.GetProperty("next");
        var afterTime = Uri.EscapeDataString(next.GetProperty("occurredAt").GetString()!);
        var second = await JsonAsync(await Admin.GetAsync($"/api/v1/contacts/{contact}/timeline?pageSize=2&afterTime={afterTime}&afterId={next.GetProperty("id").GetInt64()}"));
        Assert.Equal("Note 2", Assert.Single(second.GetProperty("entries").EnumerateArray()).GetProperty("activity").GetProperty("body").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.GetAsync($"/api/v1/contacts/{contact}/timeline?afterId=3")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Admin.PatchAsync($"/api/v1/contacts/{contact}", JsonContent.Create(new { jobTitle = "CTO" }))).StatusCode);
        var history = await JsonAsync(await Admin.GetAsync($"/api/v1/contacts/{contact}/history"));
        Assert.Contains(history.GetProperty("changes").GetProperty("items").EnumerateArray(),
            c => c.GetProperty("field").GetString() == "JobTitle" && c.GetProperty("newValue").GetString() == "CTO");

        var other = await Factory.ClientWithKeyAsync(await Factory.CreateWorkspaceAsync("Other"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/contacts/{contact}/timeline")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/contacts/{contact}/history")).StatusCode);
    }

    [Fact]
    public async Task ADeal_MovesAcrossTheBoard_WithItsVersionChecked_AndTheBoardCountsIt()
    {
        var pipelines = await JsonAsync(await Admin.GetAsync("/api/v1/pipelines"));
        var stages = pipelines[0].GetProperty("stages");
        var created = await JsonAsync(await Admin.PostAsJsonAsync("/api/v1/deals", new { name = "Board deal", amount = 5000, currency = "EUR" }));
        var id = created.GetProperty("id").GetInt64();
        var target = stages[1].GetProperty("id").GetInt64();

        var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/deals/{id}/move") { Content = JsonContent.Create(new { stageId = target }) };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"999\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Admin.SendAsync(stale)).StatusCode);

        var moved = await Admin.PostAsJsonAsync($"/api/v1/deals/{id}/move", new { stageId = target });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(target, (await JsonAsync(moved)).GetProperty("stageId").GetInt64());
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.PostAsJsonAsync($"/api/v1/deals/{id}/move", new { stageId = 987654 })).StatusCode);

        var board = await JsonAsync(await Admin.GetAsync("/api/v1/pipelines/board"));
        var column = board.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("stage").GetProperty("id").GetInt64() == target);
        Assert.Contains(column.GetProperty("deals").EnumerateArray(), d => d.GetProperty("id").GetInt64() == id);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync("/api/v1/pipelines/board?pipelineId=987654")).StatusCode);
    }

    [Fact]
    public async Task ATask_IsTickedDone_AndOpenedAgain()
    {
        var contact = await CreateContactAsync(Admin, new { email = "task@example.com" });
        var created = await Admin.PostAsJsonAsync("/api/v1/activities", new { type = "task", contactId = contact, title = "Send proposal", dueAt = DateTimeOffset.UtcNow.AddDays(1) });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var task = await JsonAsync(created);
        var id = task.GetProperty("id").GetInt64();
        var done = await JsonAsync(await Admin.PutAsJsonAsync($"/api/v1/activities/{id}/done", new { done = true }));
        Assert.True(done.GetProperty("isDone").GetBoolean());
        Assert.Equal(JsonValueKind.String, done.GetProperty("completedAt").ValueKind);
        var open = await JsonAsync(await Admin.PutAsJsonAsync($"/api/v1/activities/{id}/done", new { done = false }));
        Assert.False(open.GetProperty("isDone").GetBoolean());
    }

    [Fact]
    public async Task AnAdmin_ChangesARolesAndSetsAPassword_ARepOnlyReadsTheOwnerList()
    {
        var repId = await Factory.CreateUserAsync(Factory.FirstWorkspaceId, "rep.user@first.example", "rep-password-12345");
        var promoted = await Admin.PutAsJsonAsync($"/api/v1/users/{repId}", new { role = "admin", isActive = true });
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        Assert.Equal("admin", (await JsonAsync(promoted)).GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.PutAsJsonAsync($"/api/v1/users/{repId}/password", new { password = "a-new-password-67890" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.PutAsJsonAsync($"/api/v1/users/{repId}/password", new { password = "short" })).StatusCode);

        var rep = await Factory.ClientWithKeyAsync(Factory.FirstWorkspaceId, UserRole.Rep);
        Assert.Contains("rep.user@first.example", await rep.GetStringAsync("/api/v1/users/options", TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PutAsJsonAsync($"/api/v1/users/{repId}", new { role = "rep", isActive = false })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PutAsJsonAsync($"/api/v1/users/{repId}/password", new { password = "a-new-password-00000" })).StatusCode);

        var other = await Factory.ClientWithKeyAsync(await Factory.CreateWorkspaceAsync("Other"));
        Assert.DoesNotContain("rep.user@first.example", await other.GetStringAsync("/api/v1/users/options", TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsJsonAsync($"/api/v1/users/{repId}", new { role = "rep", isActive = false })).StatusCode);
    }

    [Fact]
    public async Task AnImportDraft_IsReadTestedSavedAsATemplate_AndStarted_ThenItsErrorsAreSummarised()
    {
        var form = new MultipartFormDataContent { { new StringContent("contact"), "objectType" } };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes("E-mail,Given name\ndraft.one@example.com,One\nnot-an-email,Two\ndraft.three@example.com,Three\n"));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "draft.csv");
        var uploaded = await Admin.PostAsync("/api/v1/imports/drafts", form);
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var id = (await JsonAsync(uploaded)).GetProperty("importId").GetInt64();

        var draft = await JsonAsync(await Admin.GetAsync($"/api/v1/imports/drafts/{id}"));
        Assert.Equal("draft.csv", draft.GetProperty("fileName").GetString());

        var mapping = new Dictionary<string, string> { ["E-mail"] = "email", ["Given name"] = "firstName" };
        var test = await Admin.PostAsJsonAsync($"/api/v1/imports/drafts/{id}/dry-run", new { mapping });
        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        Assert.Equal(2, (await JsonAsync(test)).GetProperty("wouldCreate").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest,
            (await Admin.PostAsJsonAsync($"/api/v1/imports/drafts/{id}/dry-run", new { mapping = new Dictionary<string, string> { ["Nope"] = "email" } })).StatusCode);

        var template = await Admin.PostAsJsonAsync($"/api/v1/imports/drafts/{id}/template", new { name = "Trade show", mapping });
        Assert.Equal(HttpStatusCode.OK, template.StatusCode);
        var templateId = (await JsonAsync(template)).GetProperty("id").GetInt64();
        Assert.Contains("Trade show", await Admin.GetStringAsync("/api/v1/imports/templates", TestContext.Current.CancellationToken));

        var started = await Admin.PostAsJsonAsync($"/api/v1/imports/drafts/{id}/start", new { mapping });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var done = await RunWaiter.UntilStatusAsync(Admin, $"/api/v1/imports/{id}", "completed", "failed");
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(2, done.GetProperty("rowsCreated").GetInt32());

        var summary = await JsonAsync(await Admin.GetAsync($"/api/v1/imports/{id}/errors/summary"));
        Assert.Equal(1, summary.GetProperty("totalGroups").GetInt32());
        // A started import is no draft any more: starting it again is refused and imports nothing twice.
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.PostAsJsonAsync($"/api/v1/imports/drafts/{id}/start", new { mapping })).StatusCode);
        Assert.Equal(2, (await JsonAsync(await Admin.GetAsync($"/api/v1/imports/{id}"))).GetProperty("rowsCreated").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/api/v1/imports/templates/{templateId}")).StatusCode);
        var rep = await Factory.ClientWithKeyAsync(Factory.FirstWorkspaceId, UserRole.Rep);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.GetAsync("/api/v1/imports/templates")).StatusCode);
    }

    [Fact]
    public async Task TheExportCount_SaysRowsAndTheLimit_AndTheDashboard_AndTimeZone_AnswerAnApiKey()
    {
        await CreateContactAsync(Admin, new { email = "count.one@example.com" });
        await CreateContactAsync(Admin, new { email = "count.two@example.com", lifecycle = "customer" });
        var all = await JsonAsync(await Admin.PostAsJsonAsync("/api/v1/exports/count", new { objectType = "contact", format = "csv" }));
        var customers = await JsonAsync(await Admin.PostAsJsonAsync("/api/v1/exports/count", new { objectType = "contact", format = "xlsx", filter = new { lifecycle = "customer" } }));
        Assert.Equal(all.GetProperty("rows").GetInt32() - 1, customers.GetProperty("rows").GetInt32());
        Assert.True(customers.GetProperty("limit").GetInt32() > 0);
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.PostAsJsonAsync("/api/v1/exports/count", new { format = "csv" })).StatusCode);

        var dashboard = await JsonAsync(await Admin.GetAsync("/api/v1/me/dashboard"));
        Assert.Equal(JsonValueKind.Object, dashboard.GetProperty("admin").ValueKind);
        var rep = await Factory.ClientWithKeyAsync(Factory.FirstWorkspaceId, UserRole.Rep);
        Assert.Equal(JsonValueKind.Null, (await JsonAsync(await rep.GetAsync("/api/v1/me/dashboard"))).GetProperty("admin").ValueKind);

        // An API key is nobody: it has no time zone to read or set.
        Assert.Equal(JsonValueKind.Null, (await JsonAsync(await Admin.GetAsync("/api/v1/me/time-zone"))).GetProperty("timeZone").ValueKind);
        Assert.Equal(HttpStatusCode.Forbidden, (await Admin.PutAsJsonAsync("/api/v1/me/time-zone", new { timeZone = "Europe/Paris" })).StatusCode);
    }
}
