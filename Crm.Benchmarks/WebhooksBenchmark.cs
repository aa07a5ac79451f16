using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Crm.Benchmarks;

/// <summary>
/// Signed HubSpot deliveries into the app as it runs (its own process, Kestrel, the real endpoint and inbox on SQLite):
/// batches of 1–100 events, 5% of the events sent again, every 50th delivery forged, from 8 senders at once. Each
/// delivery's time is from sending to the 2xx, which comes after its events are committed.
/// </summary>
public static class WebhooksBenchmark
{
    private const string Secret = "benchmark-client-secret";
    private const int Senders = 8;

    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        var total = options.Events;
        var root = RepoRoot();
        var dll = Path.Combine(root, "Crm.Web", "bin", "Release", "net10.0", "Crm.Web.dll");
        if (!File.Exists(dll)) await RunAsync("dotnet", ["build", Path.Combine(root, "Crm.Web"), "-c", "Release", "--nologo", "-v", "q"], root);
        var data = Path.Combine(Path.GetTempPath(), "crm-webhooks-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        using var app = StartApp(dll, baseUrl, data);
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Senders }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
            await WaitReadyAsync(http, app);

            var deliveries = Plan(total);
            Console.WriteLine($"{deliveries.Count:N0} deliveries: {deliveries.Where(d => !d.Forged).Sum(d => d.Ids.Count):N0} events " +
                              $"({deliveries.Where(d => !d.Forged).SelectMany(d => d.Ids).Distinct().Count():N0} distinct), {deliveries.Count(d => d.Forged)} forged");
            await WarmUpAsync(http);
            var latencies = new ConcurrentBag<double>();
            long stored = 0, duplicates = 0, forgedAccepted = 0, failed = 0;
            var uri = new Uri(http.BaseAddress!, "/webhooks/hubspot").ToString();
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = Senders }, async (delivery, ct) =>
            {
                var body = "[" + string.Join(",", delivery.Ids.Select(Event)) + "]";
                var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                var key = delivery.Forged ? "not-the-secret" : Secret;
                var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes("POST" + uri + body + timestamp)));
                using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Add("X-HubSpot-Signature-v3", signature);
                request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (delivery.Forged)
                {
                    if (response.IsSuccessStatusCode) Interlocked.Increment(ref forgedAccepted);
                    return;
                }
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failed);
                    return;
                }
                using var receipt = JsonDocument.Parse(text);
                Interlocked.Add(ref stored, receipt.RootElement.GetProperty("stored").GetInt64());
                Interlocked.Add(ref duplicates, receipt.RootElement.GetProperty("duplicates").GetInt64());
            });
            var seconds = clock.Elapsed.TotalSeconds;

            var (rows, distinct) = await CountAsync(data);
            var expected = deliveries.Where(d => !d.Forged).SelectMany(d => d.Ids).Distinct().Count();
            var sorted = latencies.Order().ToArray();
            double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
            var sent = deliveries.Where(d => !d.Forged).Sum(d => d.Ids.Count);
            Console.WriteLine($"{sent:N0} events in {seconds:F1} s: {stored:N0} stored, {duplicates:N0} answered as duplicates, {failed} deliveries failed; " +
                              $"latency p50 {P(0.5):F1} ms, p95 {P(0.95):F1} ms, p99 {P(0.99):F1} ms, max {sorted[^1]:F1} ms");
            Console.WriteLine($"inbox: {rows:N0} rows, {distinct:N0} distinct events, {expected:N0} expected");
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["benchmark"] = "webhooks", ["events"] = sent, ["deliveries"] = deliveries.Count, ["seconds"] = Math.Round(seconds, 2),
                ["events_per_s"] = (int)(sent / seconds), ["p50_ms"] = Math.Round(P(0.5), 1), ["p99_ms"] = Math.Round(P(0.99), 1),
                ["duplicates_sent"] = sent - expected, ["duplicates_answered"] = duplicates, ["duplicates_stored"] = rows - distinct,
                ["events_lost"] = expected - distinct, ["failed_deliveries"] = failed,
                ["forged_sent"] = deliveries.Count(d => d.Forged), ["forged_accepted"] = forgedAccepted,
                ["targets"] = "events_per_s >= 2000, p99_ms <= 50, duplicates_stored = 0, forged_accepted = 0",
            }));
            return 0;
        }
        finally
        {
            if (!app.HasExited) app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// A few deliveries first (events of their own, not counted), so the figures are the app's steady state rather than
    /// its first requests' compilation.
    /// </summary>
    private static async Task WarmUpAsync(HttpClient http)
    {
        var uri = new Uri(http.BaseAddress!, "/webhooks/hubspot").ToString();
        for (var i = 0; i < 30; i++)
        {
            var body = "[" + string.Join(",", Enumerable.Range(0, 50).Select(j => Event(-(i * 100 + j + 1)))) + "]";
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes("POST" + uri + body + timestamp)));
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-HubSpot-Signature-v3", signature);
            request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
            (await http.SendAsync(request)).EnsureSuccessStatusCode();
        }
    }

    private sealed record Delivery(List<long> Ids, bool Forged);

    /// <summary>Batches of 1–100 events until <paramref name="total"/> are planned; 5% of them repeat an earlier event; every 50th delivery forged.</summary>
    private static List<Delivery> Plan(int total)
    {
        var random = new Random(42);
        var deliveries = new List<Delivery>();
        long next = 1;
        var planned = 0;
        while (planned < total)
        {
            var size = Math.Min(random.Next(1, 101), total - planned);
            var ids = new List<long>(size);
            for (var i = 0; i < size; i++) ids.Add(next > 1 && random.NextDouble() < 0.05 ? random.NextInt64(1, next) : next++);
            deliveries.Add(new Delivery(ids, false));
            planned += size;
            if (deliveries.Count % 50 == 0) deliveries.Add(new Delivery([next + 1_000_000], true));
        }
        return deliveries;
    }

    private static string Event(long id) =>
        $$"""{"eventId":{{id}},"subscriptionId":1,"portalId":62515,"appId":54321,"occurredAt":1764500000000,"subscriptionType":"contact.propertyChange","attemptNumber":0,"objectId":{{id}},"propertyName":"email","propertyValue":"c{{id}}@example.com","changeSource":"CRM"}""";

    private static async Task<(long Rows, long Distinct)> CountAsync(string data)
    {
        await using var connection = new SqliteConnection(Crm.Infrastructure.Persistence.CrmDatabase.SqliteConnectionString(data));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COUNT(DISTINCT \"Provider\" || ':' || \"EventId\") FROM \"WebhookEvents\" WHERE \"EventId\" NOT LIKE '-%'";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    internal static Process StartApp(string dll, string baseUrl, string data, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet", [dll, "--urls", baseUrl])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["Database__DataDirectory"] = data;
        info.Environment["Files__Root"] = Path.Combine(data, "files");
        info.Environment["DemoData__Enabled"] = "false";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Integrations__HubSpot__ClientSecret"] = Secret;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start Crm.Web.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("app: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    internal static async Task WaitReadyAsync(HttpClient http, Process app)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (app.HasExited) throw new InvalidOperationException($"Crm.Web exited with {app.ExitCode}.");
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException("Crm.Web did not answer /health/ready within 90 s.");
    }

    internal static async Task RunAsync(string file, string[] args, string directory)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { WorkingDirectory = directory }) ?? throw new InvalidOperationException(file);
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}).");
    }

    internal static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Crm.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Run the benchmark from the repository (Crm.sln not found above it).");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
