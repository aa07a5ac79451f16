using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.OAuth;
using Crm.Core.Integrations.Tokens;
using Crm.Infrastructure.Integrations.Calls;
using Crm.Infrastructure.Integrations.HubSpot;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Benchmarks;

/// <summary>
/// One HubSpot connection's rate budget under load: the sandbox runs as its own process and enforces HubSpot's
/// documented 100 requests per 10 seconds as an exact sliding window; 8 workers call GET /account-info/v3/details
/// through the app's provider pipeline (budget, retries, token) for the given time. Measured: calls the sandbox refused
/// with 429 (the floor is 0) and the share of the allowed rate used (the floor is 0.9).
/// </summary>
public static partial class BudgetBenchmark
{
    private const int Workers = 8;
    private const int Limit = 100;
    private const double WindowSeconds = 10;
    private const string ClientId = "crm-hubspot-app";
    private const string Secret = "benchmark-hubspot-secret";

    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        var root = WebhooksBenchmark.RepoRoot();
        var dll = Path.Combine(root, "Crm.Sandbox", "bin", "Release", "net10.0", "Crm.Sandbox.dll");
        if (!File.Exists(dll)) await WebhooksBenchmark.RunAsync("dotnet", ["build", Path.Combine(root, "Crm.Sandbox"), "-c", "Release", "--nologo", "-v", "q"], root);
        var sandboxUrl = $"http://127.0.0.1:{WebhooksBenchmark.FreePort()}";
        using var sandbox = StartSandbox(dll, sandboxUrl);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(sandboxUrl) };
        await WaitReadyAsync(http, sandbox);
        try
        {
            await using var host = await BenchmarkHost.StartAsync(null, settings: new Dictionary<string, string?>
            {
                ["Integrations:HubSpot:ClientId"] = ClientId, ["Integrations:HubSpot:ClientSecret"] = Secret,
                ["Integrations:HubSpot:AuthorizeUrl"] = sandboxUrl + "/oauth/authorize", ["Integrations:HubSpot:ApiBaseUrl"] = sandboxUrl,
            });
            var (workspaceId, _) = await host.CreateWorkspaceAsync();
            var connection = await ConnectAsync(host, http, workspaceId);
            var api = host.Resolve<HubSpotApi>();
            await api.AccountDetailsAsync(connection, CancellationToken.None);
            // The connect's calls are not the benchmark's: the window starts empty.
            await http.PostAsync("/_sandbox/hubspot/rate-limit", JsonContent(new { requests = Limit, windowMilliseconds = (int)(WindowSeconds * 1000), daily = 10_000_000 }));
            await Task.Delay(TimeSpan.FromSeconds(WindowSeconds));

            var seconds = options.Seconds;
            long answered = 0, failed = 0;
            var clock = Stopwatch.StartNew();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        await api.AccountDetailsAsync(connection, stop.Token);
                        Interlocked.Increment(ref answered);
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
                    catch (Crm.Core.Integrations.Calls.ProviderApiException)
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
            })));
            var elapsed = clock.Elapsed.TotalSeconds;
            using var stats = JsonDocument.Parse(await http.GetStringAsync("/_sandbox/hubspot/rate-limit"));
            var accepted = stats.RootElement.GetProperty("accepted").GetInt64();
            var refused = stats.RootElement.GetProperty("throttled").GetInt64();
            var allowed = Limit / WindowSeconds * elapsed;
            var utilisation = Math.Round(accepted / allowed, 3);
            Console.WriteLine($"{Workers} workers for {elapsed:F1} s through one connection limited to {Limit} / {WindowSeconds:F0} s: " +
                              $"{accepted:N0} calls admitted by the sandbox ({allowed:N0} allowed), {refused:N0} refused with 429, {failed:N0} failed here");
            Console.WriteLine($"floor: 0 refused with 429, rate utilisation >= 0.9 — measured {utilisation:F3}");
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["benchmark"] = "budget", ["seconds"] = Math.Round(elapsed, 1), ["workers"] = Workers, ["limit"] = $"{Limit}/{WindowSeconds:F0}s",
                ["calls"] = accepted, ["refused_429"] = refused, ["rate_utilisation"] = utilisation,
                ["floor_refused_429"] = 0, ["floor_rate_utilisation"] = 0.9,
            }));
            return refused == 0 && utilisation >= 0.9 ? 0 : 1;
        }
        finally
        {
            if (!sandbox.HasExited) sandbox.Kill(entireProcessTree: true);
        }
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([a-z_]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenField();

    /// <summary>Connects the workspace to the sandbox's portal as an admin would: the consent page, the code, the app's own exchange.</summary>
    internal static async Task<ConnectionRef> ConnectAsync(BenchmarkHost host, HttpClient browser, long workspaceId)
    {
        var oauth = host.Resolve<HubSpotOAuthClient>();
        var verifier = Pkce.NewVerifier();
        const string redirect = "http://127.0.0.1:5080/integrations/hubspot/callback";
        var page = await browser.GetStringAsync(oauth.AuthorizeUrl(new OAuthStart("bench", Pkce.ChallengeOf(verifier), Pkce.Method), redirect, IntegrationType.CrmSync));
        var fields = HiddenField().Matches(page).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["decision"] = "grant";
        var answer = await browser.PostAsync("/oauth/authorize/decision", new FormUrlEncodedContent(fields));
        var code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(answer.Headers.Location!.Query)["code"].ToString();
        var tokens = await oauth.ExchangeCodeAsync(code, redirect, verifier, CancellationToken.None);
        var admin = await host.AdminOfAsync(workspaceId);
        var integrationId = await host.RunScopedAsync(async services =>
        {
            var db = await services.GetRequiredService<ICrmDbFactory>().CreateAsync();
            await using (db)
            {
                var integration = new Integration { Provider = IntegrationProviders.HubSpot, Type = IntegrationType.CrmSync, Name = "HubSpot", AccountId = "62515" };
                db.Integrations.Add(integration);
                await db.SaveChangesAsync();
                await services.GetRequiredService<IConnectionSecrets>().SaveAsync(integration.Id, new ConnectionSecrets(tokens.AccessToken, tokens.RefreshToken),
                    DateTimeOffset.UtcNow.AddSeconds(tokens.ExpiresInSeconds ?? 1800));
                return integration.Id;
            }
        }, admin);
        return new ConnectionRef(workspaceId, integrationId, IntegrationProviders.HubSpot);
    }

    internal static StringContent JsonContent(object value) => new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");

    internal static Process StartSandbox(string dll, string url)
    {
        var info = new ProcessStartInfo("dotnet", [dll, "--urls", url, "--Sandbox:HubSpot:ClientId", ClientId, "--Sandbox:HubSpot:ClientSecret", Secret,
            "--Logging:LogLevel:Default", "Warning"])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.Environment["DOTNET_NOLOGO"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start Crm.Sandbox.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("sandbox: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    internal static async Task WaitReadyAsync(HttpClient http, Process sandbox)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (sandbox.HasExited) throw new InvalidOperationException($"Crm.Sandbox exited with {sandbox.ExitCode}.");
            try
            {
                if ((await http.GetAsync("/")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException("Crm.Sandbox did not answer within 60 s.");
    }
}
