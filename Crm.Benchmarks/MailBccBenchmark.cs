using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using MimeKit;

namespace Crm.Benchmarks;

/// <summary>
/// The logging address's HTTP path at volume: the app as it runs (its own process, the demo workspace on SQLite), and
/// N BCC'd messages — a user writing to one of the demo contacts, raw MIME as a mail provider's inbound webhook posts
/// it — from 8 senders at once. Each message's time is from posting to the answer, which comes after it is logged.
/// </summary>
public static class MailBccBenchmark
{
    private const string Secret = "benchmark-inbound-secret";
    private const int Senders = 8;

    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        var total = options.Messages;
        var root = WebhooksBenchmark.RepoRoot();
        var dll = Path.Combine(root, "Crm.Web", "bin", "Release", "net10.0", "Crm.Web.dll");
        if (!File.Exists(dll)) await WebhooksBenchmark.RunAsync("dotnet", ["build", Path.Combine(root, "Crm.Web"), "-c", "Release", "--nologo", "-v", "q"], root);
        var data = Path.Combine(Path.GetTempPath(), "crm-mail-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        var baseUrl = $"http://127.0.0.1:{WebhooksBenchmark.FreePort()}";
        using var app = WebhooksBenchmark.StartApp(dll, baseUrl, data, new Dictionary<string, string>
        {
            ["DemoData__Enabled"] = "true", ["Email__InboundSecret"] = Secret, ["Email__LoggingDomain"] = "log.bench.test",
        });
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Senders }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
            await WebhooksBenchmark.WaitReadyAsync(http, app);
            var (address, contacts, sender) = await PrepareAsync(http, data);
            Console.WriteLine($"{total:N0} messages from {sender} to {contacts.Count} demo contacts, BCC {address}");

            var messages = Enumerable.Range(0, total + 50).Select(i => Raw(i, sender, contacts[i % contacts.Count], address)).ToList();
            foreach (var warm in messages.Take(50)) await PostAsync(http, warm);
            var latencies = new ConcurrentBag<double>();
            long logged = 0, failed = 0;
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(messages.Skip(50), new ParallelOptions { MaxDegreeOfParallelism = Senders }, async (raw, ct) =>
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await PostAsync(http, raw, ct);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync(ct)).Contains("\"logged\"", StringComparison.Ordinal)) Interlocked.Increment(ref logged);
                else Interlocked.Increment(ref failed);
            });
            var seconds = clock.Elapsed.TotalSeconds;
            var stored = await CountAsync(data);
            var sorted = latencies.Order().ToArray();
            double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
            Console.WriteLine($"{total:N0} messages in {seconds:F1} s: {logged:N0} logged, {failed} failed; activities stored {stored:N0} (warm-up included); " +
                              $"latency p50 {P(0.5):F1} ms, p99 {P(0.99):F1} ms");
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["benchmark"] = "mail-bcc", ["messages"] = total, ["seconds"] = Math.Round(seconds, 2), ["messages_per_s"] = (int)(total / seconds),
                ["logged"] = logged, ["failed"] = failed, ["activities"] = stored - 50, ["p50_ms"] = Math.Round(P(0.5), 1), ["p99_ms"] = Math.Round(P(0.99), 1),
                ["targets"] = "messages_per_s >= 200, logged = messages, activities = messages",
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

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, byte[] raw, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/email")
        {
            Content = new ByteArrayContent(raw) { Headers = { ContentType = new MediaTypeHeaderValue("message/rfc822") } },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Secret);
        return await http.SendAsync(request, ct);
    }

    private static byte[] Raw(int i, string from, string to, string bcc)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Bcc.Add(MailboxAddress.Parse(bcc));
        message.Subject = $"Proposal {i}";
        message.Date = DateTimeOffset.UtcNow.AddMinutes(-i % 1000);
        message.MessageId = $"bench-{i}-{Guid.NewGuid():N}@mail.bench.test";
        message.Body = new BodyBuilder { TextBody = $"Hello,\n\nhere is proposal {i}.\n\nRegards", HtmlBody = $"<p>Hello,</p><p>here is <b>proposal {i}</b>.</p>" }.ToMessageBody();
        using var buffer = new MemoryStream();
        message.WriteTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>The workspace's logging address (through the API, with a key put in the database as the admin page would), its contacts and a user.</summary>
    private static async Task<(string Address, List<string> Contacts, string Sender)> PrepareAsync(HttpClient http, string data)
    {
        var (key, prefix, hash) = Crm.Core.ApiKeys.ApiKeyFormat.Generate();
        var database = new Crm.Infrastructure.Persistence.CrmDatabase(Crm.Infrastructure.Persistence.DatabaseProvider.Sqlite,
            Crm.Infrastructure.Persistence.CrmDatabase.SqliteConnectionString(data), TimeProvider.System);
        List<string> contacts;
        string sender;
        await using (var db = database.Create(Crm.Core.Common.Actor.System(1)))
        {
            db.ApiKeys.Add(new Crm.Core.ApiKeys.ApiKey { Name = "benchmark", Prefix = prefix, SecretHash = hash, Role = Crm.Core.Users.UserRole.Admin });
            await db.SaveChangesAsync();
            contacts = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.Contacts.Where(c => c.Email != null).OrderBy(c => c.Id).Select(c => c.Email!).Take(200));
            sender = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(db.CrmUsers.Where(u => u.Role == Crm.Core.Users.UserRole.Admin).Select(u => u.Email));
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/email/settings");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var address = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("loggingAddress").GetString()!;
        return (address, contacts, sender);
    }

    private static async Task<long> CountAsync(string data)
    {
        await using var connection = new SqliteConnection(Crm.Infrastructure.Persistence.CrmDatabase.SqliteConnectionString(data));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM \"Activities\" WHERE \"Kind\" = 'email' AND \"Provider\" = 3";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
