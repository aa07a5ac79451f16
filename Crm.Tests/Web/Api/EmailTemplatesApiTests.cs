using System.Net;
using System.Net.Http.Json;
using Crm.Core.Users;

namespace Crm.Tests.Web.Api;

public class EmailTemplatesApiTests : ApiTestBase
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAdmin_SharesATemplate_ARepUsesButCannotChangeIt_ABadOneIs400_AndAnotherWorkspaceSeesNothing()
    {
        var created = await Admin.PostAsJsonAsync("/api/v1/email/templates", new { name = "Intro", subject = "Hello {{first_name}}", body = "Hi {{first_name}},", shared = true }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var template = await JsonAsync(created);
        var id = template.GetProperty("id").GetInt64();
        Assert.True(template.GetProperty("shared").GetBoolean());

        var bad = await Admin.PostAsJsonAsync("/api/v1/email/templates", new { name = "Bad", subject = "Hello", body = "Hi {{nickname}}", shared = true }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("{{nickname}}", await bad.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var rep = await Factory.ClientWithKeyAsync(Factory.FirstWorkspaceId, UserRole.Rep);
        var listed = await JsonAsync(await rep.GetAsync("/api/v1/email/templates", Ct));
        Assert.Equal(["Intro"], listed.EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.False(listed[0].GetProperty("canEdit").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PutAsJsonAsync($"/api/v1/email/templates/{id}", new { name = "Intro", subject = "Mine", body = "Mine", shared = true }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.DeleteAsync($"/api/v1/email/templates/{id}", Ct)).StatusCode);

        var other = await Factory.ClientWithKeyAsync(await Factory.CreateWorkspaceAsync("Other"));
        Assert.Empty((await JsonAsync(await other.GetAsync("/api/v1/email/templates", Ct))).EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/v1/email/templates/{id}", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/api/v1/email/templates/{id}", Ct)).StatusCode);
        Assert.Empty((await JsonAsync(await rep.GetAsync("/api/v1/email/templates", Ct))).EnumerateArray());
    }
}
