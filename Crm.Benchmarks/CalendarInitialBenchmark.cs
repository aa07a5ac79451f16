using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Crm.Core.Calendar;
using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Timeline;
using Crm.Infrastructure.Integrations.Google;
using Crm.Infrastructure.Integrations.Graph;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Benchmarks;

/// <summary>
/// <c>calendar-initial --calendars 5 --events 10000</c>: a rep's Google account and Outlook mailbox, each with N events
/// spread over C calendars (from a month back to three months ahead: 80% with a contact, 10% with a stranger, 10% alone),
/// synced for the first time, then again after 50 events changed. Google answers in 150 ms + 0.2 ms per event and allows
/// 600 requests a minute; Graph in 100 ms + 2 ms per event, 4 requests at once. Figures: rate utilisation (Google:
/// requests/s ÷ 10; Graph: busy request slots ÷ 4), peak working set, calls per calendar for the incremental run, and
/// every meeting logged once.
/// </summary>
public static class CalendarInitialBenchmark
{
    private const string GoogleAccount = "rep@calendar.bench";
    private const string OutlookAccount = "rep@outlook-calendar.bench";
    /// <summary>A smaller first sync of another account, not measured: the figures are those of a warm server, not of the JIT's first pass.</summary>
    private const int WarmUpEvents = 10000;

    /// <param name="Refused">Requests the provider refused for its quota (429, or Google's 403 usageLimits): within the limits means none.</param>
    private sealed record ProviderRun(double Seconds, long Requests, double Utilisation, int Logged, int Expected, double IncrementalCallsPerCalendar, int IncrementalChanged, long Refused);

    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        var (calendars, total) = (Math.Clamp(options.Calendars, 1, 50), options.Events);
        await using var rig = await MailBenchmarkRig.StartAsync();
        ProviderRun? google = null, graph = null;
        if (options.Only is null or "google")
        {
            await WarmUpAsync(n => GoogleAsync(rig, 5, WarmUpEvents, $"warm-up{n}@calendar.bench"));
            google = await GoogleAsync(rig, calendars, total, GoogleAccount);
        }
        if (options.Only is null or "outlook")
        {
            await WarmUpAsync(n => GraphAsync(rig, 5, WarmUpEvents, $"warm-up{n}@outlook-calendar.bench"));
            graph = await GraphAsync(rig, calendars, total, OutlookAccount);
        }
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024;
        var figures = new Dictionary<string, object> { ["benchmark"] = "calendar-initial", ["calendars"] = calendars, ["events"] = total };
        void Report(string name, ProviderRun run)
        {
            Console.WriteLine($"{name}: {total:N0} events in {calendars} calendars in {run.Seconds:F1} s ({total / run.Seconds:F0} events/s), {run.Requests:N0} requests, " +
                              $"rate utilisation {run.Utilisation:P1}, {run.Refused} refused for the quota; {run.Logged:N0} meetings logged ({run.Expected:N0} expected); " +
                              $"incremental after {run.IncrementalChanged} changes: {run.IncrementalCallsPerCalendar:F1} calls per calendar");
            figures[$"{name}_seconds"] = Math.Round(run.Seconds, 1);
            figures[$"{name}_requests"] = run.Requests;
            figures[$"{name}_rate_utilisation"] = Math.Round(run.Utilisation, 3);
            figures[$"{name}_refused"] = run.Refused;
            figures[$"{name}_logged"] = run.Logged;
            figures[$"{name}_expected_logged"] = run.Expected;
            figures[$"{name}_incremental_calls_per_calendar"] = Math.Round(run.IncrementalCallsPerCalendar, 2);
        }
        if (google is not null) Report("google", google);
        if (graph is not null) Report("graph", graph);
        Console.WriteLine($"peak working set {peak} MB (the whole run)");
        var runs = new[] { google, graph }.OfType<ProviderRun>().ToList();
        figures["rate_utilisation"] = Math.Round(runs.Min(r => r.Utilisation), 3);
        figures["incremental_calls_per_calendar"] = Math.Round(runs.Max(r => r.IncrementalCallsPerCalendar), 2);
        figures["peak_working_set_mb"] = peak;
        figures["floor"] = "rate_utilisation >= 0.9, refused = 0, peak_working_set_mb <= 512, incremental_calls_per_calendar <= 3, logged = expected_logged";
        Console.WriteLine("floor: rate_utilisation >= 0.9 and 0 refused (each provider), peak_working_set_mb <= 512, incremental_calls_per_calendar <= 3, logged = expected_logged");
        Console.WriteLine(JsonSerializer.Serialize(figures));
        return runs.All(r => r.Logged == r.Expected) ? 0 : 1;
    }

    /// <summary>
    /// Syncs other accounts until the JIT is done with the sync's code (fewer than <see cref="QuietJit"/> methods
    /// compiled in a round, at most <see cref="MaxWarmUps"/> rounds): a server that syncs all day runs fully optimized
    /// code, and the tier-1 recompilation of thousands of methods on a background thread would otherwise take a
    /// quarter of a 2-core machine during the measured run.
    /// </summary>
    private static async Task WarmUpAsync(Func<int, Task<ProviderRun>> sync)
    {
        for (var round = 1; round <= MaxWarmUps; round++)
        {
            var (methods, time) = (System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime());
            await sync(round);
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount() - methods;
            Console.WriteLine($"  warm-up {round}: {compiled:N0} methods compiled ({(System.Runtime.JitInfo.GetCompilationTime() - time).TotalMilliseconds:F0} ms)");
            if (compiled < QuietJit) return;
        }
    }

    private const int QuietJit = 300;
    private const int MaxWarmUps = 4;

    /// <summary>The N events: one every few minutes across the window, in turn over the calendars; true for those with a contact.</summary>
    private static IEnumerable<(int Calendar, DateTimeOffset Start, string Title, string[] Attendees, bool WithContact)> Events(int calendars, int total, List<string> contacts, string account)
    {
        var random = new Random(17);
        var from = DateTime.UtcNow.Date.AddDays(-29);
        var minutesApart = TimeSpan.FromDays(110).TotalMinutes / Math.Max(1, total);
        for (var i = 0; i < total; i++)
        {
            var start = new DateTimeOffset(from.AddMinutes(Math.Floor(minutesApart * i)), TimeSpan.Zero);
            var kind = random.Next(10);
            var attendees = kind switch
            {
                < 8 => new[] { account, contacts[random.Next(contacts.Count)] },
                8 => [account, $"someone{i}@stranger.example"],
                _ => [],
            };
            yield return (i % calendars, start, $"Meeting {i}", attendees, kind < 8);
        }
    }

    private static async Task<ProviderRun> GoogleAsync(MailBenchmarkRig rig, int calendars, int total, string account)
    {
        var (http, host) = (rig.Http, rig.Host);
        var (workspaceId, adminId) = await host.CreateWorkspaceAsync();
        var admin = await host.AdminOfAsync(workspaceId);
        var contacts = await MailInitialBenchmark.SeedContactsAsync(host, admin, 500);
        var ids = new List<string> { account };
        for (var c = 1; c < calendars; c++)
        {
            var made = await http.PostAsync($"/_sandbox/google/calendar/{account}/calendars", BudgetBenchmark.JsonContent(new { id = $"team{c}-{account.Split('@')[0]}@group.calendar.google.com", summary = $"Team {c}" }));
            made.EnsureSuccessStatusCode();
            ids.Add($"team{c}-{account.Split('@')[0]}@group.calendar.google.com");
        }
        // The primary calendar exists once the account is first used.
        await http.PostAsync($"/_sandbox/google/calendar/{account}/calendars/primary/events", BudgetBenchmark.JsonContent(Array.Empty<object>()));
        Console.WriteLine($"Seeding {total:N0} events into {calendars} Google calendars…");
        var expected = 0;
        var created = new List<(string Calendar, string Id)>();
        foreach (var group in Events(calendars, total, contacts, account).GroupBy(e => e.Calendar))
            foreach (var chunk in group.Chunk(500))
            {
                var body = new JsonArray(chunk.Select(e => (JsonNode)new JsonObject
                {
                    ["summary"] = e.Title,
                    ["start"] = new JsonObject { ["dateTime"] = e.Start.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture) },
                    ["end"] = new JsonObject { ["dateTime"] = e.Start.AddMinutes(30).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture) },
                    ["organizer"] = new JsonObject { ["email"] = account },
                    ["attendees"] = new JsonArray(e.Attendees.Select(a => (JsonNode)new JsonObject { ["email"] = a }).ToArray()),
                }).ToArray());
                var response = await http.PostAsync($"/_sandbox/google/calendar/{account}/calendars/{Uri.EscapeDataString(ids[group.Key])}/events", BudgetBenchmark.JsonContent(body));
                response.EnsureSuccessStatusCode();
                created.AddRange(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Select(n => (ids[group.Key], n!["id"]!.GetValue<string>())));
                expected += chunk.Count(e => e.WithContact);
            }
        (await http.PostAsync($"/_sandbox/google/calendar/{account}/latency?baseMs=150&perItemMs=0.2", null)).EnsureSuccessStatusCode();
        var (connection, accountId) = await MailInitialBenchmark.ConnectAsync(host, host.Resolve<GoogleOAuthClient>(), http, admin, adminId, account, "Google Calendar", IntegrationType.Calendar);
        await ChooseAsync(host, connection, ids.Select((id, i) => new CalendarChoice(id, id, i == 0, true, true)).ToList());

        var stats = $"/_sandbox/google/calendar/{account}/stats";
        var beforeStats = JsonDocument.Parse(await http.GetStringAsync(stats)).RootElement;
        var (before, refusedBefore) = (beforeStats.GetProperty("requests").GetInt64(), beforeStats.GetProperty("refused").GetInt64());
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var (allocated, paused, gen0, gen2, jitted) = (GC.GetTotalAllocatedBytes(), GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(2), System.Runtime.JitInfo.GetCompiledMethodCount());
        var run = await MailInitialBenchmark.SyncAsync(host, connection, accountId, "manual", IntegrationType.Calendar);
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"  cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s, allocated {(GC.GetTotalAllocatedBytes() - allocated) / 1048576} MB, " +
                          $"GC paused {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F0} ms, gen0 {GC.CollectionCount(0) - gen0}, gen2 {GC.CollectionCount(2) - gen2}; " +
                          $"{System.Runtime.JitInfo.GetCompiledMethodCount() - jitted} methods compiled");
        var afterStats = JsonDocument.Parse(await http.GetStringAsync(stats)).RootElement;
        var (requests, refused) = (afterStats.GetProperty("requests").GetInt64() - before, afterStats.GetProperty("refused").GetInt64() - refusedBefore);
        Console.WriteLine($"  google first sync: {run.Outcome}{(run.Error is { } e ? ": " + e : "")}");

        var changed = await ChangeAsync(created, 50, (calendar, id, at) => http.PatchAsync($"/_sandbox/google/calendar/{account}/calendars/{Uri.EscapeDataString(calendar)}/events/{Uri.EscapeDataString(id)}",
            BudgetBenchmark.JsonContent(new { summary = "Moved meeting", start = new { dateTime = at.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture) },
                end = new { dateTime = at.AddMinutes(45).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture) } })));
        var beforeIncremental = JsonDocument.Parse(await http.GetStringAsync(stats)).RootElement.GetProperty("requests").GetInt64();
        await MailInitialBenchmark.SyncAsync(host, connection, accountId, "manual", IntegrationType.Calendar);
        var incremental = JsonDocument.Parse(await http.GetStringAsync(stats)).RootElement.GetProperty("requests").GetInt64() - beforeIncremental;
        return new ProviderRun(seconds, requests, requests / seconds / (GoogleCalendarRequestsPerMinute / 60.0), await LoggedAsync(host, workspaceId), expected,
            incremental / (double)calendars, changed, refused);
    }

    private const int GoogleCalendarRequestsPerMinute = 600;

    private static async Task<ProviderRun> GraphAsync(MailBenchmarkRig rig, int calendars, int total, string account)
    {
        var (http, host) = (rig.Http, rig.Host);
        var (workspaceId, adminId) = await host.CreateWorkspaceAsync();
        var admin = await host.AdminOfAsync(workspaceId);
        var contacts = await MailInitialBenchmark.SeedContactsAsync(host, admin, 500);
        var (connection, accountId) = await MailInitialBenchmark.ConnectAsync(host, host.Resolve<MicrosoftOAuthClient>(), http, admin, adminId, account, "Outlook Calendar", IntegrationType.Calendar);
        // The default calendar, listed the way the app lists it, then more.
        var listed = await host.RunScopedAsync(async services => await ((Crm.Core.Calendar.ICalendarProvider)services.GetRequiredKeyedService<Crm.Core.Calendar.ICalendarProvider>("microsoft"))
            .ListCalendarsAsync(connection, CancellationToken.None), admin);
        var ids = new List<string> { listed.Single(c => c.Primary).Id };
        for (var c = 1; c < calendars; c++)
        {
            var made = await http.PostAsync($"/_sandbox/microsoft/calendar/{account}/calendars", BudgetBenchmark.JsonContent(new { name = $"Team {c}" }));
            ids.Add(JsonNode.Parse(await made.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        }
        Console.WriteLine($"Seeding {total:N0} events into {calendars} Outlook calendars…");
        var expected = 0;
        var created = new List<(string Calendar, string Id)>();
        foreach (var group in Events(calendars, total, contacts, account).GroupBy(e => e.Calendar))
            foreach (var chunk in group.Chunk(500))
            {
                var body = new JsonArray(chunk.Select(e => (JsonNode)new JsonObject
                {
                    ["subject"] = e.Title,
                    ["start"] = new JsonObject { ["dateTime"] = e.Start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), ["timeZone"] = "UTC" },
                    ["end"] = new JsonObject { ["dateTime"] = e.Start.UtcDateTime.AddMinutes(30).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), ["timeZone"] = "UTC" },
                    ["organizer"] = new JsonObject { ["emailAddress"] = new JsonObject { ["address"] = account } },
                    ["attendees"] = new JsonArray(e.Attendees.Select(a => (JsonNode)new JsonObject { ["type"] = "required", ["emailAddress"] = new JsonObject { ["address"] = a } }).ToArray()),
                }).ToArray());
                var response = await http.PostAsync($"/_sandbox/microsoft/calendar/{account}/calendars/{Uri.EscapeDataString(ids[group.Key])}/events", BudgetBenchmark.JsonContent(body));
                response.EnsureSuccessStatusCode();
                created.AddRange(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Select(n => (ids[group.Key], n!["id"]!.GetValue<string>())));
                expected += chunk.Count(e => e.WithContact);
            }
        (await http.PostAsync($"/_sandbox/microsoft/mail/{account}/latency?baseMs=100&perMessageMs=2", null)).EnsureSuccessStatusCode();
        await ChooseAsync(host, connection, ids.Select((id, i) => new CalendarChoice(id, id, i == 0, true, true)).ToList());

        var stats = $"/_sandbox/microsoft/mail/{account}/stats";
        var before = JsonDocument.Parse(await http.GetStringAsync(stats)).RootElement;
        var clock = Stopwatch.StartNew();
        var run = await MailInitialBenchmark.SyncAsync(host, connection, accountId, "manual", IntegrationType.Calendar);
        var seconds = clock.Elapsed.TotalSeconds;
        var after = JsonDocument.Parse(await http.GetStringAsync(stats)).RootElement;
        Console.WriteLine($"  graph first sync: {run.Outcome}{(run.Error is { } e ? ": " + e : "")}");
        var busy = after.GetProperty("busySlotSeconds").GetDouble() - before.GetProperty("busySlotSeconds").GetDouble();
        var requests = after.GetProperty("requests").GetInt64() - before.GetProperty("requests").GetInt64();

        var changed = await ChangeAsync(created, 50, (_, id, at) => http.PatchAsync($"/_sandbox/microsoft/calendar/{account}/events/{Uri.EscapeDataString(id)}",
            BudgetBenchmark.JsonContent(new { subject = "Moved meeting", start = new { dateTime = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), timeZone = "UTC" },
                end = new { dateTime = at.UtcDateTime.AddMinutes(45).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), timeZone = "UTC" } })));
        var beforeIncremental = JsonDocument.Parse(await http.GetStringAsync(stats)).RootElement.GetProperty("requests").GetInt64();
        await MailInitialBenchmark.SyncAsync(host, connection, accountId, "manual", IntegrationType.Calendar);
        var incremental = JsonDocument.Parse(await http.GetStringAsync(stats)).RootElement.GetProperty("requests").GetInt64() - beforeIncremental;
        var refused = after.GetProperty("refusedForConcurrency").GetInt64() - before.GetProperty("refusedForConcurrency").GetInt64();
        return new ProviderRun(seconds, requests, busy / (4 * seconds), await LoggedAsync(host, workspaceId), expected, incremental / (double)calendars, changed, refused);
    }

    /// <summary>The connection reads these calendars (as the person's choice on the Calendars page would set it).</summary>
    private static async Task ChooseAsync(BenchmarkHost host, ConnectionRef connection, List<CalendarChoice> calendars)
    {
        await using var db = host.Database.Create(Actor.System(connection.WorkspaceId));
        var row = await db.Integrations.SingleAsync(i => i.Id == connection.IntegrationId);
        row.CalendarSettings = new CalendarSettings(calendars).ToJson();
        await db.SaveChangesAsync();
    }

    /// <summary>Moves <paramref name="count"/> events spread over the calendars two days later, as their owner would.</summary>
    private static async Task<int> ChangeAsync(List<(string Calendar, string Id)> created, int count, Func<string, string, DateTimeOffset, Task<HttpResponseMessage>> change)
    {
        var step = Math.Max(1, created.Count / count);
        var done = 0;
        for (var i = 0; i < created.Count && done < count; i += step, done++)
            (await change(created[i].Calendar, created[i].Id, DateTimeOffset.UtcNow.Date.AddDays(2).AddHours(8).AddMinutes(done))).EnsureSuccessStatusCode();
        return done;
    }

    private static async Task<int> LoggedAsync(BenchmarkHost host, long workspaceId)
    {
        await using var db = host.Database.Create(Actor.System(workspaceId));
        return await db.Activities.OfType<MeetingActivity>().CountAsync();
    }
}
