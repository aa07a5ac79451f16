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
        var run = await NodeScript.RunAsync(dir, ["check.mjs", _sandbox.Url, token, account], TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, $"Google's client failed against the sandbox:\n{run.Errors}\n{run.Output}");
        Assert.Contains("checks passed with @googleapis/calendar", run.Output);
    }
}
