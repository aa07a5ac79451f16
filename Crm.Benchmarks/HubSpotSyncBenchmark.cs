using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Sync;
using Crm.Infrastructure.Integrations.HubSpot;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Benchmarks;

/// <summary>
/// The HubSpot sync against the sandbox running as its own process with HubSpot's limits as an exact sliding window:
/// <c>hubspot-initial</c> syncs a portal of N contacts, companies and deals into an empty workspace (calls made against
/// the fewest the API allows — one list page of 100 per 100 records, the owners and the pipelines — wall time against the
/// rate-limit bound, 429s, peak working set, then both sides compared record by record); <c>hubspot-incremental</c> then
/// changes 100 contacts on each side and counts the calls each direction took and the echoes (records written back
/// that nobody changed). The CRM runs in this process, so its working set is the one measured.
/// </summary>
public static class HubSpotSyncBenchmark
{
    private const int Limit = 100;
    private const double WindowSeconds = 10;

    public static async Task<int> RunAsync(BenchmarkOptions options, bool incremental)
    {
        await using var rig = await HubSpotBenchmarkRig.StartAsync(options);
        var (http, host, admin, connection) = (rig.Http, rig.Host, rig.Admin, rig.Connection);
        // What an admin does after the preview: HubSpot's stages created in our pipeline, then the first sync confirmed.
        await host.RunScopedAsync(async services =>
        {
            await services.GetRequiredService<CreateMissingDealStagesHandler>().HandleAsync(connection.IntegrationId);
            await using var db = await services.GetRequiredService<ICrmDbFactory>().CreateAsync();
            var row = await db.Integrations.SingleAsync(i => i.Id == connection.IntegrationId);
            row.InitialSyncConfirmedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync();
            return 0;
        }, admin);
        await ResetLimitAsync(http);

        var clock = Stopwatch.StartNew();
        var run = await SyncAsync(host, connection);
        var wall = clock.Elapsed.TotalSeconds;
        var (calls, refused, byEndpoint) = await StatsAsync(http);
        // A list page per 100 records of each type (the five activity types' one page each, empty or not), owners and pipelines.
        var minimum = Pages(options.Contacts) + Pages(options.Companies) + Pages(options.Deals) + 5 * Pages(0) + 2;
        var callsRatio = Math.Round((double)calls / minimum, 3);
        var utilisation = Math.Round(calls / (Limit / WindowSeconds) / wall, 3);
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var peakMb = self.PeakWorkingSet64 / 1024 / 1024;
        var mismatches = await CompareAsync(host, connection, admin);

        Console.WriteLine($"hubspot-initial: {options.Contacts:N0} contacts, {options.Companies:N0} companies, {options.Deals:N0} deals in {wall:F1} s " +
                          $"({run.Outcome}, {run.WrittenIn:N0} written here, {run.Errors:N0} failing)");
        Console.WriteLine($"  calls {calls:N0} (fewest the API allows {minimum:N0}: ratio {callsRatio:F3}); {string.Join(", ", byEndpoint.OrderByDescending(e => e.Value).Select(e => $"{e.Key} {e.Value}"))}");
        Console.WriteLine($"  rate-limit bound {calls / (Limit / WindowSeconds):F1} s at {Limit}/{WindowSeconds:F0} s: utilisation {utilisation:F3}; {refused} refused with 429; peak working set {peakMb} MB; {mismatches} mismatches");
        Console.WriteLine("floor: calls_ratio <= 1.1, rate_utilisation >= 0.9, refused_429 = 0, peak_working_set_mb <= 512, mismatches = 0");
        var initialOk = callsRatio <= 1.1 && utilisation >= 0.9 && refused == 0 && peakMb <= 512 && mismatches == 0;
        if (!incremental)
        {
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["benchmark"] = "hubspot-initial", ["contacts"] = options.Contacts, ["companies"] = options.Companies, ["deals"] = options.Deals,
                ["seconds"] = Math.Round(wall, 1), ["calls"] = calls, ["calls_minimum"] = minimum, ["calls_ratio"] = callsRatio, ["rate_utilisation"] = utilisation,
                ["refused_429"] = refused, ["peak_working_set_mb"] = peakMb, ["mismatches"] = mismatches,
                ["floor_calls_ratio"] = 1.1, ["floor_rate_utilisation"] = 0.9, ["floor_refused_429"] = 0, ["floor_peak_working_set_mb"] = 512, ["floor_mismatches"] = 0,
            }));
            return initialOk ? 0 : 1;
        }
        return await IncrementalAsync(options, host, http, connection, admin);
    }

    /// <summary>100 contacts changed here and 100 others there, one run: calls per direction, and records written back that nobody changed.</summary>
    private static async Task<int> IncrementalAsync(BenchmarkOptions options, BenchmarkHost host, HttpClient http, ConnectionRef connection, Actor admin)
    {
        var changes = options.Changes;
        var links = await host.RunScopedAsync(async services =>
        {
            await using var db = await services.GetRequiredService<ICrmDbFactory>().CreateAsync();
            return await db.SyncRecords.Where(l => l.IntegrationId == connection.IntegrationId && l.RecordType == RecordType.Contact)
                .OrderBy(l => l.RecordId).Select(l => new { l.RecordId, l.ExternalId }).Take(changes * 2).ToListAsync();
        }, admin);
        var ours = links.Take(changes).ToList();
        var theirs = links.Skip(changes).Take(changes).ToList();
        await host.RunScopedAsync(async services =>
        {
            await using var db = await services.GetRequiredService<ICrmDbFactory>().CreateAsync();
            var ids = ours.Select(l => l.RecordId).ToList();
            foreach (var contact in await db.Contacts.Where(c => ids.Contains(c.Id)).ToListAsync()) contact.JobTitle = "Changed here";
            await db.SaveChangesAsync();
            return 0;
        }, Actor.System(connection.WorkspaceId, ChangeSource.User));
        foreach (var link in theirs)
            (await http.PatchAsync($"/_sandbox/hubspot/as-user/contacts/{link.ExternalId}", BudgetBenchmark.JsonContent(new { properties = new { jobtitle = "Changed there" } })))
                .EnsureSuccessStatusCode();
        // After the overlap: the run reads from its cursor less two minutes; the seeded records are older than that.
        await ResetLimitAsync(http);
        var run = await SyncAsync(host, connection);
        var (calls, refused, byEndpoint) = await StatsAsync(http);
        long In(string endpoint) => endpoint.Contains("/search", StringComparison.Ordinal) || endpoint.StartsWith("GET /crm/v3/objects/", StringComparison.Ordinal) ? 1 : 0;
        long Out(string endpoint) => endpoint.Contains("/batch/", StringComparison.Ordinal) ? 1 : 0;
        var callsIn = byEndpoint.Where(e => In(e.Key) == 1).Sum(e => e.Value);
        var callsOut = byEndpoint.Where(e => Out(e.Key) == 1).Sum(e => e.Value);
        var overhead = calls - callsIn - callsOut;
        // Echoes: writes beyond the changes themselves (ours going out, theirs coming in).
        var echoes = Math.Max(0, run.WrittenIn - changes) + Math.Max(0, run.WrittenOut - changes);
        var landed = await host.RunScopedAsync(async services =>
        {
            await using var db = await services.GetRequiredService<ICrmDbFactory>().CreateAsync();
            var theirIds = theirs.Select(l => l.RecordId).ToList();
            return await db.Contacts.CountAsync(c => theirIds.Contains(c.Id) && c.JobTitle == "Changed there");
        }, admin);
        var quiet = await SyncAsync(host, connection);
        echoes += quiet.WrittenIn + quiet.WrittenOut;

        Console.WriteLine($"hubspot-incremental: {changes} contacts changed on each side among {options.Contacts:N0}: {run.WrittenIn} written here, {run.WrittenOut} there, {landed} of theirs landed");
        Console.WriteLine($"  calls in {callsIn}, out {callsOut}, other {overhead} (the account probe, owners, pipelines); {refused} refused; echoes {echoes} (a run after it wrote {quiet.WrittenIn + quiet.WrittenOut})");
        Console.WriteLine($"  {string.Join(", ", byEndpoint.Select(e => $"{e.Key} {e.Value}"))}");
        Console.WriteLine("floor: calls_in <= 5, calls_out <= 5, echoes = 0");
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["benchmark"] = "hubspot-incremental", ["contacts"] = options.Contacts, ["changes_each_side"] = changes,
            ["calls_in"] = callsIn, ["calls_out"] = callsOut, ["calls_other"] = overhead, ["echoes"] = echoes, ["landed"] = landed,
            ["floor_calls_in"] = 5, ["floor_calls_out"] = 5, ["floor_echoes"] = 0,
        }));
        return callsIn <= 5 && callsOut <= 5 && echoes == 0 && landed == changes ? 0 : 1;
    }

    private static int Pages(int records) => Math.Max(1, (records + 99) / 100);

    private static async Task ResetLimitAsync(HttpClient http)
    {
        (await http.PostAsync("/_sandbox/hubspot/rate-limit", BudgetBenchmark.JsonContent(new { requests = Limit, windowMilliseconds = (int)(WindowSeconds * 1000), daily = 10_000_000 })))
            .EnsureSuccessStatusCode();
        // The window starts empty.
        await Task.Delay(TimeSpan.FromSeconds(WindowSeconds));
    }

    private static async Task<(long Calls, long Refused, Dictionary<string, long> ByEndpoint)> StatsAsync(HttpClient http)
    {
        using var stats = JsonDocument.Parse(await http.GetStringAsync("/_sandbox/hubspot/rate-limit"));
        var root = stats.RootElement;
        var byEndpoint = root.GetProperty("byEndpoint").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        return (root.GetProperty("accepted").GetInt64(), root.GetProperty("throttled").GetInt64() + root.GetProperty("searchThrottled").GetInt64(), byEndpoint);
    }

    internal static async Task<SyncRun> SyncAsync(BenchmarkHost host, ConnectionRef connection) =>
        await host.RunScopedAsync(async services =>
        {
            await services.GetRequiredService<SyncConnectionHandler>().HandleAsync(connection, IntegrationType.CrmSync, "62515", "manual", CancellationToken.None);
            await using var db = await services.GetRequiredService<ICrmDbFactory>().CreateAsync();
            return await db.SyncRuns.OrderByDescending(r => r.Id).FirstAsync();
        }, Actor.System(connection.WorkspaceId, ChangeSource.Sync));

    /// <summary>
    /// Both sides record by record: every record there linked to one here, and each mapped field the same (their value read
    /// through the mapping, as a run reads it; a deal's stage by name).
    /// </summary>
    internal static async Task<int> CompareAsync(BenchmarkHost host, ConnectionRef connection, Actor admin) =>
        await host.RunScopedAsync(async services =>
        {
            var mismatches = 0;
            await using var db = await services.GetRequiredService<ICrmDbFactory>().CreateAsync();
            var stages = await db.PipelineStages.ToDictionaryAsync(s => s.Id.ToString(CultureInfo.InvariantCulture), s => Key(s.Name));
            foreach (var (type, recordType, fields) in new[]
                     {
                         ("contacts", RecordType.Contact, new[] { "email", "firstName", "lastName", "phone", "jobTitle", "lifecycle" }),
                         ("companies", RecordType.Account, new[] { "name", "domain", "city", "country" }),
                         ("deals", RecordType.Deal, new[] { "name", "amount", "closeDate" }),
                     })
            {
                var remote = services.GetRequiredKeyedService<IRemoteObjects>($"hubspot:{type}");
                var links = await db.SyncRecords.AsNoTracking().Where(l => l.IntegrationId == connection.IntegrationId && l.RecordType == recordType)
                    .ToDictionaryAsync(l => l.ExternalId, l => l.RecordId);
                var ours = recordType switch
                {
                    RecordType.Contact => (await db.Contacts.AsNoTracking().Include(c => c.Account).ToListAsync()).ToDictionary(c => c.Id, c => new SyncedContacts().Read(c)),
                    RecordType.Account => (await db.Accounts.AsNoTracking().ToListAsync()).ToDictionary(a => a.Id, a => new SyncedAccounts().Read(a)),
                    _ => (await db.Deals.AsNoTracking().Include(d => d.Stage).ToListAsync()).ToDictionary(d => d.Id, d => new SyncedDeals().Read(d)),
                };
                var labels = type == "deals" && remote is IRemotePicklists lists
                    ? (await lists.PicklistsAsync(connection, CancellationToken.None))["dealstage"].ToDictionary(o => o.Value, o => Key(o.Label)) : null;
                string? page = null;
                var seen = 0;
                do
                {
                    var all = await remote.AllAsync(connection, page, CancellationToken.None);
                    foreach (var record in all.Records)
                    {
                        seen++;
                        if (!links.TryGetValue(record.Id, out var id) || !ours.TryGetValue(id, out var mine)) { mismatches++; continue; }
                        var theirs = remote.Map.ToOurs(record.Properties, new List<string>());
                        if (fields.Any(f => SyncSide.Normal(theirs.GetValueOrDefault(f)) != SyncSide.Normal(mine.GetValueOrDefault(f)))) mismatches++;
                        else if (labels is not null && labels.GetValueOrDefault(record.Properties.GetValueOrDefault("dealstage") ?? "") != stages.GetValueOrDefault(mine["stage"] ?? "")) mismatches++;
                    }
                    page = all.Next;
                } while (page is not null);
                // Records here with no counterpart there.
                mismatches += Math.Max(0, ours.Count - seen);
            }
            return mismatches;
        }, admin);

    private static string Key(string text) => new(text.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
}
