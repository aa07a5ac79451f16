using Crm.Tests.TestSupport;

namespace Crm.Tests.Sandbox;

/// <summary>
/// The sandbox's HubSpot driven by HubSpot's own Node.js client (<c>@hubspot/api-client</c>, pinned in
/// <c>contract/hubspot</c>; the test command installs it): every kind of call the sync makes, read through the
/// client's own models, so an answer the official client cannot read fails here and not only against our client.
/// </summary>
public sealed class HubSpotOfficialClientTests : HubSpotSandboxTestBase
{
    [Fact]
    public async Task TheSandboxsHubSpot_AnswersEveryCallTheSyncMakes_ThroughHubSpotsOwnNodeClient()
    {
        var dir = Path.Combine(TestPaths.RepoRoot, "contract", "hubspot");
        if (!File.Exists(Path.Combine(dir, "node_modules", "@hubspot", "api-client", "package.json")))
            Assert.Skip("HubSpot's Node client is not installed (scripts/test.sh runs npm ci in contract/hubspot where Node.js is).");
        var token = await _sandbox.HubSpotAccessTokenAsync();
        var run = await NodeScript.RunAsync(dir, ["check.mjs", _sandbox.Url, token], TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, $"HubSpot's client failed against the sandbox:\n{run.Errors}\n{run.Output}");
        Assert.Contains("checks passed with @hubspot/api-client", run.Output);
    }
}
