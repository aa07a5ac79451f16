using System.Net;
using System.Net.Sockets;
using Crm.Core.Contacts;
using Crm.Core.Email;
using Crm.Core.Timeline;
using Crm.Infrastructure.Email;
using Crm.Tests.TestSupport;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MimeKit;

namespace Crm.Tests.Infrastructure.Email;

/// <summary>The built-in SMTP listener, spoken to by a real SMTP client (MailKit), as a self-hosted mail server would.</summary>
public class SmtpListenerTests : IAsyncLifetime
{
    private readonly int _port = FreePort();
    private CrmTestHost _host = default!;
    private IHostedService _listener = default!;
    private TestWorkspace _ws = default!;
    private string _adminEmail = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _host = await CrmTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Email:Smtp:Enabled"] = "true", ["Email:Smtp:Port"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Email:LoggingDomain"] = "log.crm.test",
        });
        _ws = await _host.CreateWorkspaceAsync("Acme");
        await using var db = _host.Database.Create(_ws.Admin());
        _adminEmail = (await db.CrmUsers.SingleAsync(u => u.Id == _ws.AdminId, Ct)).Email;
        db.Contacts.Add(new Contact { FirstName = "Ada", Email = "ada@engines.example" });
        await db.SaveChangesAsync(Ct);
        _listener = _host.Resolve<IEnumerable<IHostedService>>().OfType<SmtpLoggingListener>().Single();
        await _listener.StartAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _listener.StopAsync(CancellationToken.None);
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task<string> AddressAsync()
    {
        await using var db = _host.Database.Create(_ws.Admin());
        return await _host.Resolve<ILoggingAddresses>().AddressOfAsync(db, Ct);
    }

    /// <summary>Delivers as the sender's mail server would: to this server, only the recipients at its domain (the envelope).</summary>
    private async Task SendAsync(MimeMessage message, string envelopeRecipient)
    {
        using var client = new SmtpClient();
        // The listener answers once the background service has bound its port.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await client.ConnectAsync("127.0.0.1", _port, SecureSocketOptions.None, Ct);
                break;
            }
            catch (SocketException) when (attempt < 50)
            {
                await Task.Delay(100, Ct);
            }
        }
        try
        {
            await client.SendAsync(message, message.From.Mailboxes.First(), [MailboxAddress.Parse(envelopeRecipient)], Ct);
        }
        finally
        {
            await client.DisconnectAsync(true, Ct);
        }
    }

    private MimeMessage Message(string from, string to, string? bcc)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        if (bcc is not null) message.Bcc.Add(MailboxAddress.Parse(bcc));
        message.Subject = "Quote";
        message.Body = new TextPart("plain") { Text = "Attached is the quote." };
        return message;
    }

    [Fact]
    public async Task AUsersBcc_OverSmtp_IsLogged()
    {
        var address = await AddressAsync();

        await SendAsync(Message(_adminEmail, "ada@engines.example", bcc: address), address);

        await using var db = _host.Database.Create(_ws.Admin());
        var email = await db.Activities.OfType<EmailActivity>().SingleAsync(Ct);
        Assert.Equal(("Quote", ActivityDirection.Outbound, EmailProvider.LoggingAddress), (email.Subject, email.Direction, email.Provider));
    }

    [Fact]
    public async Task AStrangersMail_IsRefusedWithA550_AndMailForOtherAddressesIsNotAccepted()
    {
        var address = await AddressAsync();

        var stranger = await Assert.ThrowsAsync<SmtpCommandException>(() => SendAsync(Message("mallory@evil.example", address, bcc: null), address));
        Assert.Equal(SmtpStatusCode.MailboxUnavailable, stranger.StatusCode);
        var relay = await Assert.ThrowsAsync<SmtpCommandException>(() => SendAsync(Message(_adminEmail, "someone@elsewhere.example", bcc: null), "someone@elsewhere.example"));
        Assert.Equal(SmtpErrorCode.RecipientNotAccepted, relay.ErrorCode);

        await using var db = _host.Database.Create(_ws.Admin());
        Assert.False(await db.Activities.OfType<EmailActivity>().AnyAsync(Ct));
        Assert.Equal(1, (await db.EmailSettings.SingleAsync(Ct)).RefusedCount);
    }
}
