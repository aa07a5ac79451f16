using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.OAuth;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;
using Crm.Infrastructure.Integrations.Google;
using Crm.Infrastructure.Integrations.Graph;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Crm.Benchmarks;

/// <summary>
/// The first sync of one Gmail mailbox of N messages (the sandbox as its own process, Gmail's per-user quota of 250
/// units a second enforced there; the CRM in this process): how much of the quota the sync uses (units spent over
/// 250 × seconds), whether Gmail had to refuse any call, and that every message was accounted for. Then the same for
/// an Outlook mailbox through Graph, whose limit is 4 requests at once per mailbox: how busy those 4 slots were. The
/// peak working set covers both.
/// </summary>
public static partial class MailInitialBenchmark
{
    private const string Mailbox = "rep@gmail.bench";
    /// <summary>Gmail's per-user quota (the sandbox enforces the same).</summary>
    private const double GmailQuotaUnitsPerSecond = 250;
    private const string OutlookMailbox = "rep@outlook.bench";

    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        var total = options.Messages;
        await using var rig = await MailBenchmarkRig.StartAsync();
        var (http, host) = (rig.Http, rig.Host);
        var gmail = options.Only is null or "gmail" ? await GmailAsync(host, http, total) : null;
        var graph = options.Only is null or "outlook" ? await GraphAsync(host, http, total, options.GraphBaseMs, options.GraphPerMessageMs) : null;
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024;
        if (gmail is not null)
            Console.WriteLine($"Gmail: {total:N0} messages in {gmail.Seconds:F1} s ({total / gmail.Seconds:F1} messages/s): {gmail.Units:N0} quota units = {gmail.Utilisation:P1} of 250 units/s; " +
                              $"{gmail.Refused} calls refused for quota; {gmail.Logged:N0} logged ({gmail.Expected:N0} expected), {gmail.Seen:N0} accounted for; run {gmail.Outcome}");
        if (graph is not null)
            Console.WriteLine($"Outlook: {total:N0} messages in {graph.Seconds:F1} s ({total / graph.Seconds:F1} messages/s): {graph.Requests:N0} requests, " +
                              $"{graph.Utilisation:P1} of 4 request slots busy; {graph.Refused} refused for concurrency; {graph.Logged:N0} logged ({graph.Expected:N0} expected), " +
                              $"{graph.Seen:N0} accounted for; run {graph.Outcome}");
        var gc = GC.GetGCMemoryInfo();
        Console.WriteLine($"peak working set {peak} MB (the whole run); managed heap after a full collection {GC.GetTotalMemory(true) / 1024 / 1024} MB, " +
                          $"GC committed {gc.TotalCommittedBytes / 1024 / 1024} MB, {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} collections");
        var figures = new Dictionary<string, object> { ["benchmark"] = "mail-initial", ["messages"] = total };
        if (gmail is not null)
        {
            figures["seconds"] = Math.Round(gmail.Seconds, 1);
            figures["quota_units"] = gmail.Units;
            figures["quota_utilisation"] = Math.Round(gmail.Utilisation, 3);
            figures["refused_for_quota"] = gmail.Refused;
            figures["logged"] = gmail.Logged;
            figures["expected_logged"] = gmail.Expected;
            figures["accounted_for"] = gmail.Seen;
        }
        if (graph is not null)
        {
            figures["graph_seconds"] = Math.Round(graph.Seconds, 1);
            figures["graph_requests"] = graph.Requests;
            figures["graph_utilisation"] = Math.Round(graph.Utilisation, 3);
            figures["graph_latency_ms"] = $"{options.GraphBaseMs} + {options.GraphPerMessageMs} per message";
            figures["graph_refused_for_concurrency"] = graph.Refused;
            figures["graph_logged"] = graph.Logged;
            figures["graph_expected_logged"] = graph.Expected;
            figures["graph_accounted_for"] = graph.Seen;
        }
        figures["peak_working_set_mb"] = peak;
        figures["targets"] = "quota_utilisation >= 0.9, graph_utilisation >= 0.9, peak_working_set_mb <= 512, logged = expected_logged, accounted_for = messages (each mailbox)";
        Console.WriteLine(JsonSerializer.Serialize(figures));
        return 0;
    }

    private sealed record GmailRun(double Seconds, long Units, double Utilisation, long Refused, int Logged, int Expected, int Seen, SyncRunOutcome Outcome);

    private static async Task<GmailRun> GmailAsync(BenchmarkHost host, HttpClient http, int total)
    {
        var (workspaceId, adminId) = await host.CreateWorkspaceAsync();
        var admin = await host.AdminOfAsync(workspaceId);
        var contacts = await SeedContactsAsync(host, admin, 1_000);
        var (connection, accountId) = await ConnectAsync(host, host.Resolve<GoogleOAuthClient>(), http, admin, adminId, Mailbox, "Gmail");

        Console.WriteLine($"Seeding {total:N0} messages into {Mailbox} (90% from 1,000 contacts, 5% newsletters, 5% from strangers)…");
        var expectedLogged = (await SeedMailboxAsync(http, contacts, total, Mailbox, (_, sent, at) =>
            $"/_sandbox/google/gmail/{Mailbox}/messages?labels={(sent ? "SENT" : "INBOX")}&internalDate={at.ToUnixTimeMilliseconds()}")).Expected;

        var before = JsonDocument.Parse(await http.GetStringAsync($"/_sandbox/google/gmail/{Mailbox}/stats")).RootElement.GetProperty("unitsSpent").GetInt64();
        var clock = Stopwatch.StartNew();
        await SyncAsync(host, connection, accountId, "manual");
        var seconds = clock.Elapsed.TotalSeconds;
        var stats = JsonDocument.Parse(await http.GetStringAsync($"/_sandbox/google/gmail/{Mailbox}/stats")).RootElement;
        var units = stats.GetProperty("unitsSpent").GetInt64() - before;
        await using var db = host.Database.Create(Actor.System(workspaceId));
        var run = await db.SyncRuns.OrderByDescending(r => r.Id).FirstAsync();
        return new GmailRun(seconds, units, units / (GmailQuotaUnitsPerSecond * seconds), stats.GetProperty("refusedForQuota").GetInt64(),
            await db.Activities.OfType<Crm.Core.Timeline.EmailActivity>().CountAsync(), expectedLogged, await db.MailboxMessages.CountAsync(), run.Outcome);
    }

    private sealed record GraphRun(double Seconds, long Requests, double Utilisation, long Refused, int Logged, int Expected, int Seen, SyncRunOutcome Outcome);

    /// <summary>
    /// The same mail in an Outlook mailbox, synced into a second workspace. Each Graph request takes a base time plus a
    /// time per full message it returns (<c>--graph-base-ms 100 --graph-per-message-ms 10</c>: a page of 100 messages
    /// with bodies and headers in 1.1 s, Exchange's usual pace), and the sandbox refuses a fifth request at once as
    /// Exchange does. Utilisation = the slot-seconds the sandbox saw busy ÷ (4 × seconds).
    /// </summary>
    private static async Task<GraphRun> GraphAsync(BenchmarkHost host, HttpClient http, int total, int baseMs, int perMessageMs)
    {
        var (workspaceId, adminId) = await host.CreateWorkspaceAsync();
        var admin = await host.AdminOfAsync(workspaceId);
        var contacts = await SeedContactsAsync(host, admin, 1_000);
        var (connection, accountId) = await ConnectAsync(host, host.Resolve<MicrosoftOAuthClient>(), http, admin, adminId, OutlookMailbox, "Outlook");
        Console.WriteLine($"Seeding {total:N0} messages into {OutlookMailbox} (Inbox and Sent Items)…");
        var expected = (await SeedMailboxAsync(http, contacts, total, OutlookMailbox, (_, sent, at) =>
            $"/_sandbox/microsoft/mail/{OutlookMailbox}/messages?folder={(sent ? "sentitems" : "inbox")}&receivedAt={Uri.EscapeDataString(at.ToString("O"))}")).Expected;
        (await http.PostAsync($"/_sandbox/microsoft/mail/{OutlookMailbox}/latency?baseMs={baseMs}&perMessageMs={perMessageMs}", null)).EnsureSuccessStatusCode();

        var before = JsonDocument.Parse(await http.GetStringAsync($"/_sandbox/microsoft/mail/{OutlookMailbox}/stats")).RootElement;
        var clock = Stopwatch.StartNew();
        await SyncAsync(host, connection, accountId, "manual");
        var seconds = clock.Elapsed.TotalSeconds;
        var after = JsonDocument.Parse(await http.GetStringAsync($"/_sandbox/microsoft/mail/{OutlookMailbox}/stats")).RootElement;
        var busy = after.GetProperty("busySlotSeconds").GetDouble() - before.GetProperty("busySlotSeconds").GetDouble();
        await using var db = host.Database.Create(Actor.System(workspaceId));
        var run = await db.SyncRuns.OrderByDescending(r => r.Id).FirstAsync();
        return new GraphRun(seconds, after.GetProperty("requests").GetInt64() - before.GetProperty("requests").GetInt64(), busy / (4 * seconds),
            after.GetProperty("refusedForConcurrency").GetInt64(), await db.Activities.OfType<Crm.Core.Timeline.EmailActivity>().CountAsync(), expected,
            await db.MailboxMessages.CountAsync(), run.Outcome);
    }

    /// <summary>The mailbox's sync as the scheduler runs it (<paramref name="trigger"/> "manual", or the nightly "reconcile"); the run it recorded.</summary>
    internal static async Task<SyncRun> SyncAsync(BenchmarkHost host, ConnectionRef connection, string accountId, string trigger, IntegrationType type = IntegrationType.Email)
    {
        var admin = await host.AdminOfAsync(connection.WorkspaceId);
        await host.RunScopedAsync(async services =>
        {
            services.GetRequiredService<ExplicitActor>().Value = Actor.System(connection.WorkspaceId, ChangeSource.Sync, $"connection:{connection.IntegrationId}");
            return await services.GetRequiredService<SyncConnectionHandler>().HandleAsync(connection, type, accountId, trigger, CancellationToken.None);
        }, admin);
        await using var db = host.Database.Create(Actor.System(connection.WorkspaceId));
        return await db.SyncRuns.AsNoTracking().OrderByDescending(r => r.Id).FirstAsync();
    }

    internal static async Task<List<string>> SeedContactsAsync(BenchmarkHost host, Actor admin, int count)
    {
        await using var db = host.Database.Create(admin);
        var emails = Enumerable.Range(0, count).Select(i => $"contact{i}@customer{i % 97}.example").ToList();
        db.Contacts.AddRange(emails.Select((e, i) => new Contact { FirstName = $"Contact{i}", Email = e }));
        await db.SaveChangesAsync();
        return emails;
    }

    /// <summary>The rep's mailbox connected as the app connects it: consent, code, tokens stored encrypted.</summary>
    internal static async Task<(ConnectionRef Connection, string AccountId)> ConnectAsync(BenchmarkHost host, IOAuthProvider oauth, HttpClient browser, Actor admin, long adminId,
        string mailbox, string name, IntegrationType type = IntegrationType.Email)
    {
        var verifier = Pkce.NewVerifier();
        var redirect = $"http://127.0.0.1:5080/integrations/{oauth.Provider}/callback";
        var page = await browser.GetStringAsync(oauth.AuthorizeUrl(new OAuthStart("bench", Pkce.ChallengeOf(verifier), Pkce.Method), redirect, type));
        var fields = Field().Matches(page).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["account"] = mailbox;
        fields["decision"] = "grant";
        var answer = await browser.PostAsync(WebUtility.HtmlDecode(FormAction().Match(page).Groups[1].Value), new FormUrlEncodedContent(fields));
        var code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(answer.Headers.Location!.Query)["code"].ToString();
        var tokens = await oauth.ExchangeCodeAsync(code, redirect, verifier, CancellationToken.None);
        var account = await oauth.WhoAmIAsync(tokens, CancellationToken.None);
        var integrationId = await host.RunScopedAsync(async services =>
        {
            await using var db = await services.GetRequiredService<ICrmDbFactory>().CreateAsync();
            var integration = new Integration
            {
                Provider = oauth.Provider, Type = type, Name = name, AccountId = account.Id, AccountName = mailbox,
                OwnerUserId = adminId, ConnectedByUserId = adminId, Status = ConnectionStatus.Connected,
            };
            db.Integrations.Add(integration);
            await db.SaveChangesAsync();
            await services.GetRequiredService<IConnectionSecrets>().SaveAsync(integration.Id, new ConnectionSecrets(tokens.AccessToken, tokens.RefreshToken),
                DateTimeOffset.UtcNow.AddSeconds(tokens.ExpiresInSeconds ?? 3600));
            return integration.Id;
        }, admin);
        return (new ConnectionRef(admin.WorkspaceId, integrationId, oauth.Provider), account.Id);
    }

    /// <summary>What a seeded mailbox holds: how many should be logged, their Message-IDs, and every message's id at the provider.</summary>
    internal sealed record Seeded(int Expected, List<string> ExpectedMessageIds, List<string> ProviderIds);

    /// <summary>
    /// N real messages, one every 4 minutes back from now (Message-IDs named by <paramref name="prefix"/>), 8 posts at a
    /// time: 90% with the contacts (a third of those sent), 5% newsletters, 5% from strangers.
    /// </summary>
    internal static async Task<Seeded> SeedMailboxAsync(HttpClient http, List<string> contacts, int total, string mailbox, Func<byte[], bool, DateTimeOffset, string> path,
        string prefix = "bench", int seed = 7)
    {
        var random = new Random(seed);
        var providerIds = new string[total];
        var kinds = Enumerable.Range(0, total).Select(_ => random.NextDouble()).ToList();
        await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var message = new MimeMessage();
            var kind = kinds[i];
            var other = kind < 0.9 ? contacts[i % contacts.Count] : kind < 0.95 ? "news@letters.example" : $"stranger{i}@elsewhere.example";
            var sent = i % 3 == 0 && kind < 0.9;
            message.From.Add(MailboxAddress.Parse(sent ? mailbox : other));
            message.To.Add(MailboxAddress.Parse(sent ? other : mailbox));
            if (kind is >= 0.9 and < 0.95) message.Headers.Add("List-Unsubscribe", "<https://letters.example/u>");
            message.Subject = $"Message {i}";
            var at = DateTimeOffset.UtcNow.AddMinutes(-i * 4.0);
            message.Date = at;
            message.MessageId = $"{prefix}-{i}@mail.bench";
            message.Body = new BodyBuilder { TextBody = $"Hello, this is message {i}.", HtmlBody = $"<p>Hello, this is <b>message {i}</b>.</p>" }.ToMessageBody();
            using var raw = new MemoryStream();
            await message.WriteToAsync(raw, ct);
            using var response = await http.PostAsync(path(raw.ToArray(), sent, at), new ByteArrayContent(raw.ToArray()), ct);
            response.EnsureSuccessStatusCode();
            providerIds[i] = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("id").GetString()!;
        });
        var expected = Enumerable.Range(0, total).Where(i => kinds[i] < 0.9).Select(i => $"{prefix}-{i}@mail.bench").ToList();
        return new Seeded(expected.Count, expected, providerIds.ToList());
    }

    [GeneratedRegex("<input type=\"(?:hidden|email)\" (?:id=\"[a-z_]+\" )?name=\"([a-z_]+)\" value=\"([^\"]*)\"")]
    private static partial Regex Field();

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\"")]
    private static partial Regex FormAction();
}
