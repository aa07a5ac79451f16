namespace Crm.Core.Integrations.Webhooks;

/// <summary>The inbox table: stores verified events once each.</summary>
public interface IWebhookInbox
{
    /// <summary>Stores the events not stored before (by provider and event id), in one transaction; says how many were new.</summary>
    Task<int> StoreAsync(IReadOnlyList<WebhookEvent> events, CancellationToken ct);
}
