using System.Collections.Concurrent;
using System.Diagnostics;
using Crm.Tests.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Crm.Tests.Browser;

/// <summary>The README's run command, exactly as a newcomer types it, from another folder: it answers when it says so, and SSO works.</summary>
public sealed class RunScriptTests : IAsyncLifetime
{
    private readonly BrowserFixture _browser = new();
    private readonly string _data = TestPaths.NewTempDirectory("run-script");
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _script;

    public ValueTask InitializeAsync() => _browser.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_script is { HasExited: false })
        {
            _script.Kill(entireProcessTree: true);
            await _script.WaitForExitAsync();
        }
        _script?.Dispose();
        await _browser.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task RunScript_PrintsTheUrlOnlyOnceTheAppAnswers_KeepsItsLogsInTheDataFolder_AndSingleSignOnWorks()
    {
        var (port, sandboxPort) = (AppProcess.FreePort(), AppProcess.FreePort());
        var url = $"http://127.0.0.1:{port}";
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var info = new ProcessStartInfo("bash", [Path.Combine(TestPaths.RepoRoot, "scripts", "run.sh")])
        {
            // Started from somewhere else than the repository, as "./crm/scripts/run.sh" would be.
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["SANDBOX_PORT"] = sandboxPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["DATA_DIR"] = _data;
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        _script = Process.Start(info)!;
        _script.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            _output.Enqueue(e.Data);
            // The moment the banner says it is ready, the app must already answer.
            if (e.Data.Contains("CRM is ready", StringComparison.Ordinal) && !ready.Task.IsCompleted)
            {
                var status = http.GetAsync(url + "/health/ready").GetAwaiter().GetResult().StatusCode;
                ready.TrySetResult($"{e.Data.Trim()} -> {(int)status}");
            }
        };
        _script.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _script.BeginOutputReadLine();
        _script.BeginErrorReadLine();
        _ = _script.WaitForExitAsync().ContinueWith(_ => ready.TrySetException(new InvalidOperationException("run.sh exited:\n" + string.Join('\n', _output))), TaskScheduler.Default);

        var banner = await ready.Task.WaitAsync(TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);

        Assert.Equal($"CRM is ready: {url} -> 200", banner);
        Assert.True(File.Exists(Path.Combine(_data, "sandbox.log")), "The sandbox's log is kept in the data folder.");
        Assert.True(File.Exists(Path.Combine(_data, "crm.db")), "The database is in the data folder.");
        Assert.DoesNotContain(_output, line => line.Contains("Zinfo:", StringComparison.Ordinal) || line.Contains("Zwarn:", StringComparison.Ordinal));

        var page = await _browser.NewPageAsync();
        await page.GotoAsync($"{url}/deals");
        await page.ClickAsync("#signin-sso");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Sandbox identity provider");
        await page.ClickAsync("button[data-subject='sandbox-rep']");
        await page.WaitForURLAsync(u => u.EndsWith("/deals", StringComparison.Ordinal));
        await page.Locator("#interactive").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await Expect(page.Locator("#signed-in-user")).ToHaveTextAsync("Riley Rep");
        await page.Context.CloseAsync();
    }
}
