using System.Net;
using System.Net.Http.Headers;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Email;
using Crm.Core.Timeline;
using Crm.Infrastructure.Persistence;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Crm.Tests.Web.Api;

/// <summary>The logging address over HTTP (a mail provider's inbound webhook) through the real pipeline.</summary>
public class InboundEmailApiTests : IAsyncLifetime
{
    private const string Secret = "inbound-secret-for-tests";
    private readonly CrmWebFactory _factory = new(new Dictionary<string, string> { ["Email:InboundSecret"] = Secret, ["Email:LoggingDomain"] = "log.crm.test" });
    private HttpClient _client = default!;
    private string _address = "";
    private long _ada;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _client = _factory.CreateClient();
        await using var db = Db(_factory.FirstWorkspaceId);
        var ada = new Contact { FirstName = "Ada", LastName = "Lovelace", Email = "ada@engines.example" };
        ((ICrmDb)db).Contacts.Add(ada);
        await db.SaveChangesAsync(Ct);
        _ada = ada.Id;
        _address = await _factory.Services.GetRequiredService<ILoggingAddresses>().AddressOfAsync(db, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private CrmDbContext Db(long workspaceId) => _factory.Services.GetRequiredService<CrmDatabase>().Create(Actor.System(workspaceId));

    private static MimeMessage Message(string from, string to, string subject, string body, string? bcc = null, string? messageId = null)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        if (bcc is not null) message.Bcc.Add(MailboxAddress.Parse(bcc));
        message.Subject = subject;
        message.Date = new DateTimeOffset(2026, 11, 28, 15, 30, 0, TimeSpan.Zero);
        message.MessageId = messageId ?? MimeKit.Utils.MimeUtils.GenerateMessageId("test.example");
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    private async Task<HttpResponseMessage> PostAsync(MimeMessage message, string? secret = Secret, string? to = null)
    {
        using var buffer = new MemoryStream();
        await message.WriteToAsync(buffer, Ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/email" + (to is null ? "" : "?to=" + Uri.EscapeDataString(to)))
        {
            Content = new ByteArrayContent(buffer.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue("message/rfc822") } },
        };
        if (secret is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return await _client.SendAsync(request, Ct);
    }

    private async Task<List<EmailActivity>> EmailsAsync(long workspaceId = 1)
    {
        await using var db = Db(workspaceId);
        return await ((ICrmDb)db).Activities.OfType<EmailActivity>().ToListAsync(Ct);
    }

    [Fact]
    public async Task Bcc_FromAUser_IsLoggedOnTheContact_AsTheirOutboundEmail_WithoutTheLoggingAddressAsAParticipant()
    {
        var response = await PostAsync(Message(CrmWebFactory.AdminEmail, "ada@engines.example", "Proposal", "Here it is.", bcc: _address), to: _address);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var email = Assert.Single(await EmailsAsync());
        Assert.Equal((_ada, ActivityDirection.Outbound, EmailProvider.LoggingAddress, "Proposal"), (email.ContactId, email.Direction, email.Provider, email.Subject));
        Assert.DoesNotContain(email.To.Concat(email.Cc), a => a.Contains("log.crm.test", StringComparison.Ordinal));
        Assert.False(await AnyContactAsync("log.crm.test"));
    }

    [Fact]
    public async Task WithoutTheSecret_OrWithAWrongOne_NothingIsRead()
    {
        var message = Message(CrmWebFactory.AdminEmail, "ada@engines.example", "Proposal", "x", bcc: _address);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(message, secret: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(message, secret: "wrong")).StatusCode);
        Assert.Empty(await EmailsAsync());
    }

    [Fact]
    public async Task AStrangersMail_IsRefused_Counted_AndLogsNothing()
    {
        var response = await PostAsync(Message("mallory@evil.example", _address, "Hello", "Log me"), to: _address);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("not a user", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(await EmailsAsync());
        await using var db = Db(1);
        var settings = await ((ICrmDb)db).EmailSettings.SingleAsync(Ct);
        Assert.Equal((1L, "mallory@evil.example"), (settings.RefusedCount, settings.LastRefusedFrom));
    }

    [Fact]
    public async Task AForwardWithTheOriginalAttached_LogsTheOriginal_NotTheForward()
    {
        var original = Message("Ada Lovelace <ada@engines.example>", CrmWebFactory.AdminEmail, "Pricing question", "What does it cost?", messageId: "orig-1@engines.example");
        var forward = new MimeMessage();
        forward.From.Add(MailboxAddress.Parse(CrmWebFactory.AdminEmail));
        forward.To.Add(MailboxAddress.Parse(_address));
        forward.Subject = "Fwd: Pricing question";
        forward.Body = new Multipart("mixed") { new TextPart("plain") { Text = "FYI" }, new MessagePart { Message = original } };

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(forward)).StatusCode);

        var email = Assert.Single(await EmailsAsync());
        Assert.Equal(("orig-1@engines.example", ActivityDirection.Inbound, "Pricing question", _ada), (email.MessageId, email.Direction, email.Subject, email.ContactId));
        Assert.Contains("ada@engines.example", email.From, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInlineGmailForward_LogsTheOriginalSenderSubjectAndText()
    {
        var forward = Message(CrmWebFactory.AdminEmail, _address, "Fwd: Delivery dates", """
            Logging this one.

            ---------- Forwarded message ---------
            From: Ada Lovelace <ada@engines.example>
            Date: Fri, Nov 27, 2026 at 4:05 PM
            Subject: Delivery dates
            To: Admin <admin@first.example>

            Can the engine ship in January?
            """);

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(forward)).StatusCode);

        var email = Assert.Single(await EmailsAsync());
        Assert.Equal(("Delivery dates", ActivityDirection.Inbound, _ada), (email.Subject, email.Direction, email.ContactId));
        Assert.Equal("Can the engine ship in January?", email.Body);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 16, 5, 0, TimeSpan.Zero), email.OccurredAt);
    }

    [Fact]
    public async Task MailForNoLoggingAddress_ARotatedOne_OrAnotherWorkspaces_IsNotLoggedHere()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(Message(CrmWebFactory.AdminEmail, "log-0000@log.crm.test", "x", "x"))).StatusCode);

        string rotated;
        await using (var db = Db(1)) rotated = await _factory.Services.GetRequiredService<ILoggingAddresses>().RotateAsync(db, Ct);
        Assert.NotEqual(_address, rotated);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(Message(CrmWebFactory.AdminEmail, _address, "x", "x", bcc: null), to: _address)).StatusCode);

        // Workspace 1's admin is nobody in workspace 2: refused there, nothing logged anywhere.
        var other = await _factory.CreateWorkspaceAsync("Other");
        string otherAddress;
        await using (var db = Db(other)) otherAddress = await _factory.Services.GetRequiredService<ILoggingAddresses>().AddressOfAsync(db, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(Message(CrmWebFactory.AdminEmail, "ada@engines.example", "x", "x", bcc: otherAddress), to: otherAddress)).StatusCode);
        Assert.Empty(await EmailsAsync(1));
        Assert.Empty(await EmailsAsync(other));
    }

    [Fact]
    public async Task AnOversizedOrEmptyPost_GetsAClearRefusal()
    {
        using var huge = new HttpRequestMessage(HttpMethod.Post, "/webhooks/email")
        {
            Content = new ByteArrayContent(new byte[EmailLimits.RawMessageBytes + 1]),
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Secret) },
        };
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await _client.SendAsync(huge, Ct)).StatusCode);

        using var empty = new HttpRequestMessage(HttpMethod.Post, "/webhooks/email")
        {
            Content = new ByteArrayContent([]), Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Secret) },
        };
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.SendAsync(empty, Ct)).StatusCode);
    }

    private async Task<bool> AnyContactAsync(string domain)
    {
        await using var db = Db(1);
        return await ((ICrmDb)db).Contacts.AnyAsync(c => c.Email!.EndsWith(domain), Ct);
    }
}
