using System.Buffers;
using Crm.Core.Email;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Crm.Infrastructure.Email;

/// <summary>
/// The built-in SMTP listener for self-hosting (Email:Smtp:Enabled, off by default): accepts mail only for the
/// logging domain's addresses, at most <see cref="EmailLimits.RawMessageBytes"/>, and hands each message to
/// <see cref="ReceiveLoggedMailHandler"/> — the same path as the HTTP inbound webhook. A refused sender gets a 550.
/// </summary>
public sealed class SmtpLoggingListener(IOptions<EmailOptions> options, ReceiveLoggedMailHandler receiver, ILoggingAddresses addresses,
    ILogger<SmtpLoggingListener> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var smtp = options.Value.Smtp;
        if (!smtp.Enabled) return;
        var serverOptions = new SmtpServerOptionsBuilder()
            .ServerName(smtp.ServerName)
            .Endpoint(b => b.Port(smtp.Port).SessionTimeout(TimeSpan.FromMinutes(2)))
            .MaxMessageSize(EmailLimits.RawMessageBytes, MaxMessageSizeHandling.Strict)
            .CommandWaitTimeout(TimeSpan.FromMinutes(1))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(receiver, log));
        services.Add(new Filter(addresses));
        var server = new SmtpServer.SmtpServer(serverOptions, services);
        log.LogInformation("SMTP listener for the logging domain {Domain} on port {Port}", addresses.Domain, smtp.Port);
        await server.StartAsync(stoppingToken);
    }

    private sealed class Filter(ILoggingAddresses addresses) : MailboxFilter
    {
        public override Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(addresses.IsLoggingAddress(to.AsAddress()));
    }

    private sealed class Store(ReceiveLoggedMailHandler receiver, ILogger log) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            try
            {
                await using var stream = new MemoryStream(buffer.ToArray(), writable: false);
                var result = await receiver.HandleAsync(stream, transaction.To.Select(m => m.AsAddress()).ToList(), cancellationToken);
                return result.Outcome switch
                {
                    InboundMailOutcome.Logged or InboundMailOutcome.Skipped => SmtpResponse.Ok,
                    InboundMailOutcome.Unreadable => new SmtpResponse(SmtpReplyCode.SyntaxError, result.Message),
                    _ => new SmtpResponse(SmtpReplyCode.MailboxUnavailable, result.Message),
                };
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A temporary failure: the sending server keeps the message and tries again.
                log.LogError(e, "A message for the logging address could not be stored");
                return new SmtpResponse(SmtpReplyCode.TransactionFailed, "Temporarily unable to store the message; try again later.");
            }
        }
    }
}
