using Crm.Core.Common;

namespace Crm.Core.Webhooks;

/// <summary>
/// An endpoint that receives the workspace's events: its URL (checked against <see cref="WebhookTargets"/> when saved
/// and before every delivery), the event types it wants, and the secret its deliveries are signed with (Standard
/// Webhooks). A rotated secret keeps signing next to the new one until <see cref="PreviousSecretExpiresAt"/>, so a
/// receiver can switch without losing a delivery. Disabled by an admin, or by the delivery service after 3 days of
/// failures (<see cref="DisabledReason"/> says why).
/// </summary>
public sealed class WebhookSubscription : Entity, IWorkspaceOwned, ITimestamped
{
    public long WorkspaceId { get; set; }
    public string Url { get; set; } = "";
    public string? Description { get; set; }
    public List<string> EventTypes { get; set; } = [];
    public bool IsActive { get; set; } = true;
    public string? DisabledReason { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }
    /// <summary>Encrypted at rest (<see cref="IWebhookSecretProtector"/>); shown once, when created or rotated.</summary>
    public string ProtectedSecret { get; set; } = "";
    public string? ProtectedPreviousSecret { get; set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }
    /// <summary>
    /// The endpoint asked for a pause (429, or 503 with Retry-After): nothing is sent to it before this time — not only
    /// the throttled delivery, but every one waiting — so a rate-limited receiver is not hammered. Cleared by the first
    /// success after it ends.
    /// </summary>
    public DateTimeOffset? PausedUntil { get; set; }
    public string? PauseReason { get; set; }
    /// <summary>When the deliveries started failing without a success since; cleared by a success.</summary>
    public DateTimeOffset? FailingSince { get; set; }
    /// <summary>"api", "ui" or "zapier": who made it (a Zapier REST hook is removed by Zapier's unsubscribe).</summary>
    public string Source { get; set; } = WebhookSources.Api;
    public long? CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public bool Wants(string type) => IsActive && EventTypes.Contains(type);
}

public static class WebhookSources
{
    public const string Api = "api";
    public const string Ui = "ui";
    public const string Zapier = "zapier";
}

public static class WebhookLimits
{
    public const int UrlChars = 2000;
    public const int DescriptionChars = 500;
    public const int SubscriptionsPerWorkspace = 50;
    /// <summary>Of a response body, kept in the delivery log.</summary>
    public const int LoggedResponseBytes = 1024;
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromHours(24);
    /// <summary>A delivery failing this long is given up, and an endpoint failing this long is disabled.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(3);
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
}

/// <summary>Encrypts webhook secrets at rest (the Data Protection key ring in Infrastructure).</summary>
public interface IWebhookSecretProtector
{
    string Protect(string secret);
    string Unprotect(string protectedSecret);
}
