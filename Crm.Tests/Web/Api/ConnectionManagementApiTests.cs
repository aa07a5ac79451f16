using System.Net;
using System.Net.Http.Json;
using Crm.Core.Common;
using Crm.Core.Integrations;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Sync;
using Crm.Infrastructure.Persistence;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Web.Api;

/// <summary>Sync now, pause, resume, settings, health and per-record actions over the API, with admin-or-owner checks and two workspaces.</summary>
public class ConnectionManagementApiTests : ApiTestBase
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<long> AddConnectionAsync(long workspaceId, string provider, IntegrationType type, long? owner = null, ConnectionStatus status = ConnectionStatus.Connected)
    {
        await using var db = Factory.Services.GetRequiredService<CrmDatabase>().Create(Actor.System(workspaceId));
        var integration = new Integration { Provider = provider, Type = type, Name = provider, OwnerUserId = owner, Status = status, AccountName = "account of " + provider };
        db.Integrations.Add(integration);
        await db.SaveChangesAsync(Ct);
        return integration.Id;
    }

    private async Task<List<long>> AddRecordsAsync(long integrationId, params (SyncRecordStatus Status, string? Error)[] records)
    {
        await using var db = Factory.Services.GetRequiredService<CrmDatabase>().Create(Actor.System(Factory.FirstWorkspaceId));
        var rows = records.Select((r, i) => new SyncRecord
        {
            Provider = "hubspot", IntegrationId = integrationId, RecordType = RecordType.Contact, RecordId = 1000 + i, ExternalId = (51 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Status = r.Status, LastError = r.Error, ErrorCount = r.Error is null ? 0 : 2, LastAttemptAt = DateTimeOffset.UtcNow,
        }).ToList();
        db.SyncRecords.AddRange(rows);
        db.SyncRuns.Add(new SyncRun { IntegrationId = integrationId, Trigger = "schedule", StartedAt = DateTimeOffset.UtcNow.AddMinutes(-3), FinishedAt = DateTimeOffset.UtcNow.AddMinutes(-2),
            Outcome = SyncRunOutcome.PartlyFailed, ReadIn = 7, WrittenIn = 4, Errors = 3, ApiCalls = 12 });
        await db.SaveChangesAsync(Ct);
        return rows.Select(r => r.Id).ToList();
    }

    [Fact]
    public async Task Health_CountsRecords_GroupsFailuresByReason_AndRetryExcludeInclude_ChangeThem()
    {
        var id = await AddConnectionAsync(Factory.FirstWorkspaceId, IntegrationProviders.HubSpot, IntegrationType.CrmSync);
        var records = await AddRecordsAsync(id, (SyncRecordStatus.InSync, null), (SyncRecordStatus.InSync, null), (SyncRecordStatus.InSync, null),
            (SyncRecordStatus.Failing, "Property \"lifecyclestage\" does not exist"), (SyncRecordStatus.Failing, "Property \"lifecyclestage\" does not exist"),
            (SyncRecordStatus.Failing, "Email is invalid"), (SyncRecordStatus.Excluded, null));

        var health = await JsonAsync(await Admin.GetAsync($"/api/v1/integrations/{id}/health", Ct));
        Assert.Equal((3, 3, 1), (health.GetProperty("inSync").GetInt32(), health.GetProperty("failing").GetInt32(), health.GetProperty("excluded").GetInt32()));
        var groups = health.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(2, groups.Count);
        Assert.Equal(("Property \"lifecyclestage\" does not exist", 2), (groups[0].GetProperty("reason").GetString(), groups[0].GetProperty("count").GetInt32()));
        Assert.Equal(2, groups[0].GetProperty("records").GetArrayLength());
        Assert.Equal(12, health.GetProperty("runs")[0].GetProperty("apiCalls").GetInt32());
        Assert.Equal(7, health.GetProperty("calls").GetArrayLength());

        var retried = await JsonAsync(await Admin.PostAsync($"/api/v1/integrations/{id}/records/{records[3]}/retry", null, Ct));
        Assert.Equal(("inSync", 0), (retried.GetProperty("status").GetString(), retried.GetProperty("errorCount").GetInt32()));
        Assert.Equal(JsonValueKindNull, retried.GetProperty("error").ValueKind);
        var excluded = await JsonAsync(await Admin.PostAsync($"/api/v1/integrations/{id}/records/{records[4]}/exclude", null, Ct));
        Assert.Equal("excluded", excluded.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await Admin.PostAsync($"/api/v1/integrations/{id}/records/{records[4]}/retry", null, Ct)).StatusCode);
        Assert.Equal("inSync", (await JsonAsync(await Admin.PostAsync($"/api/v1/integrations/{id}/records/{records[6]}/include", null, Ct))).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.PostAsync($"/api/v1/integrations/{id}/records/{records[0]}/explode", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.PostAsync($"/api/v1/integrations/{id}/records/999999/retry", null, Ct)).StatusCode);

        health = await JsonAsync(await Admin.GetAsync($"/api/v1/integrations/{id}/health", Ct));
        Assert.Equal((5, 1, 1), (health.GetProperty("inSync").GetInt32(), health.GetProperty("failing").GetInt32(), health.GetProperty("excluded").GetInt32()));
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task PauseResumeSyncNowAndSettings_AreCheckedAndSaved()
    {
        var id = await AddConnectionAsync(Factory.FirstWorkspaceId, IntegrationProviders.HubSpot, IntegrationType.CrmSync);
        var paused = await JsonAsync(await Admin.PostAsync($"/api/v1/integrations/{id}/pause", null, Ct));
        Assert.NotEqual(JsonValueKindNull, paused.GetProperty("pausedAt").ValueKind);
        var refused = await Admin.PostAsync($"/api/v1/integrations/{id}/sync", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("paused", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var resumed = await JsonAsync(await Admin.PostAsync($"/api/v1/integrations/{id}/resume", null, Ct));
        Assert.Equal(JsonValueKindNull, resumed.GetProperty("pausedAt").ValueKind);

        var tooOften = await Admin.PatchAsJsonAsync($"/api/v1/integrations/{id}", new { syncIntervalMinutes = 1 }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, tooOften.StatusCode);
        Assert.Contains("5 to 1,440 minutes", await tooOften.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var changed = await JsonAsync(await Admin.PatchAsJsonAsync($"/api/v1/integrations/{id}", new { syncIntervalMinutes = 30, direction = "inOnly" }, Ct));
        Assert.Equal((30, "inOnly"), (changed.GetProperty("syncIntervalMinutes").GetInt32(), changed.GetProperty("direction").GetString()));
        var badTier = await Admin.PatchAsJsonAsync($"/api/v1/integrations/{id}", new { tier = "platinum" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badTier.StatusCode);
        Assert.Contains("professional", await badTier.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PatchAsJsonAsync($"/api/v1/integrations/{id}", new { tier = "Professional" }, Ct)).StatusCode);
        var professional = (await JsonAsync(await Admin.GetAsync("/api/v1/integrations", Ct))).EnumerateArray().Single(c => c.GetProperty("id").GetInt64() == id);
        Assert.Equal(("professional", 625_000), (professional.GetProperty("budgetTier").GetString(), professional.GetProperty("dailyCallLimit").GetInt32()));

        var broken = await AddConnectionAsync(Factory.FirstWorkspaceId, IntegrationProviders.Salesforce, IntegrationType.CrmSync, status: ConnectionStatus.NeedsReconnect);
        var needsReconnect = await Admin.PostAsync($"/api/v1/integrations/{broken}/sync", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, needsReconnect.StatusCode);
        Assert.Contains("needs a reconnect", await needsReconnect.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherWorkspace_GetsNotFound_OnEveryConnectionRoute()
    {
        var id = await AddConnectionAsync(Factory.FirstWorkspaceId, IntegrationProviders.HubSpot, IntegrationType.CrmSync);
        var records = await AddRecordsAsync(id, (SyncRecordStatus.Failing, "boom"));
        var stranger = await Factory.ClientWithKeyAsync(await Factory.CreateWorkspaceAsync("Other"));
        foreach (var response in new[]
                 {
                     await stranger.GetAsync($"/api/v1/integrations/{id}/initial-sync", Ct),
                     await stranger.PostAsync($"/api/v1/integrations/{id}/initial-sync", null, Ct),
                     await stranger.GetAsync($"/api/v1/integrations/{id}/health", Ct),
                     await stranger.PatchAsJsonAsync($"/api/v1/integrations/{id}", new { syncIntervalMinutes = 30 }, Ct),
                     await stranger.PostAsync($"/api/v1/integrations/{id}/sync", null, Ct),
                     await stranger.PostAsync($"/api/v1/integrations/{id}/pause", null, Ct),
                     await stranger.PostAsync($"/api/v1/integrations/{id}/resume", null, Ct),
                     await stranger.PostAsync($"/api/v1/integrations/{id}/records/{records[0]}/retry", null, Ct),
                     await stranger.PostAsync($"/api/v1/integrations/{id}/disconnect", null, Ct),
                 })
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("[]", await stranger.GetStringAsync("/api/v1/integrations", Ct));
    }

    [Fact]
    public async Task ARep_ActsOnTheirOwnMailbox_ButNotOnTheWorkspacesSync()
    {
        var repId = await Factory.CreateUserAsync(Factory.FirstWorkspaceId, "rep.api@first.example", "rep-api-password");
        var mailbox = await AddConnectionAsync(Factory.FirstWorkspaceId, IntegrationProviders.Google, IntegrationType.Email, owner: repId);
        var sync = await AddConnectionAsync(Factory.FirstWorkspaceId, IntegrationProviders.HubSpot, IntegrationType.CrmSync);
        var rep = await BrowserSession.SignInAsync(Factory, "rep.api@first.example", "rep-api-password");

        Assert.Equal(HttpStatusCode.OK, (await rep.Client.GetAsync($"/api/v1/integrations/{mailbox}/health", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await rep.Client.SendAsync(rep.SameOrigin(HttpMethod.Post, $"/api/v1/integrations/{mailbox}/pause"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.GetAsync($"/api/v1/integrations/{sync}/health", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.SendAsync(rep.SameOrigin(HttpMethod.Post, $"/api/v1/integrations/{sync}/pause"), Ct)).StatusCode);

        await using var db = Factory.Services.GetRequiredService<CrmDatabase>().Create(Actor.System(Factory.FirstWorkspaceId));
        Assert.Null((await db.Integrations.SingleAsync(i => i.Id == sync, Ct)).PausedAt);
        Assert.NotNull((await db.Integrations.SingleAsync(i => i.Id == mailbox, Ct)).PausedAt);
    }

    [Fact]
    public async Task TheSyncHealthPage_ShowsNothingOfAnotherWorkspacesConnection_OrOfTheWorkspaceSyncToARep()
    {
        var id = await AddConnectionAsync(Factory.FirstWorkspaceId, IntegrationProviders.HubSpot, IntegrationType.CrmSync);
        var other = await Factory.CreateWorkspaceAsync("Other");
        await Factory.CreateUserAsync(other, "admin.other@other.example", "other-admin-password", Crm.Core.Users.UserRole.Admin);
        var stranger = await BrowserSession.SignInAsync(Factory, "admin.other@other.example", "other-admin-password");
        var page = await stranger.Client.GetStringAsync($"/integrations/{id}/health", Ct);
        Assert.Contains("There is no such connection in this workspace.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("account of hubspot", page, StringComparison.Ordinal);

        await Factory.CreateUserAsync(Factory.FirstWorkspaceId, "rep.page@first.example", "rep-page-password");
        var rep = await BrowserSession.SignInAsync(Factory, "rep.page@first.example", "rep-page-password");
        var repPage = await rep.Client.GetStringAsync($"/integrations/{id}/health", Ct);
        Assert.Contains("Only an admin", repPage, StringComparison.Ordinal);
        Assert.DoesNotContain("account of hubspot", repPage, StringComparison.Ordinal);

        var admin = await BrowserSession.SignInAsync(Factory, CrmWebFactory.AdminEmail, CrmWebFactory.AdminPassword);
        Assert.Contains("account of hubspot", await admin.Client.GetStringAsync($"/integrations/{id}/health", Ct), StringComparison.Ordinal);
    }
}
