using System.Net.Http.Headers;
using System.Text.Json;
using Crm.Sandbox.HubSpot;
using Crm.Tests.TestSupport;

namespace Crm.Tests.Sandbox;

/// <summary>What the sandbox's HubSpot contract tests share: the sandbox with generous limits and a client holding a portal's access token.</summary>
public abstract class HubSpotSandboxTestBase : IAsyncLifetime
{
    protected SandboxServer _sandbox = default!;
    protected HttpClient _api = default!;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync();
        _sandbox.HubSpotLimits.Configure(new HubSpotApiLimits.Settings(100_000, 10_000, 10_000_000));
        _api = new HttpClient { BaseAddress = new Uri(_sandbox.Url) };
        _api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _sandbox.HubSpotAccessTokenAsync());
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        await _sandbox.DisposeAsync();
    }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
