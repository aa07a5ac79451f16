using Crm.Core.Common;

namespace Crm.Core.Integrations.Webhooks;

public enum WebhookEventStatus
{
    /// <summary>Verified and stored; waiting for the inbox job.</summary>
    Received = 0,
    Processed = 1,
    /// <summary>Processing failed; tried again by the inbox job.</summary>
    Failed = 2,
    /// <summary>No connection of ours wants it (e.g. a portal nobody connects any more).</summary>
    Ignored = 3,
}

/// <summary>
/// One event a provider delivered, verified and stored before the delivery is answered, exactly as it came (its JSON),
/// once: the provider's own event id is unique per provider, so a redelivery stores nothing. It belongs to no workspace
/// until the inbox job finds the connection it is for (HubSpot signs with the app's secret, not a workspace's).
/// </summary>
public sealed class WebhookEvent : Entity
{
    public string Provider { get; set; } = "";
    public string EventId { get; set; } = "";
    /// <summary>The provider's account the event is about (HubSpot's portal id), to find the connection.</summary>
    public string? Account { get; set; }
    /// <summary>What happened, in the provider's words ("contact.propertyChange").</summary>
    public string? Type { get; set; }
    public string Payload { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
    public WebhookEventStatus Status { get; set; }
    public long? WorkspaceId { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}

public static class WebhookLimits
{
    /// <summary>A delivery's body: HubSpot sends at most 100 events of well under 1 KB each.</summary>
    public const int MaxBodyBytes = 256 * 1024;
    public const int MaxEventsPerDelivery = 100;
    public const int MaxEventBytes = 16 * 1024;
    public const int MaxEventId = 200;
}
