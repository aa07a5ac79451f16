using System.Diagnostics;
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
        var info = new ProcessStartInfo("node", ["check.mjs", _sandbox.Url, token])
        {
            WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var node = Process.Start(info)!;
        var output = node.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = node.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw;
        }
        Assert.True(node.ExitCode == 0, $"HubSpot's client failed against the sandbox:\n{await errors}\n{await output}");
        Assert.Contains("checks passed with @hubspot/api-client", await output);
    }
}
