using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Sandbox.OAuth;
using Crm.Tests.TestSupport;
using MimeKit;

namespace Crm.Tests.Sandbox;

/// <summary>The sandbox's Graph mail as Exchange behaves: 4 requests at once per mailbox, and the folder's message list with its filter and paging.</summary>
public class GraphMailSandboxTests : IAsyncLifetime
{
    private const string Mailbox = "kim@contoso.test";
    private SandboxServer _sandbox = default!;
    private HttpClient _http = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync();
        var token = _sandbox.Tokens["microsoft"].IssueAccess(new Grant(SandboxServer.MicrosoftClientId, Mailbox, ["Mail.Read"]), TimeSpan.FromHours(1), DateTimeOffset.UtcNow, "EwB");
        _http = new HttpClient { BaseAddress = new Uri(_sandbox.Url) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private async Task DeliverAsync(string subject, DateTimeOffset at)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("ada@engines.example"));
        message.To.Add(MailboxAddress.Parse(Mailbox));
        message.Subject = subject;
        message.Date = at;
        message.Body = new TextPart("plain") { Text = subject };
        using var raw = new MemoryStream();
        await message.WriteToAsync(raw, Ct);
        (await _http.PostAsync($"/_sandbox/microsoft/mail/{Mailbox}/messages?folder=inbox&receivedAt={Uri.EscapeDataString(at.ToString("O"))}", new ByteArrayContent(raw.ToArray()), Ct)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task AFifthRequestAtOnce_Gets429MailboxConcurrency_WithRetryAfter()
    {
        (await _http.PostAsync($"/_sandbox/microsoft/mail/{Mailbox}/latency?baseMs=600", null, Ct)).EnsureSuccessStatusCode();

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _http.GetAsync("/microsoft/graph/v1.0/me/mailFolders", Ct)));

        Assert.Equal(4, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        var refused = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.NotNull(refused.Headers.RetryAfter);
        var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error");
        Assert.Equal("ApplicationThrottled", error.GetProperty("code").GetString());
        Assert.Contains("MailboxConcurrency", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFoldersMessages_AreFilteredByReceivedTime_NewestFirst_InPagesOfTop()
    {
        var now = DateTimeOffset.UtcNow;
        for (var day = 1; day <= 5; day++) await DeliverAsync($"Day {day}", now.AddDays(-day));
        var from = now.AddDays(-4.5).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");
        var until = now.AddDays(-1.5).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");

        var url = $"/microsoft/graph/v1.0/me/mailFolders/inbox/messages?$filter={Uri.EscapeDataString($"receivedDateTime ge {from} and receivedDateTime lt {until}")}&$top=2&$select=subject";
        var subjects = new List<string>();
        var pages = 0;
        while (url is not null)
        {
            var page = JsonDocument.Parse(await _http.GetStringAsync(url, Ct)).RootElement;
            pages++;
            subjects.AddRange(page.GetProperty("value").EnumerateArray().Select(m => m.GetProperty("subject").GetString()!));
            url = page.TryGetProperty("@odata.nextLink", out var next) ? next.GetString() : null;
        }

        Assert.Equal(["Day 2", "Day 3", "Day 4"], subjects);
        Assert.Equal(2, pages);
        var bad = await _http.GetAsync("/microsoft/graph/v1.0/me/mailFolders/inbox/messages?$filter=subject eq 'x'", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync("/microsoft/graph/v1.0/me/mailFolders/inbox/messages?$top=1001", Ct)).StatusCode);
    }

    [Theory]
    [InlineData(true, HttpStatusCode.Created)]
    [InlineData(false, HttpStatusCode.BadRequest)]
    public async Task ASubscription_IsMadeOnlyWhenItsUrlEchoesTheValidationToken(bool echo, HttpStatusCode expected)
    {
        var url = $"http://127.0.0.1:{AppProcess.FreePort()}/hook/";
        using var listener = new HttpListener();
        listener.Prefixes.Add(url);
        listener.Start();
        var answering = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            var token = context.Request.QueryString["validationToken"] ?? "";
            context.Response.ContentType = "text/plain";
            var body = System.Text.Encoding.UTF8.GetBytes(echo ? token : "something else");
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }, Ct);

        var answer = await _http.PostAsync("/microsoft/graph/v1.0/subscriptions", JsonContent.Create(new
        {
            changeType = "created", notificationUrl = url, resource = "me/mailFolders('inbox')/messages",
            expirationDateTime = DateTimeOffset.UtcNow.AddDays(2), clientState = "a-secret",
        }), Ct);
        await answering;

        Assert.Equal(expected, answer.StatusCode);
        var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(Ct)).RootElement;
        if (echo) Assert.Equal("a-secret", body.GetProperty("clientState").GetString());
        else Assert.Contains("validation request failed", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        // Past Graph's 10,080 minutes for mail: refused before any handshake.
        var tooLong = await _http.PostAsync("/microsoft/graph/v1.0/subscriptions", JsonContent.Create(new
        {
            changeType = "created", notificationUrl = url, resource = "me/mailFolders('inbox')/messages", expirationDateTime = DateTimeOffset.UtcNow.AddDays(8),
        }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
    }

    [Fact]
    public async Task ADeltaChain_OverSeveralPages_ListsEveryMessageOnce_WithTheFirstRequestsSelect()
    {
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 25; i++) await DeliverAsync($"Message {i}", now.AddMinutes(-i));
        var since = now.AddDays(-90).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");
        string? url = $"/microsoft/graph/v1.0/me/mailFolders/inbox/messages/delta?$select=id&$filter={Uri.EscapeDataString($"receivedDateTime ge {since}")}";
        var ids = new List<string>();
        string? deltaLink = null;
        while (url is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add("Prefer", "odata.maxpagesize=10");
            var page = JsonDocument.Parse(await (await _http.SendAsync(request, Ct)).Content.ReadAsStringAsync(Ct)).RootElement;
            var value = page.GetProperty("value").EnumerateArray().ToList();
            ids.AddRange(value.Select(m => m.GetProperty("id").GetString()!));
            // The first request's $select holds on every page, as Graph encodes it in its links.
            Assert.All(value, m => Assert.False(m.TryGetProperty("subject", out _)));
            url = page.TryGetProperty("@odata.nextLink", out var next) ? next.GetString() : null;
            if (page.TryGetProperty("@odata.deltaLink", out var delta)) deltaLink = delta.GetString();
        }

        Assert.Equal(25, ids.Distinct().Count());
        Assert.Equal(25, ids.Count);
        Assert.NotNull(deltaLink);
    }
}
