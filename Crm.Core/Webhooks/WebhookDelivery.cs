using Crm.Core.Common;

namespace Crm.Core.Webhooks;

public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its turn (<see cref="WebhookDelivery.NextAttemptAt"/>) or for an earlier event about the same record.</summary>
    Pending = 1,
    Delivered = 2,
    /// <summary>Given up: refused for good (a 4xx other than 408/429), retried for 3 days, or its endpoint was disabled.</summary>
    Failed = 3,
}

/// <summary>One event to one endpoint, at least once: retried with backoff until delivered or given up.</summary>
public sealed class WebhookDelivery : Entity, IWorkspaceOwned
{
    public long WorkspaceId { get; set; }
    public long SubscriptionId { get; set; }
    public long OutboxEventId { get; set; }
    public OutboxEvent? Event { get; set; }
    public string EventId { get; set; } = "";
    public string EventType { get; set; } = "";
    public string? RecordKey { get; set; }
    public WebhookDeliveryStatus Status { get; set; } = WebhookDeliveryStatus.Pending;
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? FirstFailedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
}

/// <summary>One request of a delivery, for the log: what was sent, what came back, how long it took.</summary>
public sealed class WebhookAttempt : Entity, IWorkspaceOwned
{
    public long WorkspaceId { get; set; }
    public long DeliveryId { get; set; }
    public long SubscriptionId { get; set; }
    public int Number { get; set; }
    public DateTimeOffset AttemptedAt { get; set; }
    public int DurationMs { get; set; }
    public int? StatusCode { get; set; }
    /// <summary>The first <see cref="WebhookLimits.LoggedResponseBytes"/> of the response body.</summary>
    public string? ResponseBody { get; set; }
    public string? Error { get; set; }
    /// <summary>The signed request body, as sent.</summary>
    public string RequestBody { get; set; } = "";
}
