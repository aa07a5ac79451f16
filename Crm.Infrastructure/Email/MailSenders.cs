using System.Net.Http.Json;
using System.Text;
using Crm.Core.Email;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Google;
using Crm.Core.Integrations.Graph;
using Crm.Core.Integrations.Tokens;
using Crm.Infrastructure.Email.Gmail;
using Crm.Infrastructure.Integrations.Calls;
using MimeKit;

namespace Crm.Infrastructure.Email;

/// <summary>An outgoing email as RFC 5322 (text and HTML alternatives, our Message-ID, the thread's headers).</summary>
public static class OutgoingMime
{
    public static MimeMessage Build(OutgoingEmail email)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(email.From.Name ?? "", email.From.Address));
        foreach (var to in email.To) message.To.Add(new MailboxAddress(to.Name ?? "", to.Address));
        foreach (var cc in email.Cc) message.Cc.Add(new MailboxAddress(cc.Name ?? "", cc.Address));
        message.Subject = email.Subject;
        message.Date = email.Date;
        message.MessageId = email.MessageId;
        if (email.InReplyTo is not null) message.InReplyTo = email.InReplyTo;
        foreach (var reference in email.References) message.References.Add(reference);
        message.Body = new BodyBuilder { TextBody = email.TextBody, HtmlBody = email.HtmlBody }.ToMessageBody();
        return message;
    }

    public static byte[] Bytes(OutgoingEmail email)
    {
        using var buffer = new MemoryStream();
        Build(email).WriteTo(buffer);
        return buffer.ToArray();
    }
}

/// <summary>Gmail's messages.send with the raw message (base64url) in the original's thread when replying (100 quota units).</summary>
public sealed class GmailSender(HttpClient http, GoogleAppSettings settings) : IMailSender
{
    public string Provider => IntegrationProviders.Google;

    public async Task<string> SendAsync(ConnectionRef mailbox, OutgoingEmail email, CancellationToken ct)
    {
        var raw = Convert.ToBase64String(OutgoingMime.Bytes(email)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.GmailApiUrl.TrimEnd('/') + "/messages/send")
        {
            Content = JsonContent.Create(email.ThreadId is null ? new Dictionary<string, string> { ["raw"] = raw } : new Dictionary<string, string> { ["raw"] = raw, ["threadId"] = email.ThreadId }),
        }.For(mailbox, units: 100);
        using var response = await ProviderResponses.SendAsync(http, request, "Gmail", ct);
        return (await ProviderResponses.ReadAsync<GmailMessageRef>(response, "Gmail", ct)).Id;
    }
}

/// <summary>Graph's sendMail with the MIME message (base64, text/plain), which keeps our Message-ID; saved to Sent Items.</summary>
public sealed class OutlookSender(IHttpClientFactory clients, MicrosoftAppSettings settings) : IMailSender
{
    public string Provider => IntegrationProviders.Microsoft;

    public async Task<string> SendAsync(ConnectionRef mailbox, OutgoingEmail email, CancellationToken ct)
    {
        var http = clients.CreateClient(Outlook.GraphMailClient.HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.GraphBaseUrl.TrimEnd('/') + "/me/sendMail")
        {
            Content = new StringContent(Convert.ToBase64String(OutgoingMime.Bytes(email)), Encoding.ASCII, "text/plain"),
        }.For(mailbox);
        using var response = await ProviderResponses.SendAsync(http, request, "Outlook", ct);
        if (!response.IsSuccessStatusCode) await ProviderResponses.ReadAsync<object>(response, "Outlook", ct);
        // Graph answers 202 without an id: the message is known by its Message-ID until the sync sees it in Sent Items.
        return email.MessageId;
    }
}
