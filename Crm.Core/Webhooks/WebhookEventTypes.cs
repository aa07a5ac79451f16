namespace Crm.Core.Webhooks;

/// <summary>The events a webhook subscription can ask for, named as Stripe and HubSpot name theirs: object.action.</summary>
public static class WebhookEventTypes
{
    public const string ContactCreated = "contact.created";
    public const string ContactUpdated = "contact.updated";
    public const string ContactDeleted = "contact.deleted";
    public const string ContactRestored = "contact.restored";
    public const string ContactMerged = "contact.merged";
    public const string AccountCreated = "account.created";
    public const string AccountUpdated = "account.updated";
    public const string AccountDeleted = "account.deleted";
    public const string AccountRestored = "account.restored";
    public const string AccountMerged = "account.merged";
    public const string DealCreated = "deal.created";
    public const string DealUpdated = "deal.updated";
    public const string DealDeleted = "deal.deleted";
    public const string DealRestored = "deal.restored";
    public const string DealStageChanged = "deal.stage_changed";
    public const string ActivityLogged = "activity.logged";
    public const string ImportCompleted = "import.completed";
    public const string ImportRolledBack = "import.rolled_back";
    public const string ExportReady = "export.ready";
    public const string ConnectionNeedsReconnect = "connection.needs_reconnect";
    /// <summary>Sent by "Send test event" only; every subscription receives it when asked, whatever it subscribed to.</summary>
    public const string Test = "webhook.test";

    public static readonly IReadOnlyList<string> All =
    [
        ContactCreated, ContactUpdated, ContactDeleted, ContactRestored, ContactMerged,
        AccountCreated, AccountUpdated, AccountDeleted, AccountRestored, AccountMerged,
        DealCreated, DealUpdated, DealDeleted, DealRestored, DealStageChanged,
        ActivityLogged, ImportCompleted, ImportRolledBack, ExportReady, ConnectionNeedsReconnect,
    ];

    private static readonly HashSet<string> Known = new(All, StringComparer.Ordinal);

    public static bool IsKnown(string type) => Known.Contains(type);
}
