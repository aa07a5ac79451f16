namespace Crm.Core.Email;

/// <summary>An address as a message names it: "Ada Lovelace &lt;ada@example.com&gt;".</summary>
public sealed record MailAddress(string Address, string? Name = null)
{
    public override string ToString() => Name is { Length: > 0 } ? $"{Name} <{Address}>" : Address;
}

/// <summary>
/// A delivery-status notification (RFC 3464) about an email we sent: which one (its Message-ID, from the returned
/// message or its headers), the recipient, and the status — 5.x.x a hard bounce, 4.x.x a soft one.
/// </summary>
public sealed record BounceReport(string? OriginalMessageId, string Status, string? Recipient)
{
    public Timeline.BounceType Type => Status.StartsWith('5') ? Timeline.BounceType.Hard : Timeline.BounceType.Soft;
}

/// <summary>An attachment as the message carries it; the content is kept only up to <see cref="EmailLimits.AttachmentBytes"/>.</summary>
public sealed record IncomingAttachment(string FileName, string ContentType, long Size, byte[]? Content);

/// <summary>
/// One email message, whatever brought it (Gmail, Outlook, the logging address): what logging needs of it, already
/// parsed. <see cref="MessageId"/> (RFC 5322, without angle brackets) is what makes two copies one activity.
/// </summary>
public sealed record IncomingEmail
{
    public required string MessageId { get; init; }
    public MailAddress? From { get; init; }
    public IReadOnlyList<MailAddress> To { get; init; } = [];
    public IReadOnlyList<MailAddress> Cc { get; init; } = [];
    /// <summary>Known only for mail the mailbox sent (its own copy keeps the Bcc header).</summary>
    public IReadOnlyList<MailAddress> Bcc { get; init; } = [];
    public string Subject { get; init; } = "";
    public DateTimeOffset Date { get; init; }
    public string? TextBody { get; init; }
    /// <summary>As received: sanitised before it is stored.</summary>
    public string? HtmlBody { get; init; }
    public string? InReplyTo { get; init; }
    public IReadOnlyList<string> References { get; init; } = [];
    /// <summary>The provider's thread (Gmail's threadId, Outlook's conversationId); else the first reference.</summary>
    public string? ThreadId { get; init; }
    /// <summary>A List-Unsubscribe header, or Precedence bulk / list / junk: newsletters and notifications.</summary>
    public bool IsBulk { get; init; }
    public IReadOnlyList<IncomingAttachment> Attachments { get; init; } = [];
    /// <summary>Set when the message is a delivery-status report: it marks the email it is about instead of being logged.</summary>
    public BounceReport? Bounce { get; init; }

    public IEnumerable<MailAddress> Participants =>
        (From is null ? [] : new[] { From }).Concat(To).Concat(Cc).Concat(Bcc);
}

public static class EmailLimits
{
    /// <summary>A raw message larger than this is refused (25 MB of attachments, as Gmail and Outlook send, fits encoded).</summary>
    public const int RawMessageBytes = 28 * 1024 * 1024;
    /// <summary>Attachments above this are listed by name and size but not kept.</summary>
    public const int AttachmentBytes = 10 * 1024 * 1024;
    public const int Attachments = 50;
    /// <summary>Bodies are cut here (the text says so): a timeline is not an archive of every newsletter.</summary>
    public const int BodyChars = 200_000;
    public const int Recipients = 200;
    public const int SubjectChars = 1_000;
}
