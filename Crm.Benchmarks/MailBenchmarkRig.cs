using System.Diagnostics;

namespace Crm.Benchmarks;

/// <summary>
/// The mail and calendar benchmarks' rig: the sandbox as its own process (Gmail's quota and Graph's 4 requests at once enforced
/// there) and the CRM in this process, pointed at it.
/// </summary>
public sealed class MailBenchmarkRig : IAsyncDisposable
{
    private const string GoogleClientId = "crm-bench.apps.googleusercontent.com";
    private const string GoogleSecret = "benchmark-google-secret";
    private const string MicrosoftClientId = "6d3c2b1a-bench-4c1e-9f00-crm0bench000";
    private const string MicrosoftSecret = "benchmark-microsoft-secret";

    private readonly Process _sandbox;

    public HttpClient Http { get; }
    public BenchmarkHost Host { get; private set; } = default!;

    private MailBenchmarkRig(Process sandbox, HttpClient http)
    {
        _sandbox = sandbox;
        Http = http;
    }

    public static async Task<MailBenchmarkRig> StartAsync()
    {
        var root = WebhooksBenchmark.RepoRoot();
        var dll = Path.Combine(root, "Crm.Sandbox", "bin", "Release", "net10.0", "Crm.Sandbox.dll");
        if (!File.Exists(dll)) await WebhooksBenchmark.RunAsync("dotnet", ["build", Path.Combine(root, "Crm.Sandbox"), "-c", "Release", "--nologo", "-v", "q"], root);
        var url = $"http://127.0.0.1:{WebhooksBenchmark.FreePort()}";
        var sandbox = Process.Start(new ProcessStartInfo("dotnet", [dll, "--urls", url, "--Sandbox:Google:ClientId", GoogleClientId, "--Sandbox:Google:ClientSecret", GoogleSecret,
            "--Sandbox:Microsoft:ClientId", MicrosoftClientId, "--Sandbox:Microsoft:ClientSecret", MicrosoftSecret, "--Logging:LogLevel:Default", "Warning"])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!, UseShellExecute = false, RedirectStandardOutput = true,
        })!;
        sandbox.OutputDataReceived += (_, _) => { };
        sandbox.BeginOutputReadLine();
        var rig = new MailBenchmarkRig(sandbox, new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) });
        try
        {
            await BudgetBenchmark.WaitReadyAsync(rig.Http, sandbox);
            rig.Host = await BenchmarkHost.StartAsync(null, settings: new Dictionary<string, string?>
            {
                ["Integrations:Google:ClientId"] = GoogleClientId, ["Integrations:Google:ClientSecret"] = GoogleSecret,
                ["Integrations:Google:AuthorizeUrl"] = url + "/google/o/oauth2/v2/auth", ["Integrations:Google:TokenUrl"] = url + "/google/token",
                ["Integrations:Google:UserInfoUrl"] = url + "/google/v1/userinfo", ["Integrations:Google:GmailApiUrl"] = url + "/google/gmail/v1/users/me",
                ["Integrations:Google:CalendarApiUrl"] = url + "/google/calendar/v3",
                ["Integrations:Microsoft:ClientId"] = MicrosoftClientId, ["Integrations:Microsoft:ClientSecret"] = MicrosoftSecret,
                ["Integrations:Microsoft:LoginBaseUrl"] = url + "/microsoft", ["Integrations:Microsoft:GraphBaseUrl"] = url + "/microsoft/graph/v1.0",
            });
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Host is not null) await Host.DisposeAsync();
        Http.Dispose();
        if (!_sandbox.HasExited) _sandbox.Kill(entireProcessTree: true);
        _sandbox.Dispose();
    }
}
