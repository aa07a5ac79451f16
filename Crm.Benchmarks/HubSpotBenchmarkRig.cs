using System.Diagnostics;
using Crm.Core.Common;
using Crm.Core.Integrations.Tokens;

namespace Crm.Benchmarks;

/// <summary>
/// What the HubSpot sync benchmarks stand on: the sandbox as its own process (HubSpot's limits as an exact sliding window),
/// the CRM in this process pointed at it, a workspace and its admin, a connected HubSpot, and a portal seeded with N
/// contacts, companies and deals.
/// </summary>
public sealed class HubSpotBenchmarkRig : IAsyncDisposable
{
    private readonly Process _sandbox;

    public HttpClient Http { get; }
    public BenchmarkHost Host { get; }
    public Actor Admin { get; }
    public ConnectionRef Connection { get; }

    private HubSpotBenchmarkRig(Process sandbox, HttpClient http, BenchmarkHost host, Actor admin, ConnectionRef connection) =>
        (_sandbox, Http, Host, Admin, Connection) = (sandbox, http, host, admin, connection);

    public static async Task<HubSpotBenchmarkRig> StartAsync(BenchmarkOptions options)
    {
        var root = WebhooksBenchmark.RepoRoot();
        var dll = Path.Combine(root, "Crm.Sandbox", "bin", "Release", "net10.0", "Crm.Sandbox.dll");
        if (!File.Exists(dll)) await WebhooksBenchmark.RunAsync("dotnet", ["build", Path.Combine(root, "Crm.Sandbox"), "-c", "Release", "--nologo", "-v", "q"], root);
        var sandboxUrl = $"http://127.0.0.1:{WebhooksBenchmark.FreePort()}";
        var sandbox = BudgetBenchmark.StartSandbox(dll, sandboxUrl);
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(sandboxUrl), Timeout = TimeSpan.FromMinutes(10) };
        try
        {
            await BudgetBenchmark.WaitReadyAsync(http, sandbox);
            var host = await BenchmarkHost.StartAsync(null, settings: new Dictionary<string, string?>
            {
                ["Integrations:HubSpot:ClientId"] = "crm-hubspot-app", ["Integrations:HubSpot:ClientSecret"] = "benchmark-hubspot-secret",
                ["Integrations:HubSpot:AuthorizeUrl"] = sandboxUrl + "/oauth/authorize", ["Integrations:HubSpot:ApiBaseUrl"] = sandboxUrl,
            });
            var (workspaceId, _) = await host.CreateWorkspaceAsync();
            var admin = await host.AdminOfAsync(workspaceId);
            var connection = await BudgetBenchmark.ConnectAsync(host, http, workspaceId);
            (await http.PostAsync("/_sandbox/hubspot/seed", BudgetBenchmark.JsonContent(new { contacts = options.Contacts, companies = options.Companies, deals = options.Deals })))
                .EnsureSuccessStatusCode();
            return new HubSpotBenchmarkRig(sandbox, http, host, admin, connection);
        }
        catch
        {
            if (!sandbox.HasExited) sandbox.Kill(entireProcessTree: true);
            sandbox.Dispose();
            http.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (!_sandbox.HasExited) _sandbox.Kill(entireProcessTree: true);
        _sandbox.Dispose();
        Http.Dispose();
    }
}
