using System.Diagnostics;
using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Email;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.OAuth;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Timeline;
using Crm.Infrastructure.Integrations.Google;
using Crm.Infrastructure.Integrations.Graph;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Benchmarks;

/// <summary>
/// <c>mail-faults</c>: a Gmail and an Outlook mailbox of N messages synced (first, then incrementally after new mail and
/// deletions, across an expired history id / delta token) while the sandbox fails 10% of calls with 503, drops 1% of
/// connections before and 2% after answering, answers a 3-second storm of 429s and expires every access token mid-run.
/// Runs start again as the schedule would until one succeeds. Then: every message that should be on a timeline is
/// (lost), none is there twice (duplicates), and the nightly completeness check finds nothing missing.
/// </summary>
public static class MailFaultsBenchmark
{
    private const int MaxRuns = 25;

    private sealed record Mailbox(string Provider, string Address, IOAuthProvider OAuth, string Name, Func<bool, DateTimeOffset, string> SeedPath,
        string ExpireCursorPath, Func<string, string> DeletePath);

    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        var total = options.Messages;
        await using var rig = await MailBenchmarkRig.StartAsync();
        var (http, host) = (rig.Http, rig.Host);
        var mailboxes = new[]
        {
            new Mailbox("google", "faults@gmail.bench", host.Resolve<GoogleOAuthClient>(), "Gmail",
                (sent, at) => $"/_sandbox/google/gmail/faults@gmail.bench/messages?labels={(sent ? "SENT" : "INBOX")}&internalDate={at.ToUnixTimeMilliseconds()}",
                "/_sandbox/google/gmail/faults@gmail.bench/expire-history", id => $"/_sandbox/google/gmail/faults@gmail.bench/messages/{Uri.EscapeDataString(id)}"),
            new Mailbox("microsoft", "faults@outlook.bench", host.Resolve<MicrosoftOAuthClient>(), "Outlook",
                (sent, at) => $"/_sandbox/microsoft/mail/faults@outlook.bench/messages?folder={(sent ? "sentitems" : "inbox")}&receivedAt={Uri.EscapeDataString(at.ToString("O"))}",
                "/_sandbox/microsoft/mail/faults@outlook.bench/expire-delta", id => $"/_sandbox/microsoft/mail/faults@outlook.bench/messages/{Uri.EscapeDataString(id)}"),
        };
        var figures = new List<Dictionary<string, object>>();
        var clock = Stopwatch.StartNew();
        foreach (var mailbox in mailboxes)
        {
            var (workspaceId, adminId) = await host.CreateWorkspaceAsync();
            var admin = await host.AdminOfAsync(workspaceId);
            var contacts = await MailInitialBenchmark.SeedContactsAsync(host, admin, 500);
            var (connection, accountId) = await MailInitialBenchmark.ConnectAsync(host, mailbox.OAuth, http, admin, adminId, mailbox.Address, mailbox.Name);
            var seeded = await MailInitialBenchmark.SeedMailboxAsync(http, contacts, total, mailbox.Address, (_, sent, at) => mailbox.SeedPath(sent, at), prefix: "first");
            var initialRuns = await UnderFaultsAsync(host, http, mailbox.Provider, connection, accountId);

            // New mail and deletions since, and a cursor the provider no longer knows.
            var more = await MailInitialBenchmark.SeedMailboxAsync(http, contacts, total / 10, mailbox.Address, (_, sent, at) => mailbox.SeedPath(sent, at), prefix: "second", seed: 11);
            foreach (var id in seeded.ProviderIds.Take(total / 100))
                (await http.DeleteAsync(mailbox.DeletePath(id))).EnsureSuccessStatusCode();
            (await http.PostAsync(mailbox.ExpireCursorPath, null)).EnsureSuccessStatusCode();
            var incrementalRuns = await UnderFaultsAsync(host, http, mailbox.Provider, connection, accountId);

            var expected = seeded.ExpectedMessageIds.Concat(more.ExpectedMessageIds).ToHashSet(StringComparer.Ordinal);
            var (lost, duplicates) = await CountAsync(host, workspaceId, expected);
            // The nightly check, without faults: what it reports missing, and what it had to backfill.
            await MailInitialBenchmark.SyncAsync(host, connection, accountId, SyncConnectionHandler.Reconcile);
            await using var db = host.Database.Create(Actor.System(workspaceId));
            var check = MailboxCheck.FromJson((await db.SyncStates.AsNoTracking().SingleAsync(s => s.ObjectType == MailboxCheck.ObjectType)).Cursor)!;
            var (lostAfter, duplicatesAfter) = await CountAsync(host, workspaceId, expected);
            Console.WriteLine($"{mailbox.Name}: {total + total / 10:N0} messages ({expected.Count:N0} to log); initial {initialRuns} runs, incremental {incrementalRuns} runs; " +
                              $"lost {lost}, duplicates {duplicates}; nightly check: {check.Summary}; after it lost {lostAfter}, duplicates {duplicatesAfter}");
            figures.Add(new() { ["lost"] = lost + lostAfter, ["duplicates"] = duplicates + duplicatesAfter, ["missing_reported"] = check.Missing, ["backfilled"] = check.Backfilled,
                ["initial_runs"] = initialRuns, ["incremental_runs"] = incrementalRuns });
        }
        var stats = JsonDocument.Parse(await http.GetStringAsync("/_sandbox/faults/stats")).RootElement;
        Console.WriteLine($"injected: {stats}; {clock.Elapsed.TotalSeconds:F0} s");
        int Sum(string key) => figures.Sum(f => (int)f[key]);
        Console.WriteLine("floor: lost = 0, duplicates = 0, missing_reported = 0");
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["benchmark"] = "mail-faults", ["messages_per_mailbox"] = total + total / 10, ["lost"] = Sum("lost"), ["duplicates"] = Sum("duplicates"),
            ["missing_reported"] = Sum("missing_reported"), ["backfilled"] = Sum("backfilled"), ["gmail"] = figures[0], ["outlook"] = figures[1],
            ["floor_lost"] = 0, ["floor_duplicates"] = 0, ["floor_missing_reported"] = 0,
        }));
        return Sum("lost") == 0 && Sum("duplicates") == 0 && Sum("missing_reported") == 0 ? 0 : 1;
    }

    /// <summary>Expected Message-IDs with no email activity (lost); activities or mailbox rows there more than once (duplicates).</summary>
    private static async Task<(int Lost, int Duplicates)> CountAsync(BenchmarkHost host, long workspaceId, HashSet<string> expected)
    {
        await using var db = host.Database.Create(Actor.System(workspaceId));
        var logged = await db.Activities.OfType<EmailActivity>().Select(a => a.MessageId).ToListAsync();
        var rows = await db.MailboxMessages.Select(m => m.Mailbox + "|" + m.ProviderMessageId).ToListAsync();
        var lost = expected.Count(id => !logged.Contains(id));
        var duplicates = logged.Count - logged.Distinct().Count() + rows.Count - rows.Distinct().Count();
        return (lost, duplicates);
    }

    /// <summary>Runs (of a mailbox or a calendar) under the faults until one succeeds: a 429 storm two seconds in, every access token expired four seconds in.</summary>
    internal static async Task<int> UnderFaultsAsync(BenchmarkHost host, HttpClient http, string provider, ConnectionRef connection, string accountId,
        IntegrationType type = IntegrationType.Email)
    {
        object Plan(double storm) => new
        {
            provider, surface = "api", failureRate = 0.10, failureStatus = 503, dropRate = 0.01, lostAnswerRate = 0.02, throttleForSeconds = storm, retryAfterSeconds = 1,
        };
        (await http.PostAsync("/_sandbox/faults", BudgetBenchmark.JsonContent(Plan(0)))).EnsureSuccessStatusCode();
        using var stop = new CancellationTokenSource();
        var chaos = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2), stop.Token);
            (await http.PostAsync("/_sandbox/faults", BudgetBenchmark.JsonContent(Plan(3)))).EnsureSuccessStatusCode();
            await Task.Delay(TimeSpan.FromSeconds(2), stop.Token);
            (await http.PostAsync($"/_sandbox/{provider}/expire-access-tokens", null)).EnsureSuccessStatusCode();
        });
        var runs = 0;
        try
        {
            while (runs < MaxRuns)
            {
                runs++;
                var run = await MailInitialBenchmark.SyncAsync(host, connection, accountId, "manual", type);
                Console.WriteLine($"  {provider} run {runs}: {run.Outcome} (read {run.ReadIn}, logged {run.WrittenIn}){(run.Error is { } e ? ": " + e : "")}");
                if (run.Outcome == SyncRunOutcome.Succeeded) break;
            }
        }
        finally
        {
            await stop.CancelAsync();
            try { await chaos; } catch (OperationCanceledException) { }
            (await http.DeleteAsync("/_sandbox/faults")).EnsureSuccessStatusCode();
        }
        return runs;
    }
}
