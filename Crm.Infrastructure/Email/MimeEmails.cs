using System.Security.Cryptography;
using System.Text;
using Crm.Core.Email;
using MimeKit;

namespace Crm.Infrastructure.Email;

/// <summary>
/// RFC 5322 messages (raw MIME from Gmail's <c>format=raw</c>, a mail provider's inbound webhook or the SMTP listener)
/// read with MimeKit into what logging needs, within <see cref="EmailLimits"/>.
/// </summary>
public static class MimeEmails
{
    public static async Task<MimeMessage> LoadAsync(Stream raw, CancellationToken ct)
    {
        var options = new ParserOptions { MaxMimeDepth = 32, AddressParserComplianceMode = RfcComplianceMode.Loose, ParameterComplianceMode = RfcComplianceMode.Loose };
        return await MimeMessage.LoadAsync(options, raw, ct);
    }

    public static IncomingEmail ToIncoming(MimeMessage message, string? threadId = null)
    {
        var messageId = message.MessageId is { Length: > 0 } id ? id : SyntheticId(message);
        var attachments = new List<IncomingAttachment>();
        foreach (var part in message.Attachments.Take(EmailLimits.Attachments))
        {
            if (part is MimePart mime)
            {
                var content = ReadContent(mime, out var size);
                attachments.Add(new IncomingAttachment(mime.FileName ?? "attachment", mime.ContentType.MimeType, size, content));
            }
            else if (part is MessagePart embedded)
            {
                using var buffer = new MemoryStream();
                embedded.Message?.WriteTo(buffer);
                var name = (embedded.Message?.Subject is { Length: > 0 } s ? s : "message") + ".eml";
                attachments.Add(new IncomingAttachment(name, "message/rfc822", buffer.Length, buffer.Length <= EmailLimits.AttachmentBytes ? buffer.ToArray() : null));
            }
        }
        return new IncomingEmail
        {
            MessageId = messageId,
            From = Addresses(message.From).FirstOrDefault() ?? Addresses(message.Sender is null ? [] : new InternetAddressList([message.Sender])).FirstOrDefault(),
            To = Addresses(message.To),
            Cc = Addresses(message.Cc),
            Bcc = Addresses(message.Bcc),
            Subject = message.Subject ?? "",
            Date = message.Date == DateTimeOffset.MinValue ? default : message.Date.ToUniversalTime(),
            TextBody = message.TextBody,
            HtmlBody = message.HtmlBody,
            InReplyTo = message.InReplyTo,
            References = message.References.ToList(),
            ThreadId = threadId,
            IsBulk = IsBulk(message),
            Attachments = attachments,
            Bounce = DeliveryReports.Read(message),
        };
    }

    /// <summary>Newsletters and automatic mail: List-Unsubscribe / List-Id, or Precedence bulk, list or junk.</summary>
    public static bool IsBulk(MimeMessage message)
    {
        var headers = message.Headers;
        if (headers.Contains("List-Unsubscribe") || headers.Contains("List-Id")) return true;
        var precedence = headers["Precedence"]?.Trim().ToLowerInvariant();
        return precedence is "bulk" or "list" or "junk";
    }

    public static List<MailAddress> Addresses(InternetAddressList list) =>
        list.Mailboxes.Where(m => m.Address is { Length: > 0 }).Take(EmailLimits.Recipients)
            .Select(m => new MailAddress(m.Address.Trim(), string.IsNullOrWhiteSpace(m.Name) ? null : m.Name.Trim())).ToList();

    /// <summary>
    /// A message without a Message-ID (rare, but some tools send them) still gets one stable id from what makes it
    /// itself, so its copies are still one activity.
    /// </summary>
    public static string SyntheticId(MimeMessage message)
    {
        var key = $"{message.From}|{string.Join(",", message.To.Mailboxes.Select(m => m.Address))}|{message.Date.ToUniversalTime():O}|{message.Subject}";
        return $"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32]}@no-message-id.crm";
    }

    private static byte[]? ReadContent(MimePart part, out long size)
    {
        using var buffer = new LimitedStream(EmailLimits.AttachmentBytes);
        try
        {
            part.Content?.DecodeTo(buffer);
            size = buffer.Length;
            return buffer.ToArray();
        }
        catch (LimitedStream.TooLargeException)
        {
            // Counted to the end for its size, not kept.
            using var counter = new CountingStream();
            part.Content?.DecodeTo(counter);
            size = counter.Length;
            return null;
        }
    }

    /// <summary>A memory buffer that refuses to grow past its limit.</summary>
    private sealed class LimitedStream(int limit) : MemoryStream
    {
        public sealed class TooLargeException : Exception;

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Length + count > limit) throw new TooLargeException();
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Length + buffer.Length > limit) throw new TooLargeException();
            base.Write(buffer);
        }
    }

    private sealed class CountingStream : Stream
    {
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
    }
}
