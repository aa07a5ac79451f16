using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Crm.Tests.TestSupport;

/// <summary>
/// Radicale, a real CalDAV server (Debian's package, installed by scripts/test.sh), on a free loopback port with its own
/// storage and users (plain passwords in an htpasswd file), for the CalDAV tests; and what a CalDAV client would do to
/// put things in it (MKCALENDAR, PUT, DELETE, GET).
/// </summary>
public sealed class RadicaleServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private RadicaleServer(Process process, string directory, string url) => (_process, _directory, Url) = (process, directory, url);

    public string Url { get; }

    public static async Task<RadicaleServer> StartAsync(IReadOnlyDictionary<string, string> users, CancellationToken ct = default)
    {
        var directory = Directory.CreateTempSubdirectory("radicale-").FullName;
        await File.WriteAllLinesAsync(Path.Combine(directory, "users"), users.Select(u => $"{u.Key}:{u.Value}"), ct);
        var port = AppProcess.FreePort();
        var start = new ProcessStartInfo(Executable(),
        [
            "--server-hosts", $"127.0.0.1:{port}", "--storage-filesystem-folder", Path.Combine(directory, "data"),
            "--auth-type", "htpasswd", "--auth-htpasswd-filename", Path.Combine(directory, "users"), "--auth-htpasswd-encryption", "plain",
            "--logging-level", "warning",
        ]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Radicale did not start.");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var server = new RadicaleServer(process, directory, $"http://127.0.0.1:{port}");
        var (user, password) = users.First();
        using var http = server.ClientFor(user, password);
        for (var i = 0; i < 100; i++)
        {
            try
            {
                // Ready once it answers a signed-in PROPFIND (which also makes the user's principal collection).
                using var probe = new HttpRequestMessage(new HttpMethod("PROPFIND"), "/" + user + "/") { Headers = { { "Depth", "0" } } };
                using var response = await http.SendAsync(probe, ct);
                if ((int)response.StatusCode == 207) return server;
                await Task.Delay(100, ct);
            }
            catch (HttpRequestException) when (!process.HasExited)
            {
                await Task.Delay(100, ct);
            }
        }
        await server.DisposeAsync();
        throw new InvalidOperationException("Radicale did not answer.");
    }

    private static string Executable()
    {
        foreach (var candidate in new[] { "/usr/bin/radicale", "/usr/local/bin/radicale" })
            if (File.Exists(candidate)) return candidate;
        throw new InvalidOperationException("Radicale is not installed: run scripts/test.sh (it installs Debian's radicale) or apt-get install radicale.");
    }

    public HttpClient ClientFor(string user, string password)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    /// <summary>A calendar collection for events, as a client makes one (MKCALENDAR with a name).</summary>
    public static async Task MakeCalendarAsync(HttpClient client, string path, string name, CancellationToken ct = default)
    {
        var body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><c:mkcalendar xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\"><d:set><d:prop>"
                   + $"<d:displayname>{name}</d:displayname><c:supported-calendar-component-set><c:comp name=\"VEVENT\"/></c:supported-calendar-component-set>"
                   + "</d:prop></d:set></c:mkcalendar>";
        using var response = await WithRetriesAsync(() => client.SendAsync(
            new HttpRequestMessage(new HttpMethod("MKCALENDAR"), path) { Content = new StringContent(body, Encoding.UTF8, "application/xml") }, ct), ct);
        if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"MKCALENDAR {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
    }

    public static async Task PutAsync(HttpClient client, string path, string ics, CancellationToken ct = default)
    {
        using var response = await WithRetriesAsync(() => client.PutAsync(path, new StringContent(ics.ReplaceLineEndings("\r\n"), Encoding.UTF8, "text/calendar"), ct), ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"PUT {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
    }

    /// <summary>Radicale's threaded server now and then closes a connection mid-answer: the request is sent again (at most 3 times).</summary>
    private static async Task<HttpResponseMessage> WithRetriesAsync(Func<Task<HttpResponseMessage>> send, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await send();
            }
            catch (HttpRequestException) when (attempt < 3)
            {
                await Task.Delay(200 * attempt, ct);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
