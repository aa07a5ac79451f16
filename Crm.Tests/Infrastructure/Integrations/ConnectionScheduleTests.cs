using System.Net;
using System.Net.Http.Json;
using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Tokens;
using Crm.Infrastructure.Persistence;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Infrastructure.Integrations;

/// <summary>
/// Each connection's own Quartz trigger in the app's real scheduler: created on connect at the connection's interval,
/// moved when the interval changes, gone while paused, waiting for a reconnect or disconnected, back on resume.
/// </summary>
public sealed class ConnectionScheduleTests : IAsyncLifetime
{
    private SandboxServer _sandbox = default!;
    private CrmWebFactory _factory = default!;

    private readonly LogCapture _log = new();

    public async ValueTask InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync();
        _factory = new CrmWebFactory(_sandbox.CrmSettings(), _log);
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private CancellationToken Ct => TestContext.Current.CancellationToken;
    private IConnectionSchedule Schedule => _factory.Services.GetRequiredService<IConnectionSchedule>();

    [Fact]
    public async Task TheTrigger_FollowsTheConnection_ThroughIntervalPauseNeedsReconnectAndDisconnect()
    {
        var admin = await BrowserSession.SignInAsync(_factory, CrmWebFactory.AdminEmail, CrmWebFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, (await _sandbox.ConnectAsync(admin, "hubspot")).StatusCode);
        long id;
        await using (var db = _factory.Services.GetRequiredService<CrmDatabase>().Create(Actor.System(_factory.FirstWorkspaceId)))
            id = await db.Integrations.Select(i => i.Id).SingleAsync(Ct);
        Assert.NotNull(await Schedule.NextRunAsync(id, Ct));

        var api = await _factory.ClientWithKeyAsync(_factory.FirstWorkspaceId);
        Assert.Equal(HttpStatusCode.OK, (await api.PatchAsJsonAsync($"/api/v1/integrations/{id}", new { syncIntervalMinutes = 120 }, Ct)).StatusCode);
        var next = await Schedule.NextRunAsync(id, Ct);
        Assert.NotNull(next);

        await api.PostAsync($"/api/v1/integrations/{id}/pause", null, Ct);
        Assert.Null(await Schedule.NextRunAsync(id, Ct));
        await api.PostAsync($"/api/v1/integrations/{id}/resume", null, Ct);
        Assert.NotNull(await Schedule.NextRunAsync(id, Ct));

        await _factory.Services.GetRequiredService<IConnectionStatus>()
            .NeedsReconnectAsync(new ConnectionRef(_factory.FirstWorkspaceId, id, "hubspot"), "Access was withdrawn.", Ct);
        Assert.Null(await Schedule.NextRunAsync(id, Ct));
        var refused = await api.PostAsync($"/api/v1/integrations/{id}/sync", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);

        // Reconnecting brings the trigger back; disconnecting removes it.
        Assert.Equal(HttpStatusCode.Redirect, (await _sandbox.ConnectAsync(admin, "hubspot")).StatusCode);
        Assert.NotNull(await Schedule.NextRunAsync(id, Ct));
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/integrations/{id}/disconnect", null, Ct)).StatusCode);
        Assert.Null(await Schedule.NextRunAsync(id, Ct));
    }

    [Fact]
    public async Task SyncNow_RunsInTheScheduler_AndARevokedGrantTurnsTheConnectionToNeedsReconnect()
    {
        await _factory.CreateUserAsync(_factory.FirstWorkspaceId, "sched.rep@first.example", "sched-rep-password");
        var rep = await BrowserSession.SignInAsync(_factory, "sched.rep@first.example", "sched-rep-password");
        Assert.Equal(HttpStatusCode.Redirect, (await _sandbox.ConnectAsync(rep, "google", "email")).StatusCode);
        long id;
        await using (var db = _factory.Services.GetRequiredService<CrmDatabase>().Create(Actor.System(_factory.FirstWorkspaceId)))
            id = await db.Integrations.Select(i => i.Id).SingleAsync(Ct);

        async Task<List<Crm.Core.Integrations.Sync.SyncRun>> RunsAsync()
        {
            await using var db = _factory.Services.GetRequiredService<CrmDatabase>().Create(Actor.System(_factory.FirstWorkspaceId));
            return await db.SyncRuns.AsNoTracking().OrderBy(r => r.Id).ToListAsync(Ct);
        }

        var sync = await rep.Client.SendAsync(rep.SameOrigin(HttpMethod.Post, $"/api/v1/integrations/{id}/sync"), Ct);
        Assert.Equal(HttpStatusCode.Accepted, sync.StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await RunsAsync()).All(r => r.Outcome == Crm.Core.Integrations.Sync.SyncRunOutcome.Running) && DateTime.UtcNow < deadline) await Task.Delay(200, Ct);
        Assert.Contains(await RunsAsync(), r => r.Outcome == Crm.Core.Integrations.Sync.SyncRunOutcome.Succeeded);

        _sandbox.Tokens["google"].RevokeRefreshTokens();
        Assert.Equal(HttpStatusCode.Accepted, (await rep.Client.SendAsync(rep.SameOrigin(HttpMethod.Post, $"/api/v1/integrations/{id}/sync"), Ct)).StatusCode);
        deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await RunsAsync()).Any(r => r.Outcome == Crm.Core.Integrations.Sync.SyncRunOutcome.NeedsReconnect) && DateTime.UtcNow < deadline) await Task.Delay(200, Ct);
        Assert.True((await RunsAsync()).Any(r => r.Outcome == Crm.Core.Integrations.Sync.SyncRunOutcome.NeedsReconnect), "runs: "
            + string.Join(", ", (await RunsAsync()).Select(r => $"{r.Trigger} {r.Outcome} {r.Error}")) + "\n" + string.Join("\n", _log.Text.Split('\n').Where(l => l.Contains("Sync", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Warning", StringComparison.Ordinal)).TakeLast(30)));
        Assert.Null(await Schedule.NextRunAsync(id, Ct));
    }
}
