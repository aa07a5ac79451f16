using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Deals;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Benchmarks;

/// <summary>
/// <c>hubspot-faults</c>: the first sync of a portal (and of a workspace with records of its own), then an incremental
/// one, while the sandbox's HubSpot fails 10% of calls with 503, drops 1% of connections before and 2% after doing the
/// work (the answer lost), answers a 3-second storm of 429s and has every access token expire mid-run. Runs are
/// started again as the schedule would until one succeeds; then both sides are compared record by record
/// (mismatches), searched for anything that exists twice (duplicates), and checked for every change made on either
/// side before the incremental run (lost changes: edits, creates and deletes on both sides).
/// </summary>
public static class HubSpotFaultsBenchmark
{
    private const int MaxRuns = 25;

    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        await using var rig = await HubSpotBenchmarkRig.StartAsync(options);
        var (http, host, admin, connection) = (rig.Http, rig.Host, rig.Admin, rig.Connection);
        // A tenth as many of our own, to go out: contacts, companies and won deals.
        var (ourContacts, ourAccounts, ourDeals) = (options.Contacts / 10, options.Companies / 10, options.Deals / 10);
        await host.RunScopedAsync(async services =>
        {
            await services.GetRequiredService<CreateMissingDealStagesHandler>().HandleAsync(connection.IntegrationId);
            await using var db = await services.GetRequiredService<ICrmDbFactory>().CreateAsync();
            var accounts = Enumerable.Range(0, ourAccounts).Select(i => new Account { Name = $"Ours {i:D5}", Domain = $"ours{i:D5}.example" }).ToList();
            db.Accounts.AddRange(accounts);
            db.Contacts.AddRange(Enumerable.Range(0, ourContacts).Select(i => new Contact { Email = $"ours{i:D6}@here.example", FirstName = "Our", LastName = $"Contact {i}" }));
            var won = await db.PipelineStages.FirstAsync(s => s.Name == "Closed won");
            db.Deals.AddRange(Enumerable.Range(0, ourDeals).Select(i => new Deal { Name = $"Our deal {i:D5}", Amount = 100 + i, PipelineId = won.PipelineId, StageId = won.Id, Probability = 100 }));
            await db.SaveChangesAsync();
            var row = await db.Integrations.SingleAsync(i => i.Id == connection.IntegrationId);
            row.InitialSyncConfirmedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync();
            return 0;
        }, admin);
        (await http.PostAsync("/_sandbox/hubspot/rate-limit", BudgetBenchmark.JsonContent(new { requests = 2_000, windowMilliseconds = 10_000, daily = 10_000_000 }))).EnsureSuccessStatusCode();
        // HubSpot's webhooks reach the app's receiver (deletions there are known by them between nightly comparisons).
        using var webhooks = new WebhookListener(host);
        (await http.PostAsync("/_sandbox/hubspot/webhooks", BudgetBenchmark.JsonContent(new { targetUrl = webhooks.Url, retryScale = 0.001 }))).EnsureSuccessStatusCode();

        var clock = Stopwatch.StartNew();
        var initialRuns = await UnderFaultsAsync(host, http, connection);
        var initialSeconds = clock.Elapsed.TotalSeconds;
        var initialMismatches = await HubSpotSyncBenchmark.CompareAsync(host, connection, admin);

        // Changes on both sides: 100 contacts edited each side, 20 created each side, 5 deleted each side.
        var changes = await ChangeBothSidesAsync(host, http, connection, admin, options.Changes);
        // Their webhooks delivered (HubSpot sends them within seconds).
        await Task.Delay(TimeSpan.FromSeconds(2));
        clock.Restart();
        var incrementalRuns = await UnderFaultsAsync(host, http, connection);
        var incrementalSeconds = clock.Elapsed.TotalSeconds;
        var mismatches = await HubSpotSyncBenchmark.CompareAsync(host, connection, admin);
        var duplicates = await DuplicatesAsync(host, connection, admin);
        var lost = await LostChangesAsync(host, connection, admin, changes);
        var stats = JsonDocument.Parse(await http.GetStringAsync("/_sandbox/faults/stats")).RootElement;

        Console.WriteLine($"hubspot-faults: {options.Contacts:N0} contacts, {options.Companies:N0} companies, {options.Deals:N0} deals there, {ourContacts:N0} / {ourAccounts:N0} / {ourDeals:N0} here");
        Console.WriteLine($"  initial: {initialRuns} runs, {initialSeconds:F1} s, {initialMismatches} mismatches; incremental ({changes.Count} changes): {incrementalRuns} runs, {incrementalSeconds:F1} s");
        Console.WriteLine($"  injected: {stats}");
        Console.WriteLine($"  mismatches {mismatches}, duplicates {duplicates}, lost changes {lost}");
        Console.WriteLine("floor: mismatches = 0, duplicates = 0, lost_changes = 0");
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["benchmark"] = "hubspot-faults", ["contacts"] = options.Contacts, ["companies"] = options.Companies, ["deals"] = options.Deals,
            ["initial_runs"] = initialRuns, ["initial_seconds"] = Math.Round(initialSeconds, 1), ["incremental_runs"] = incrementalRuns, ["incremental_seconds"] = Math.Round(incrementalSeconds, 1),
            ["mismatches"] = mismatches + initialMismatches, ["duplicates"] = duplicates, ["lost_changes"] = lost,
            ["floor_mismatches"] = 0, ["floor_duplicates"] = 0, ["floor_lost_changes"] = 0,
        }));
        return mismatches + initialMismatches == 0 && duplicates == 0 && lost == 0 ? 0 : 1;
    }

    /// <summary>Runs under the faults until one succeeds: a 429 storm two seconds in, every access token expired four seconds in.</summary>
    private static async Task<int> UnderFaultsAsync(BenchmarkHost host, HttpClient http, ConnectionRef connection)
    {
        object Plan(double storm) => new
        {
            provider = "hubspot", surface = "api", failureRate = 0.10, failureStatus = 503, dropRate = 0.01, lostAnswerRate = 0.02, throttleForSeconds = storm, retryAfterSeconds = 1,
        };
        (await http.PostAsync("/_sandbox/faults", BudgetBenchmark.JsonContent(Plan(0)))).EnsureSuccessStatusCode();
        using var stop = new CancellationTokenSource();
        var chaos = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2), stop.Token);
            (await http.PostAsync("/_sandbox/faults", BudgetBenchmark.JsonContent(Plan(3)))).EnsureSuccessStatusCode();
            await Task.Delay(TimeSpan.FromSeconds(2), stop.Token);
            (await http.PostAsync("/_sandbox/hubspot/expire-access-tokens", null)).EnsureSuccessStatusCode();
        });
        var runs = 0;
        try
        {
            while (runs < MaxRuns)
            {
                runs++;
                var run = await HubSpotSyncBenchmark.SyncAsync(host, connection);
                Console.WriteLine($"  run {runs}: {run.Outcome} (in {run.WrittenIn}, out {run.WrittenOut}, errors {run.Errors}){(run.Error is { } e ? ": " + e : "")}");
                if (run.Outcome == SyncRunOutcome.Succeeded) break;
            }
        }
        finally
        {
            await stop.CancelAsync();
            try { await chaos; } catch (OperationCanceledException) { }
            (await http.DeleteAsync("/_sandbox/faults")).EnsureSuccessStatusCode();
        }
        // The faults are over: one clean run settles what the last faulty one left (a failing record retried).
        var settle = await HubSpotSyncBenchmark.SyncAsync(host, connection);
        Console.WriteLine($"  settling run: {settle.Outcome} (in {settle.WrittenIn}, out {settle.WrittenOut}, errors {settle.Errors})");
        return runs;
    }

    private sealed record Change(string Side, string Kind, string Key);

    /// <summary>The app's HubSpot webhook endpoint for this in-process host: each signed delivery goes to the same receiver the web app uses.</summary>
    private sealed class WebhookListener : IDisposable
    {
        private readonly System.Net.HttpListener _listener = new();
        private readonly Task _loop;

        public string Url { get; }

        public WebhookListener(BenchmarkHost host)
        {
            Url = $"http://127.0.0.1:{WebhooksBenchmark.FreePort()}/webhooks/hubspot";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _loop = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    System.Net.HttpListenerContext context;
                    try { context = await _listener.GetContextAsync(); }
                    catch (Exception e) when (e is System.Net.HttpListenerException or ObjectDisposedException) { return; }
                    using var reader = new StreamReader(context.Request.InputStream);
                    var body = await reader.ReadToEndAsync();
                    var receipt = await host.RunScopedAsync(services => services.GetRequiredService<Crm.Core.Integrations.Webhooks.ReceiveHubSpotWebhookHandler>()
                        .HandleAsync("POST", Url, body, context.Request.Headers["X-HubSpot-Request-Timestamp"], context.Request.Headers["X-HubSpot-Signature-v3"]), Actor.Anonymous);
                    context.Response.StatusCode = receipt.Outcome == Crm.Core.Integrations.Webhooks.WebhookOutcome.Accepted ? 204 : 401;
                    context.Response.Close();
                }
            });
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
        }
    }

    private static async Task<List<Change>> ChangeBothSidesAsync(BenchmarkHost host, HttpClient http, ConnectionRef connection, Actor admin, int edits)
    {
        var changes = new List<Change>();
        var links = await host.RunScopedAsync(async services =>
        {
            await using var db = await services.GetRequiredService<ICrmDbFactory>().CreateAsync();
            return await db.SyncRecords.Where(l => l.IntegrationId == connection.IntegrationId && l.RecordType == RecordType.Contact)
                .OrderBy(l => l.RecordId).Select(l => new { l.RecordId, l.ExternalId }).Take(edits * 2 + 10).ToListAsync();
        }, admin);
        var (here, there, deleteHere, deleteThere) = (links.Take(edits).ToList(), links.Skip(edits).Take(edits).ToList(), links.Skip(edits * 2).Take(5).ToList(), links.Skip(edits * 2 + 5).Take(5).ToList());
        await host.RunScopedAsync(async services =>
        {
            await using var db = await services.GetRequiredService<ICrmDbFactory>().CreateAsync();
            var ids = here.Select(l => l.RecordId).ToList();
            foreach (var contact in await db.Contacts.Where(c => ids.Contains(c.Id)).ToListAsync()) contact.JobTitle = "Changed here";
            var gone = deleteHere.Select(l => l.RecordId).ToList();
            foreach (var contact in await db.Contacts.Where(c => gone.Contains(c.Id)).ToListAsync()) contact.DeletedAt = DateTimeOffset.UtcNow;
            db.Contacts.AddRange(Enumerable.Range(0, 20).Select(i => new Contact { Email = $"new{i:D2}@here.example", FirstName = "New", LastName = $"Here {i}" }));
            await db.SaveChangesAsync();
            return 0;
        }, Actor.System(connection.WorkspaceId, ChangeSource.User));
        changes.AddRange(here.Select(l => new Change("here", "edit", l.ExternalId)));
        changes.AddRange(deleteHere.Select(l => new Change("here", "delete", l.ExternalId)));
        changes.AddRange(Enumerable.Range(0, 20).Select(i => new Change("here", "create", $"new{i:D2}@here.example")));
        foreach (var link in there)
            (await http.PatchAsync($"/_sandbox/hubspot/as-user/contacts/{link.ExternalId}", BudgetBenchmark.JsonContent(new { properties = new { jobtitle = "Changed there" } }))).EnsureSuccessStatusCode();
        foreach (var link in deleteThere) (await http.DeleteAsync($"/_sandbox/hubspot/as-user/contacts/{link.ExternalId}")).EnsureSuccessStatusCode();
        for (var i = 0; i < 20; i++)
            (await http.PostAsync("/_sandbox/hubspot/as-user/contacts", BudgetBenchmark.JsonContent(new { properties = new { email = $"new{i:D2}@there.example", firstname = "New", lastname = $"There {i}" } })))
                .EnsureSuccessStatusCode();
        changes.AddRange(there.Select(l => new Change("there", "edit", l.RecordId.ToString(CultureInfo.InvariantCulture))));
        changes.AddRange(deleteThere.Select(l => new Change("there", "delete", l.RecordId.ToString(CultureInfo.InvariantCulture))));
        changes.AddRange(Enumerable.Range(0, 20).Select(i => new Change("there", "create", $"new{i:D2}@there.example")));
        return changes;
    }

    /// <summary>Each change made before the incremental run, looked for on the other side.</summary>
    private static async Task<int> LostChangesAsync(BenchmarkHost host, ConnectionRef connection, Actor admin, List<Change> changes) =>
        await host.RunScopedAsync(async services =>
        {
            var remote = services.GetRequiredKeyedService<IRemoteObjects>("hubspot:contacts");
            var theirs = await AllAsync(remote, connection);
            var byId = theirs.ToDictionary(r => r.Id);
            var byEmail = theirs.Where(r => r.Properties.GetValueOrDefault("email") is not null).ToLookup(r => r.Properties["email"]!.ToLowerInvariant());
            await using var db = await services.GetRequiredService<ICrmDbFactory>().CreateAsync();
            var ours = await db.Contacts.IgnoreQueryFilters().Where(c => c.WorkspaceId == connection.WorkspaceId).AsNoTracking().ToListAsync();
            var oursById = ours.ToDictionary(c => c.Id);
            var lost = 0;
            foreach (var change in changes)
            {
                var landed = (change.Side, change.Kind) switch
                {
                    ("here", "edit") => byId.TryGetValue(change.Key, out var r) && r.Properties.GetValueOrDefault("jobtitle") == "Changed here",
                    ("here", "delete") => !byId.ContainsKey(change.Key),
                    ("here", "create") => byEmail[change.Key].Any(),
                    ("there", "edit") => oursById.TryGetValue(long.Parse(change.Key, CultureInfo.InvariantCulture), out var c) && c.JobTitle == "Changed there",
                    ("there", "delete") => oursById.TryGetValue(long.Parse(change.Key, CultureInfo.InvariantCulture), out var d) && d.DeletedAt is not null,
                    _ => ours.Any(o => o.DeletedAt is null && o.Email == change.Key),
                };
                if (!landed) lost++;
            }
            return lost;
        }, admin);

    /// <summary>Records that exist twice: contacts by email, companies by domain, deals by name — on either side.</summary>
    private static async Task<int> DuplicatesAsync(BenchmarkHost host, ConnectionRef connection, Actor admin) =>
        await host.RunScopedAsync(async services =>
        {
            var duplicates = 0;
            foreach (var (type, key) in new[] { ("contacts", "email"), ("companies", "domain"), ("deals", "dealname") })
            {
                var theirs = await AllAsync(services.GetRequiredKeyedService<IRemoteObjects>($"hubspot:{type}"), connection);
                duplicates += theirs.Where(r => r.Properties.GetValueOrDefault(key) is not null).GroupBy(r => r.Properties[key]!.ToLowerInvariant()).Sum(g => g.Count() - 1);
            }
            await using var db = await services.GetRequiredService<ICrmDbFactory>().CreateAsync();
            duplicates += (await db.Contacts.Where(c => c.Email != null).GroupBy(c => c.Email).Select(g => g.Count()).ToListAsync()).Sum(n => n - 1);
            duplicates += (await db.Accounts.Where(a => a.Domain != null).GroupBy(a => a.Domain).Select(g => g.Count()).ToListAsync()).Sum(n => n - 1);
            duplicates += (await db.Deals.GroupBy(d => d.Name).Select(g => g.Count()).ToListAsync()).Sum(n => n - 1);
            return duplicates;
        }, admin);

    private static async Task<List<RemoteRecord>> AllAsync(IRemoteObjects remote, ConnectionRef connection)
    {
        var all = new List<RemoteRecord>();
        string? page = null;
        do
        {
            var next = await remote.AllAsync(connection, page, CancellationToken.None);
            all.AddRange(next.Records);
            page = next.Next;
        } while (page is not null);
        return all;
    }
}
