using System.Globalization;
using System.Text.RegularExpressions;
using Crm.Core.Email;
using MimeKit;

namespace Crm.Infrastructure.Email;

/// <summary>
/// The original inside a forward, so the logging address logs what the contact wrote, not the user's "Fwd:": an
/// attached <c>message/rfc822</c> (Outlook's "forward as attachment", Apple Mail's), else an inline forward as
/// Gmail ("---------- Forwarded message ---------"), Outlook ("-----Original Message-----" or "From: … Sent: …") and
/// Apple Mail ("Begin forwarded message:") write it. An inline forward carries no Message-ID: it gets a stable one
/// from its sender, date and subject.
/// </summary>
public static partial class ForwardedMail
{
    public static IncomingEmail? OriginalOf(MimeMessage forward)
    {
        var attached = forward.BodyParts.OfType<MessagePart>().Select(p => p.Message).FirstOrDefault(m => m is not null);
        if (attached is not null) return MimeEmails.ToIncoming(attached);
        return Inline(forward);
    }

    private static IncomingEmail? Inline(MimeMessage forward)
    {
        var text = forward.TextBody;
        if (string.IsNullOrEmpty(text) && forward.HtmlBody is { } html) text = new HtmlBodySanitizer().TextOf(html);
        if (string.IsNullOrEmpty(text)) return null;
        var marker = Marker().Match(text);
        if (!marker.Success) return null;

        var rest = text[(marker.Index + marker.Length)..].TrimStart('\r', '\n', ' ', '>');
        var lines = rest.Replace("\r\n", "\n").Split('\n');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        string? last = null;
        for (; i < lines.Length && i < 40; i++)
        {
            var line = lines[i].TrimStart('>', ' ').TrimEnd();
            if (line.Length == 0)
            {
                if (headers.Count > 0) break;
                continue;
            }
            var header = HeaderLine().Match(line);
            if (header.Success)
            {
                last = header.Groups[1].Value.Trim();
                headers[last] = header.Groups[2].Value.Trim();
            }
            else if (last is not null && headers.Count > 0 && (lines[i].StartsWith(' ') || lines[i].StartsWith('\t')))
            {
                headers[last] += " " + line.Trim();
            }
            else break;
        }
        if (!headers.TryGetValue("From", out var fromText)) return null;
        var from = ParseAddresses(fromText).FirstOrDefault();
        if (from is null) return null;
        var subject = headers.GetValueOrDefault("Subject") ?? StripForwardPrefix(forward.Subject ?? "");
        var date = ParseDate(headers.GetValueOrDefault("Date") ?? headers.GetValueOrDefault("Sent")) ?? forward.Date.ToUniversalTime();
        var body = string.Join("\n", lines.Skip(i).Select(l => l.StartsWith("> ", StringComparison.Ordinal) ? l[2..] : l)).Trim();
        var key = $"{from.Address}|{date.ToUniversalTime():yyyy-MM-ddTHH:mm}|{subject}";
        return new IncomingEmail
        {
            MessageId = $"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..32]}@forwarded.crm",
            From = from,
            To = ParseAddresses(headers.GetValueOrDefault("To") ?? ""),
            Cc = ParseAddresses(headers.GetValueOrDefault("Cc") ?? ""),
            Subject = subject,
            Date = date,
            TextBody = body,
        };
    }

    private static string StripForwardPrefix(string subject) => ForwardPrefix().Replace(subject, "").Trim();

    /// <summary>"Ada Lovelace &lt;ada@example.com&gt;, bob@example.com", or Outlook's "Lovelace, Ada [mailto:ada@example.com]".</summary>
    private static List<MailAddress> ParseAddresses(string text)
    {
        text = OutlookMailto().Replace(text, "<$1>");
        if (InternetAddressList.TryParse(new ParserOptions { AddressParserComplianceMode = RfcComplianceMode.Loose }, text, out var list))
            return MimeEmails.Addresses(list);
        return Bare().Matches(text).Select(m => new MailAddress(m.Value)).ToList();
    }

    private static readonly string[] DateFormats =
    [
        "ddd, MMM d, yyyy 'at' h:mm tt", "ddd, d MMM yyyy 'at' HH:mm", "dddd, MMMM d, yyyy h:mm tt", "dddd, d MMMM yyyy HH:mm",
        "MMMM d, yyyy 'at' h:mm:ss tt", "MMMM d, yyyy 'at' h:mm tt", "d MMMM yyyy 'at' HH:mm:ss", "yyyy-MM-dd HH:mm",
    ];

    private static DateTimeOffset? ParseDate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var clean = text.Replace('\u202f', ' ').Replace('\u00a0', ' ').Trim();
        if (MimeKit.Utils.DateUtils.TryParse(clean, out var rfc)) return rfc.ToUniversalTime();
        // Apple Mail ends with a zone ("GMT+1", "PST"): the wall time is what is kept when the zone is not understood.
        var zone = TrailingZone().Match(clean);
        var offset = TimeSpan.Zero;
        if (zone.Success)
        {
            clean = clean[..zone.Index].Trim();
            if (zone.Groups[1].Success) offset = TimeSpan.FromHours(int.Parse(zone.Groups[1].Value, CultureInfo.InvariantCulture));
        }
        return DateTime.TryParseExact(clean, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var local)
            ? new DateTimeOffset(local, offset).ToUniversalTime()
            : DateTimeOffset.TryParse(clean, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var any) ? any.ToUniversalTime() : null;
    }

    [GeneratedRegex(@"^[ >]*(?:-{5,}\s*Forwarded message\s*-{5,}|-{3,}\s*Original Message\s*-{3,}|Begin forwarded message:|_{10,}\s*(?=\r?\n\s*From:))", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex Marker();

    [GeneratedRegex(@"^\*?(From|To|Cc|Date|Sent|Subject|Reply-To)\*?:\s*(.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderLine();

    [GeneratedRegex(@"^\s*((?:fwd?|wg|tr|rv|enc)\s*:\s*)+", RegexOptions.IgnoreCase)]
    private static partial Regex ForwardPrefix();

    [GeneratedRegex(@"\[mailto:([^\]\s]+)\]", RegexOptions.IgnoreCase)]
    private static partial Regex OutlookMailto();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-']+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")]
    private static partial Regex Bare();

    [GeneratedRegex(@"\s+(?:GMT|UTC)([+-]\d{1,2})?(?::?\d{2})?$|\s+[A-Z]{3,4}$")]
    private static partial Regex TrailingZone();
}
