using System.Text.Json;

namespace Crm.Tests.TestSupport;

/// <summary>
/// The one way tests wait for background work (an import, a rollback, an export, a scan): read its state as a client
/// would until it is what the test needs, or fail after a deadline with the last state read.
/// </summary>
public static class RunWaiter
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(1);

    public static async Task<T> UntilAsync<T>(Func<CancellationToken, Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (true)
        {
            var state = await read(ct);
            if (done(state)) return state;
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting for {what ?? "the run"}: {Describe(state)}");
            await tick.WaitForNextTickAsync(ct);
        }
    }

    /// <summary>A run's JSON view (GET url) until <paramref name="done"/> holds.</summary>
    public static Task<JsonElement> UntilAsync(HttpClient client, string url, Func<JsonElement, bool> done, TimeSpan? timeout = null) =>
        UntilAsync(async ct =>
        {
            using var document = JsonDocument.Parse(await client.GetStringAsync(url, ct));
            return document.RootElement.Clone();
        }, done, timeout, url);

    /// <summary>A run's JSON view until its "status" is one of <paramref name="statuses"/>.</summary>
    public static Task<JsonElement> UntilStatusAsync(HttpClient client, string url, params string[] statuses) =>
        UntilAsync(client, url, view => statuses.Contains(view.GetProperty("status").GetString()));

    private static string Describe<T>(T state) => state switch
    {
        JsonElement json => json.ToString(),
        null => "nothing",
        _ => state.ToString() ?? "",
    };
}
