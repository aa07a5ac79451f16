using System.Net;
using System.Net.Http.Json;
using Crm.Core.Users;

namespace Crm.Tests.Web.Api;

public class EmailSettingsApiTests : ApiTestBase
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAdmin_SavesTheRules_ABadNeverLogEntryIsNamed_AndARepReadsOnlyTheAddress()
    {
        var bad = await Admin.PutAsJsonAsync("/api/v1/email/settings", new { autoCreate = "fromSent", logBulk = false, teammatesSeeBodies = false, neverLog = new[] { "bank.example", "not a domain" } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("not a domain", await bad.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var saved = await JsonAsync(await Admin.PutAsJsonAsync("/api/v1/email/settings",
            new { autoCreate = "fromSent", logBulk = true, teammatesSeeBodies = false, neverLog = new[] { " Bank.Example ", "@law.example", "CEO@Corp.example" } }, Ct));
        Assert.Equal(["bank.example", "ceo@corp.example", "law.example"], saved.GetProperty("neverLog").EnumerateArray().Select(e => e.GetString()));
        Assert.False(saved.GetProperty("teammatesSeeBodies").GetBoolean());

        var rep = await Factory.ClientWithKeyAsync(Factory.FirstWorkspaceId, UserRole.Rep);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PutAsJsonAsync("/api/v1/email/settings", new { autoCreate = "off", logBulk = false, teammatesSeeBodies = true }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostAsync("/api/v1/email/logging-address/rotate", null, Ct)).StatusCode);
        var seen = await JsonAsync(await rep.GetAsync("/api/v1/email/settings", Ct));
        Assert.Equal(saved.GetProperty("loggingAddress").GetString(), seen.GetProperty("loggingAddress").GetString());
        Assert.Empty(seen.GetProperty("neverLog").EnumerateArray());
    }

    [Fact]
    public async Task EachWorkspace_HasItsOwnLoggingAddress_AndRotatingReplacesIt()
    {
        var first = (await JsonAsync(await Admin.GetAsync("/api/v1/email/settings", Ct))).GetProperty("loggingAddress").GetString()!;
        var otherWorkspace = await Factory.CreateWorkspaceAsync("Other");
        var other = await Factory.ClientWithKeyAsync(otherWorkspace);
        var second = (await JsonAsync(await other.GetAsync("/api/v1/email/settings", Ct))).GetProperty("loggingAddress").GetString()!;
        Assert.NotEqual(first, second);
        Assert.Matches("^log-[0-9a-f]{24}@", first);

        var rotated = (await JsonAsync(await Admin.PostAsync("/api/v1/email/logging-address/rotate", null, Ct))).GetProperty("loggingAddress").GetString();
        Assert.NotEqual(first, rotated);
        Assert.Equal(rotated, (await JsonAsync(await Admin.GetAsync("/api/v1/email/settings", Ct))).GetProperty("loggingAddress").GetString());
        Assert.Equal(second, (await JsonAsync(await other.GetAsync("/api/v1/email/settings", Ct))).GetProperty("loggingAddress").GetString());
    }
}
