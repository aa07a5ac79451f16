using System.Diagnostics;
using System.Net;
using Crm.Core.Common;
using Crm.Core.Integrations.Calls;
using Crm.Core.Integrations.Tokens;
using Crm.Infrastructure.Integrations.Calls;
using Crm.Infrastructure.Integrations.HubSpot;
using Crm.Infrastructure.Persistence;
using Crm.Sandbox.Faults;
using Crm.Sandbox.HubSpot;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Infrastructure.Integrations;

/// <summary>
/// Calls to a provider through the resilience pipeline and the connection's rate budget, against the sandbox's
/// HubSpot limits (a strict sliding window) with faults injected over HTTP.
/// </summary>
public sealed class ProviderPipelineTests : IAsyncLifetime
{
    private SandboxServer _sandbox = default!;
    private CrmWebFactory _factory = default!;
    private ConnectionRef _connection;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync();
        _sandbox.HubSpotLimits.Configure(new HubSpotApiLimits.Settings(20, 2000, 1_000_000));
        _factory = new CrmWebFactory(new Dictionary<string, string>(_sandbox.CrmSettings())
        {
            ["Jobs:Enabled"] = "false",
            ["Integrations:Budgets:hubspot:default:Requests"] = "20", ["Integrations:Budgets:hubspot:default:WindowSeconds"] = "2",
        });
        var admin = await BrowserSession.SignInAsync(_factory, CrmWebFactory.AdminEmail, CrmWebFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, (await _sandbox.ConnectAsync(admin, "hubspot")).StatusCode);
        await using var db = _factory.Services.GetRequiredService<CrmDatabase>().Create(Actor.System(_factory.FirstWorkspaceId));
        _connection = new ConnectionRef(_factory.FirstWorkspaceId, await db.Integrations.Select(i => i.Id).SingleAsync(), "hubspot");
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private CancellationToken Ct => TestContext.Current.CancellationToken;
    private HubSpotApi Api => _factory.Services.GetRequiredService<HubSpotApi>();

    private async Task<(int Calls, int Throttled, int Failed)> UsageAsync()
    {
        await _factory.Services.GetRequiredService<IntegrationUsageMeter>().FlushAsync(Ct);
        await using var db = _factory.Services.GetRequiredService<CrmDatabase>().Create(Actor.System(_factory.FirstWorkspaceId));
        var row = await db.IntegrationUsage.SingleAsync(u => u.IntegrationId == _connection.IntegrationId, Ct);
        return (row.Calls, row.Throttled, row.Failed);
    }

    [Fact]
    public async Task A429StormWithRetryAfter_IsWaitedOut_AndCounted()
    {
        _sandbox.Faults.Set(new FaultPlan { Provider = "hubspot", ThrottleForSeconds = 1.2, RetryAfterSeconds = 1 }, DateTimeOffset.UtcNow);
        var watch = Stopwatch.StartNew();
        var details = await Api.AccountDetailsAsync(_connection, Ct);
        Assert.Equal(62515, details.PortalId);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.95), $"answered after {watch.Elapsed}: Retry-After was not waited for");
        var (calls, throttled, _) = await UsageAsync();
        Assert.True(throttled >= 1);
        Assert.Equal(throttled + 1, calls);
    }

    [Fact]
    public async Task ServerErrorsAndDroppedConnections_AreRetried_UntilTheCallGoesThrough()
    {
        // Seeded: at random, six failed attempts in a row (0.37^6) sink one of the 15 calls in about one run of 25.
        _sandbox.Faults.Set(new FaultPlan { Provider = "hubspot", FailureRate = 0.3, FailureStatus = 503, DropRate = 0.1, Seed = 14 }, DateTimeOffset.UtcNow);
        for (var i = 0; i < 15; i++) Assert.Equal(62515, (await Api.AccountDetailsAsync(_connection, Ct)).PortalId);
        var (calls, _, failed) = await UsageAsync();
        Assert.True(failed > 0, "no fault was injected");
        Assert.Equal(15 + failed, calls);
    }

    [Fact]
    public async Task APersistentOutage_EndsAsATransientProviderError_NotAHang()
    {
        _sandbox.Faults.Set(new FaultPlan { Provider = "hubspot", FailureRate = 1, FailureStatus = 502 }, DateTimeOffset.UtcNow);
        var error = await Assert.ThrowsAsync<ProviderApiException>(() => Api.AccountDetailsAsync(_connection, Ct));
        Assert.True(error.Transient);
        Assert.Equal(502, error.StatusCode);
    }

    [Fact]
    public async Task EightWorkers_NeverExceedTheBudget_EvenWithFaults_AndUseMostOfIt()
    {
        _sandbox.Faults.Set(new FaultPlan { Provider = "hubspot", FailureRate = 0.1, LatencyMs = 15 }, DateTimeOffset.UtcNow);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        stop.CancelAfter(TimeSpan.FromSeconds(6));
        var done = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Api.AccountDetailsAsync(_connection, stop.Token);
                    Interlocked.Increment(ref done);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
            }
        }, Ct)));
        var stats = System.Text.Json.JsonSerializer.SerializeToElement(_sandbox.HubSpotLimits.Stats());
        Assert.Equal(0, stats.GetProperty("throttled").GetInt64());
        // 20 per 2 s for 6 s is at most ~60 (the budget keeps a margin, and a tenth of its calls fail before they count).
        Assert.InRange(stats.GetProperty("accepted").GetInt64(), 35, 70);
        Assert.True(done > 30, $"only {done} calls went through");
    }
}
