namespace Crm.Core.Timeline;

public enum EmailProvider
{
    Manual = 0,
    Gmail = 1,
    Outlook = 2,
    /// <summary>BCC'd or forwarded to the workspace's logging address.</summary>
    LoggingAddress = 3,
    /// <summary>Sent from the CRM.</summary>
    Crm = 4,
}

public enum BounceType
{
    Hard = 0,
    Soft = 1,
}

/// <summary>A logged email, shaped after the seed's EmailActivity model (provider ids and tracking included).</summary>
public sealed class EmailActivity : Activity
{
    public override ActivityType Type => ActivityType.Email;
    public string Subject { get; set; } = "";
    /// <summary>The plain-text body (or the HTML's text when the message had only HTML).</summary>
    public string? Body { get; set; }
    /// <summary>The HTML body, sanitised before it was stored (no scripts, handlers, remote styles or javascript: links).</summary>
    public string? HtmlBody { get; set; }
    /// <summary>RFC 5322 Message-ID without angle brackets: one activity per message in a workspace, however many copies arrive.</summary>
    public string? MessageId { get; set; }
    public string? InReplyTo { get; set; }
    /// <summary>The users whose mailbox (or logging address) had the message: they read its body whatever the workspace's setting.</summary>
    public List<long> MailboxUserIds { get; set; } = [];
    public int AttachmentCount { get; set; }
    public ActivityDirection Direction { get; set; }
    public string From { get; set; } = "";
    public List<string> To { get; set; } = [];
    public List<string> Cc { get; set; } = [];
    public EmailProvider Provider { get; set; }
    public string? ExternalId { get; set; }
    public string? ThreadId { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public DateTimeOffset? OpenedAt { get; set; }
    public int OpenCount { get; set; }
    public DateTimeOffset? LastOpenedAt { get; set; }
    /// <summary>Opens through Gmail's image proxy or Apple Mail Privacy Protection: they may be automatic, not a person reading.</summary>
    public int AutomaticOpenCount { get; set; }
    /// <summary>Sent from the CRM with a tracking pixel and tracked links (off per email on request).</summary>
    public bool Tracked { get; set; }
    public DateTimeOffset? ClickedAt { get; set; }
    public List<ClickedLink> ClickedLinks { get; set; } = [];
    public DateTimeOffset? RepliedAt { get; set; }
    public DateTimeOffset? BouncedAt { get; set; }
    public BounceType? BounceType { get; set; }
}

public sealed record ClickedLink(string Url, DateTimeOffset ClickedAt, int ClickCount);
