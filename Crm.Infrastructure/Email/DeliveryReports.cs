using System.Text;
using System.Text.RegularExpressions;
using Crm.Core.Email;
using MimeKit;

namespace Crm.Infrastructure.Email;

/// <summary>
/// Delivery-status notifications (RFC 3464, <c>multipart/report; report-type=delivery-status</c>) as Postfix, Exim,
/// Exchange and Gmail send them: the status code from the machine-readable part (even when a server base64-encodes its
/// fields), else from the human-readable text; the original from the returned message or its headers.
/// </summary>
public static partial class DeliveryReports
{
    public static BounceReport? Read(MimeMessage message)
    {
        if (message.Body is not MultipartReport report || !string.Equals(report.ReportType, "delivery-status", StringComparison.OrdinalIgnoreCase)) return null;
        string? status = null, recipient = null;
        foreach (var part in report.OfType<MimePart>().Where(p => p.ContentType.IsMimeType("message", "delivery-status") || p.ContentType.IsMimeType("message", "global-delivery-status")))
        {
            var text = Text(part);
            status ??= StatusField().Match(text) is { Success: true } s ? s.Groups[1].Value : null;
            recipient ??= RecipientField().Match(text) is { Success: true } r ? r.Groups[1].Value.Trim() : null;
        }
        if (report.OfType<MessageDeliveryStatus>().FirstOrDefault() is { } structured)
        {
            foreach (var group in structured.StatusGroups)
            {
                status ??= group["Status"]?.Trim();
                recipient ??= group["Final-Recipient"]?.Split(';').Last().Trim();
            }
            var raw = Text(structured);
            status ??= StatusField().Match(raw) is { Success: true } s ? s.Groups[1].Value : null;
        }
        // Last resort: the notification's own words ("said: 550 5.1.1 <…>: Recipient address rejected").
        status ??= report.OfType<TextPart>().Select(t => TextStatus().Match(t.Text ?? "")).FirstOrDefault(m => m.Success)?.Groups[1].Value;
        if (status is null || !Code().IsMatch(status)) return null;
        // message/rfc822 and text/rfc822-headers (a MessagePart too) alike.
        var original = report.OfType<MessagePart>().Select(p => p.Message?.MessageId).FirstOrDefault(id => id is not null)
                       ?? report.OfType<MimePart>().Where(p => p.ContentType.IsMimeType("text", "rfc822-headers"))
                           .Select(p => MessageIdField().Match(Text(p))).FirstOrDefault(m => m.Success)?.Groups[1].Value.Trim().Trim('<', '>');
        return new BounceReport(original, status, recipient);
    }

    /// <summary>A part's text; fields some servers send base64-encoded are decoded too.</summary>
    private static string Text(MimeEntity entity)
    {
        using var buffer = new MemoryStream();
        if (entity is MimePart part) part.Content?.DecodeTo(buffer);
        else entity.WriteTo(buffer);
        var text = Encoding.UTF8.GetString(buffer.ToArray());
        var decoded = new StringBuilder(text);
        foreach (Match block in Base64Block().Matches(text))
        {
            try
            {
                decoded.Append('\n').Append(Encoding.UTF8.GetString(Convert.FromBase64String(Regex.Replace(block.Value, @"\s", ""))));
            }
            catch (FormatException) { }
        }
        return decoded.ToString();
    }

    [GeneratedRegex(@"^Status:\s*([245]\.\d{1,3}\.\d{1,3})", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex StatusField();

    [GeneratedRegex(@"^Final-Recipient:\s*[^;]*;\s*(\S+)", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex RecipientField();

    [GeneratedRegex(@"\b[45]\d\d[ -]([45]\.\d{1,3}\.\d{1,3})\b")]
    private static partial Regex TextStatus();

    [GeneratedRegex(@"^[245]\.\d{1,3}\.\d{1,3}$")]
    private static partial Regex Code();

    [GeneratedRegex(@"^Message-ID:\s*(\S+)", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex MessageIdField();

    [GeneratedRegex(@"(?:^[A-Za-z0-9+/]{40,}={0,2}\r?\n?)+", RegexOptions.Multiline)]
    private static partial Regex Base64Block();
}
