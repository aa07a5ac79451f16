using Crm.Core.Users;
using Crm.Tests.TestSupport;

namespace Crm.Tests.Browser;

/// <summary>
/// The Zapier integration (<c>integrations/zapier</c>, built on zapier-platform-core) run by its own jest tests against
/// the running app: authentication with an admin key, REST hook triggers received on 127.0.0.1 (allowed by the app's
/// settings), polling fallbacks, searches and actions. Shares the live app of the browser tests.
/// </summary>
[Collection(LiveAppCollection.Name)]
public class ZapierIntegrationTests(LiveAppFixture app)
{
    [Fact]
    public async Task TheZapierIntegration_PassesItsTests_AgainstTheRunningApp()
    {
        var dir = Path.Combine(TestPaths.RepoRoot, "integrations", "zapier");
        if (!File.Exists(Path.Combine(dir, "node_modules", "zapier-platform-core", "package.json")))
            Assert.Skip("The Zapier integration's packages are not installed (scripts/test.sh runs npm ci in integrations/zapier where Node.js is).");
        string adminKey, repKey;
        await using (var host = await CrmTestHost.StartAsync(directory: app.DataDirectory))
        {
            adminKey = await host.CreateApiKeyAsync(1);
            repKey = await host.CreateApiKeyAsync(1, UserRole.Rep);
        }
        var run = await NodeScript.RunAsync(dir, [Path.Combine("node_modules", "jest", "bin", "jest.js"), "--runInBand", "--testTimeout", "60000", "--ci"], TimeSpan.FromMinutes(4),
            new Dictionary<string, string> { ["CRM_BASE_URL"] = app.Web.BaseUrl, ["CRM_API_KEY"] = adminKey, ["CRM_REP_API_KEY"] = repKey });
        // jest reports on stderr.
        var report = run.Errors + run.Output;
        Assert.True(run.ExitCode == 0, $"The Zapier integration's tests failed:\n{report}");
        Assert.Contains("Tests:", report);
        Assert.DoesNotContain("failed", report.Split("Tests:")[1].Split('\n')[0]);
    }
}
