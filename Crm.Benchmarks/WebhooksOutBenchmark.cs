using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Crm.Benchmarks;

/// <summary>
/// <c>webhooks-out --events N</c>: the app (its own process, SQLite) delivering contact events to one endpoint here.
/// Phase 1: N events (contacts created, then a tenth of them updated, so order per record can be checked) to a
/// receiver that answers in 20 ms and fails 5% of the time, the app killed once a third of the way and started again;
/// every event must arrive (lost) and no update before its record's creation (out_of_order). Phase 2: N more events to
/// a receiver that answers at once: deliveries per second.
/// </summary>
public static class WebhooksOutBenchmark
{
    private sealed class Receiver
    {
        public volatile bool Slow = true;
        public readonly ConcurrentDictionary<string, (string Type, long RecordId, long Seq)> Delivered = new();
        public long Sequence;
        public long Requests;
        public long LastAt;
    }

    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        var total = Math.Max(110, options.Events);
        var root = WebhooksBenchmark.RepoRoot();
        var dll = Path.Combine(root, "Crm.Web", "bin", "Release", "net10.0", "Crm.Web.dll");
        if (!File.Exists(dll)) await WebhooksBenchmark.RunAsync("dotnet", ["build", Path.Combine(root, "Crm.Web"), "-c", "Release", "--nologo", "-v", "q"], root);
        var data = Path.Combine(Path.GetTempPath(), "crm-hooks-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        var receiver = new Receiver();
        var port = WebhooksBenchmark.FreePort();
        await using var server = await StartReceiverAsync(receiver, port);
        var baseUrl = $"http://127.0.0.1:{WebhooksBenchmark.FreePort()}";
        // Retries wait a hundredth of the production schedule (5 s becomes 50 ms): the run measures delivery, not waiting.
        var environment = new Dictionary<string, string> { ["Webhooks__AllowedHosts__0"] = "127.0.0.1", ["Webhooks__PollSeconds"] = "0.1", ["Webhooks__RetryScale"] = "0.01" };
        Process? app = null;
        try
        {
            long workspaceId;
            await using (var host = await BenchmarkHost.StartAsync(data, keep: true, new Dictionary<string, string?> { ["Webhooks:AllowedHosts:0"] = "127.0.0.1" }))
            {
                (workspaceId, _) = await host.CreateWorkspaceAsync();
                var admin = await host.AdminOfAsync(workspaceId);
                await host.RunScopedAsync(async services => await ((CreateWebhookSubscriptionHandler)services.GetService(typeof(CreateWebhookSubscriptionHandler))!)
                    .HandleAsync(new WebhookSubscriptionInput { Url = $"http://127.0.0.1:{port}/hooks", EventTypes = [WebhookEventTypes.ContactCreated, WebhookEventTypes.ContactUpdated] }), admin);
            }
            var firstIds = await WriteEventsAsync(data, workspaceId, total, "a");
            Console.WriteLine($"Phase 1: {firstIds.Count:N0} events, receiver 20 ms + 5% failures, the app killed once…");
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
            app = WebhooksBenchmark.StartApp(dll, baseUrl, data, environment);
            await WebhooksBenchmark.WaitReadyAsync(http, app);
            var clock = Stopwatch.StartNew();
            await WaitAsync(() => Count(receiver, firstIds) >= firstIds.Count / 3, TimeSpan.FromMinutes(30));
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
            Console.WriteLine($"  killed at {Count(receiver, firstIds):N0} delivered ({clock.Elapsed.TotalSeconds:F0} s); starting again");
            app = WebhooksBenchmark.StartApp(dll, baseUrl, data, environment);
            await WebhooksBenchmark.WaitReadyAsync(http, app);
            await WaitAsync(() => Count(receiver, firstIds) >= firstIds.Count, TimeSpan.FromMinutes(60));
            var slowSeconds = clock.Elapsed.TotalSeconds;
            var lost = firstIds.Count - Count(receiver, firstIds);
            var outOfOrder = OutOfOrder(receiver, firstIds);
            Console.WriteLine($"  {firstIds.Count - lost:N0} of {firstIds.Count:N0} delivered in {slowSeconds:F0} s; {receiver.Requests:N0} requests; lost {lost}, out of order {outOfOrder}");

            // Phase 2 with the app stopped while the events are written, so the figure is delivery alone.
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
            receiver.Slow = false;
            var secondIds = await WriteEventsAsync(data, workspaceId, total, "b");
            Console.WriteLine($"Phase 2: {secondIds.Count:N0} events, receiver answering at once…");
            var before = receiver.Requests;
            app = WebhooksBenchmark.StartApp(dll, baseUrl, data, environment);
            await WebhooksBenchmark.WaitReadyAsync(http, app);
            var started = Stopwatch.GetTimestamp();
            await WaitAsync(() => Count(receiver, secondIds) >= secondIds.Count, TimeSpan.FromMinutes(30));
            var fastSeconds = (receiver.LastAt - started) / (double)Stopwatch.Frequency;
            var perSecond = secondIds.Count / Math.Max(0.001, fastSeconds);
            lost += secondIds.Count - Count(receiver, secondIds);
            outOfOrder += OutOfOrder(receiver, secondIds);
            Console.WriteLine($"  {secondIds.Count:N0} delivered in {fastSeconds:F1} s ({perSecond:F0}/s), {receiver.Requests - before:N0} requests");
            Console.WriteLine("floor: lost = 0, out_of_order = 0, delivered_per_s >= 1000 (fast receiver)");
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["benchmark"] = "webhooks-out", ["events"] = firstIds.Count, ["fast_phase_events"] = secondIds.Count, ["slow_phase_seconds"] = Math.Round(slowSeconds, 1),
                ["delivered_per_s"] = (int)perSecond, ["lost"] = lost, ["out_of_order"] = outOfOrder,
                ["floor"] = "lost = 0, out_of_order = 0, delivered_per_s >= 1000",
            }));
            return lost == 0 && outOfOrder == 0 ? 0 : 1;
        }
        finally
        {
            if (app is { HasExited: false })
            {
                app.Kill(entireProcessTree: true);
                await app.WaitForExitAsync();
            }
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Contacts created in batches (each save writes its events), then a tenth of them updated: the events' ids.</summary>
    private static async Task<HashSet<string>> WriteEventsAsync(string data, long workspaceId, int total, string tag)
    {
        var creates = total * 10 / 11;
        await using var host = await BenchmarkHost.StartAsync(data, keep: true);
        var admin = await host.AdminOfAsync(workspaceId);
        long firstEvent;
        await using (var db = host.Database.Create(admin))
            firstEvent = await db.OutboxEvents.MaxAsync(e => (long?)e.Id) ?? 0;
        var ids = new List<long>();
        foreach (var chunk in Enumerable.Range(0, creates).Chunk(1000))
        {
            await using var db = host.Database.Create(admin);
            var contacts = chunk.Select(i => new Contact { FirstName = $"Hook{tag}{i}", Email = $"hook{tag}{i}@bench.example" }).ToList();
            db.Contacts.AddRange(contacts);
            await db.SaveChangesAsync();
            ids.AddRange(contacts.Select(c => c.Id));
        }
        foreach (var chunk in ids.Where((_, i) => i % 10 == 0).Take(total - creates).Chunk(1000))
        {
            await using var db = host.Database.Create(admin);
            foreach (var contact in await db.Contacts.Where(c => chunk.Contains(c.Id)).ToListAsync()) contact.JobTitle = "Updated";
            await db.SaveChangesAsync();
        }
        await using (var db = host.Database.Create(admin))
            return (await db.OutboxEvents.Where(e => e.Id > firstEvent).Select(e => e.EventId).ToListAsync()).ToHashSet(StringComparer.Ordinal);
    }

    private static async Task<WebApplication> StartReceiverAsync(Receiver receiver, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/hooks", async (HttpRequest request) =>
        {
            Interlocked.Increment(ref receiver.Requests);
            using var body = await JsonDocument.ParseAsync(request.Body);
            if (receiver.Slow)
            {
                await Task.Delay(20);
                if (Random.Shared.NextDouble() < 0.05) return Results.StatusCode(503);
            }
            var root = body.RootElement;
            var id = root.GetProperty("id").GetString()!;
            var record = root.GetProperty("data").GetProperty("object").GetProperty("id").GetInt64();
            receiver.Delivered.TryAdd(id, (root.GetProperty("type").GetString()!, record, Interlocked.Increment(ref receiver.Sequence)));
            Interlocked.Exchange(ref receiver.LastAt, Stopwatch.GetTimestamp());
            return Results.Ok();
        });
        await app.StartAsync();
        return app;
    }

    private static int Count(Receiver receiver, HashSet<string> ids) => ids.Count(receiver.Delivered.ContainsKey);

    /// <summary>Records whose update was first received before their creation was.</summary>
    private static int OutOfOrder(Receiver receiver, HashSet<string> ids) =>
        receiver.Delivered.Where(d => ids.Contains(d.Key)).GroupBy(d => d.Value.RecordId)
            .Count(g => g.FirstOrDefault(d => d.Value.Type == WebhookEventTypes.ContactCreated) is { Key: not null } created
                        && g.Any(d => d.Value.Type == WebhookEventTypes.ContactUpdated && d.Value.Seq < created.Value.Seq));

    private static async Task WaitAsync(Func<bool> done, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!done() && clock.Elapsed < limit) await Task.Delay(200);
    }
}
