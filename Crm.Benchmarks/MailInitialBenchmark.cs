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
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Crm.Benchmarks;

/// <summary>
/// The first sync of one Gmail mailbox of N messages (the sandbox as its own process, Gmail's per-user quota of 250
/// units a second enforced there; the CRM in this process): how much of the quota the sync uses (units spent over
/// 250 × seconds), whether Gmail had to refuse any call, the peak working set, and that every message was accounted for.
/// </summary>
public static partial class MailInitialBenchmark
{
    private const string ClientId = "crm-bench.apps.googleusercontent.com";
    private const string Secret = "benchmark-google-secret";
    private const string Mailbox = "rep@gmail.bench";
    /// <summary>Gmail's per-user quota (the sandbox enforces the same).</summary>
    private const double GmailQuotaUnitsPerSecond = 250;

    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        var total = options.Messages;
        var root = WebhooksBenchmark.RepoRoot();
        var dll = Path.Combine(root, "Crm.Sandbox", "bin", "Release", "net10.0", "Crm.Sandbox.dll");
        if (!File.Exists(dll)) await WebhooksBenchmark.RunAsync("dotnet", ["build", Path.Combine(root, "Crm.Sandbox"), "-c", "Release", "--nologo", "-v", "q"], root);
        var url = $"http://127.0.0.1:{WebhooksBenchmark.FreePort()}";
        using var sandbox = Process.Start(new ProcessStartInfo("dotnet", [dll, "--urls", url, "--Sandbox:Google:ClientId", ClientId, "--Sandbox:Google:ClientSecret", Secret,
            "--Logging:LogLevel:Default", "Warning"]) { WorkingDirectory = Path.GetDirectoryName(dll)!, UseShellExecute = false, RedirectStandardOutput = true })!;
        sandbox.OutputDataReceived += (_, _) => { };
        sandbox.BeginOutputReadLine();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
        try
        {
            await BudgetBenchmark.WaitReadyAsync(http, sandbox);
            await using var host = await BenchmarkHost.StartAsync(null, settings: new Dictionary<string, string?>
            {
                ["Integrations:Google:ClientId"] = ClientId, ["Integrations:Google:ClientSecret"] = Secret,
                ["Integrations:Google:AuthorizeUrl"] = url + "/google/o/oauth2/v2/auth", ["Integrations:Google:TokenUrl"] = url + "/google/token",
                ["Integrations:Google:UserInfoUrl"] = url + "/google/v1/userinfo", ["Integrations:Google:GmailApiUrl"] = url + "/google/gmail/v1/users/me",
            });
            var (workspaceId, adminId) = await host.CreateWorkspaceAsync();
            var admin = await host.AdminOfAsync(workspaceId);
            var contacts = await SeedContactsAsync(host, admin, 1_000);
            var (connection, accountId) = await ConnectAsync(host, http, admin, adminId);

            Console.WriteLine($"Seeding {total:N0} messages into {Mailbox} (90% from 1,000 contacts, 5% newsletters, 5% from strangers)…");
            var expectedLogged = await SeedMailboxAsync(http, contacts, total);

            var before = JsonDocument.Parse(await http.GetStringAsync($"/_sandbox/google/gmail/{Mailbox}/stats")).RootElement.GetProperty("unitsSpent").GetInt64();
            var clock = Stopwatch.StartNew();
            await host.RunScopedAsync(async services =>
            {
                services.GetRequiredService<ExplicitActor>().Value = Actor.System(workspaceId, ChangeSource.Sync, $"connection:{connection.IntegrationId}");
                return await services.GetRequiredService<SyncConnectionHandler>().HandleAsync(connection, IntegrationType.Email, accountId, "manual", CancellationToken.None);
            }, admin);
            var seconds = clock.Elapsed.TotalSeconds;
            var stats = JsonDocument.Parse(await http.GetStringAsync($"/_sandbox/google/gmail/{Mailbox}/stats")).RootElement;
            var units = stats.GetProperty("unitsSpent").GetInt64() - before;
            var refused = stats.GetProperty("refusedForQuota").GetInt64();

            await using var db = host.Database.Create(Actor.System(workspaceId));
            var logged = await db.Activities.OfType<Crm.Core.Timeline.EmailActivity>().CountAsync();
            var seen = await db.MailboxMessages.CountAsync();
            var run = await db.SyncRuns.OrderByDescending(r => r.Id).FirstAsync();
            var utilisation = units / (GmailQuotaUnitsPerSecond * seconds);
            var peak = Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024;
            Console.WriteLine($"{total:N0} messages in {seconds:F1} s ({total / seconds:F1} messages/s): {units:N0} quota units = {utilisation:P1} of 250 units/s; " +
                              $"{refused} calls refused for quota; {logged:N0} logged ({expectedLogged:N0} expected), {seen:N0} accounted for; run {run.Outcome}; peak {peak} MB");
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["benchmark"] = "mail-initial", ["messages"] = total, ["seconds"] = Math.Round(seconds, 1), ["quota_units"] = units,
                ["quota_utilisation"] = Math.Round(utilisation, 3), ["refused_for_quota"] = refused, ["logged"] = logged, ["expected_logged"] = expectedLogged,
                ["accounted_for"] = seen, ["peak_working_set_mb"] = peak,
                ["targets"] = "quota_utilisation >= 0.9, peak_working_set_mb <= 512, logged = expected_logged, accounted_for = messages",
            }));
            return 0;
        }
        finally
        {
            if (!sandbox.HasExited) sandbox.Kill(entireProcessTree: true);
        }
    }

    private static async Task<List<string>> SeedContactsAsync(BenchmarkHost host, Actor admin, int count)
    {
        await using var db = host.Database.Create(admin);
        var emails = Enumerable.Range(0, count).Select(i => $"contact{i}@customer{i % 97}.example").ToList();
        db.Contacts.AddRange(emails.Select((e, i) => new Contact { FirstName = $"Contact{i}", Email = e }));
        await db.SaveChangesAsync();
        return emails;
    }

    /// <summary>The rep's Gmail connected as the app connects it: consent, code, tokens stored encrypted.</summary>
    private static async Task<(ConnectionRef Connection, string AccountId)> ConnectAsync(BenchmarkHost host, HttpClient browser, Actor admin, long adminId)
    {
        var oauth = host.Resolve<GoogleOAuthClient>();
        var verifier = Pkce.NewVerifier();
        const string redirect = "http://127.0.0.1:5080/integrations/google/callback";
        var page = await browser.GetStringAsync(oauth.AuthorizeUrl(new OAuthStart("bench", Pkce.ChallengeOf(verifier), Pkce.Method), redirect, IntegrationType.Email));
        var fields = Field().Matches(page).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["account"] = Mailbox;
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
                Provider = IntegrationProviders.Google, Type = IntegrationType.Email, Name = "Gmail", AccountId = account.Id, AccountName = Mailbox,
                OwnerUserId = adminId, ConnectedByUserId = adminId, Status = ConnectionStatus.Connected,
            };
            db.Integrations.Add(integration);
            await db.SaveChangesAsync();
            await services.GetRequiredService<IConnectionSecrets>().SaveAsync(integration.Id, new ConnectionSecrets(tokens.AccessToken, tokens.RefreshToken),
                DateTimeOffset.UtcNow.AddSeconds(tokens.ExpiresInSeconds ?? 3600));
            return integration.Id;
        }, admin);
        return (new ConnectionRef(admin.WorkspaceId, integrationId, IntegrationProviders.Google), account.Id);
    }

    /// <summary>N real messages over the last 60 days, 8 posts at a time; returns how many should be logged.</summary>
    private static async Task<int> SeedMailboxAsync(HttpClient http, List<string> contacts, int total)
    {
        var random = new Random(7);
        var kinds = Enumerable.Range(0, total).Select(_ => random.NextDouble()).ToList();
        await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var message = new MimeMessage();
            var kind = kinds[i];
            var other = kind < 0.9 ? contacts[i % contacts.Count] : kind < 0.95 ? "news@letters.example" : $"stranger{i}@elsewhere.example";
            var sent = i % 3 == 0 && kind < 0.9;
            message.From.Add(MailboxAddress.Parse(sent ? Mailbox : other));
            message.To.Add(MailboxAddress.Parse(sent ? other : Mailbox));
            if (kind is >= 0.9 and < 0.95) message.Headers.Add("List-Unsubscribe", "<https://letters.example/u>");
            message.Subject = $"Message {i}";
            var at = DateTimeOffset.UtcNow.AddMinutes(-i * 4.0);
            message.Date = at;
            message.MessageId = $"bench-{i}@mail.bench";
            message.Body = new BodyBuilder { TextBody = $"Hello, this is message {i}.", HtmlBody = $"<p>Hello, this is <b>message {i}</b>.</p>" }.ToMessageBody();
            using var raw = new MemoryStream();
            await message.WriteToAsync(raw, ct);
            using var response = await http.PostAsync($"/_sandbox/google/gmail/{Mailbox}/messages?labels={(sent ? "SENT" : "INBOX")}&internalDate={at.ToUnixTimeMilliseconds()}",
                new ByteArrayContent(raw.ToArray()), ct);
            response.EnsureSuccessStatusCode();
        });
        return kinds.Count(k => k < 0.9);
    }

    [GeneratedRegex("<input type=\"(?:hidden|email)\" (?:id=\"[a-z_]+\" )?name=\"([a-z_]+)\" value=\"([^\"]*)\"")]
    private static partial Regex Field();

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\"")]
    private static partial Regex FormAction();
}
