namespace Crm.Core.Timeline;

public enum EmailProvider
{
    Manual = 0,
    Gmail = 1,
    Outlook = 2,
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
    public string? Body { get; set; }
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
    public DateTimeOffset? ClickedAt { get; set; }
    public List<ClickedLink> ClickedLinks { get; set; } = [];
    public DateTimeOffset? RepliedAt { get; set; }
    public DateTimeOffset? BouncedAt { get; set; }
    public BounceType? BounceType { get; set; }
}

public sealed record ClickedLink(string Url, DateTimeOffset ClickedAt, int ClickCount);
