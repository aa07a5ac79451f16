using System.Diagnostics;
using Crm.Tests.TestSupport;

namespace Crm.Tests.Sandbox;

/// <summary>
/// The sandbox's Google Calendar driven by Google's own Node.js client (<c>@googleapis/calendar</c>, pinned in
/// <c>contract/google-calendar</c>; the test command installs it): every kind of call the calendar sync and the meeting
/// writer make — calendar list, events in and out, paging, sync tokens and 410, deletions, series, watch channels, errors —
/// read through the client, so an answer Google's own client cannot take fails here and not only against ours.
/// </summary>
public sealed class GoogleCalendarOfficialClientTests : IAsyncLifetime
{
    private SandboxServer _sandbox = default!;

    public async ValueTask InitializeAsync() => _sandbox = await SandboxServer.StartAsync();

    public async ValueTask DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task TheSandboxsGoogleCalendar_AnswersEveryCallTheSyncMakes_ThroughGooglesOwnNodeClient()
    {
        var dir = Path.Combine(TestPaths.RepoRoot, "contract", "google-calendar");
        if (!File.Exists(Path.Combine(dir, "node_modules", "@googleapis", "calendar", "package.json")))
            Assert.Skip("Google's Node client is not installed (scripts/test.sh runs npm ci in contract/google-calendar where Node.js is).");
        const string account = "rep@contract.example";
        var token = await _sandbox.GoogleAccessTokenAsync(account);
        var info = new ProcessStartInfo("node", ["check.mjs", _sandbox.Url, token, account])
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
        Assert.True(node.ExitCode == 0, $"Google's client failed against the sandbox:\n{await errors}\n{await output}");
        Assert.Contains("checks passed with @googleapis/calendar", await output);
    }
}
