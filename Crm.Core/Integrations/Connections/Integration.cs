using Crm.Core.Common;

namespace Crm.Core.Integrations.Connections;

/// <summary>What a connection is for (the seed's integration types).</summary>
public enum IntegrationType
{
    CrmSync = 0,
    Email = 1,
    Calendar = 2,
}

public enum IntegrationAuth
{
    OAuth = 0,
    /// <summary>A key or private-app token the admin pastes (HubSpot private apps).</summary>
    ApiKey = 1,
    /// <summary>An app-specific password (Apple iCloud over CalDAV).</summary>
    AppPassword = 2,
}

public enum ConnectionStatus
{
    Connected = 0,
    Syncing = 1,
    Error = 2,
    /// <summary>The provider refused our tokens (revoked consent, expired refresh token): its jobs wait for a reconnect.</summary>
    NeedsReconnect = 3,
    Disconnected = 4,
}

public enum SyncDirection
{
    Bidirectional = 0,
    InOnly = 1,
    OutOnly = 2,
}

/// <summary>The providers we connect to, by the short name stored with each connection.</summary>
public static class IntegrationProviders
{
    public const string HubSpot = "hubspot";
    public const string Salesforce = "salesforce";
    public const string Google = "google";
    public const string Microsoft = "microsoft";
    public const string CalDav = "caldav";
    public const string Pipedrive = "pipedrive";

    public static readonly IReadOnlyList<string> All = [HubSpot, Salesforce, Google, Microsoft, CalDav, Pipedrive];

    /// <summary>What each provider can be connected for.</summary>
    public static IReadOnlyList<IntegrationType> TypesOf(string provider) => provider switch
    {
        HubSpot or Salesforce or Pipedrive => [IntegrationType.CrmSync],
        Google or Microsoft => [IntegrationType.Email, IntegrationType.Calendar],
        CalDav => [IntegrationType.Calendar],
        _ => [],
    };

    /// <summary>CRM syncs belong to the workspace (one per provider); mailboxes and calendars to one user each.</summary>
    public static bool IsPersonal(IntegrationType type) => type is IntegrationType.Email or IntegrationType.Calendar;
}

/// <summary>
/// A connection to another system (the seed's <c>Integration</c>): what it is, whose it is, how it syncs and how it is
/// doing. Its secrets are not here: <see cref="IntegrationCredential"/> holds them encrypted, and no list or page reads them.
/// </summary>
public sealed class Integration : Entity, IWorkspaceOwned, ITimestamped
{
    public long WorkspaceId { get; set; }
    public string Provider { get; set; } = "";
    public IntegrationType Type { get; set; }
    public string Name { get; set; } = "";
    public bool IsActive { get; set; } = true;
    public IntegrationAuth Auth { get; set; }
    /// <summary>The user a mailbox or calendar belongs to; null for the workspace's CRM sync.</summary>
    public long? OwnerUserId { get; set; }
    public SyncDirection Direction { get; set; }
    public int SyncIntervalMinutes { get; set; } = 15;
    public DateTimeOffset? LastSyncAt { get; set; }
    public ConnectionStatus Status { get; set; }
    public string? ErrorMessage { get; set; }
    public int ErrorCount { get; set; }
    /// <summary>The account at the provider, as its "who am I" call names it (HubSpot portal and user, a mailbox address, a Salesforce org).</summary>
    public string? AccountName { get; set; }
    /// <summary>The provider's id of that account (HubSpot portal id, Salesforce org id): webhooks find the connection by it.</summary>
    public string? AccountId { get; set; }
    /// <summary>Where the account's API lives when it varies (Salesforce's instance URL).</summary>
    public string? InstanceUrl { get; set; }
    public string? Scopes { get; set; }
    public long? ConnectedByUserId { get; set; }
    public DateTimeOffset? ConnectedAt { get; set; }
    /// <summary>The provider's own daily allocation for this account when it publishes one (Salesforce's /limits), over the configured budget.</summary>
    public int? DailyCallLimit { get; set; }
    /// <summary>The account's plan as the provider prices its limits ("professional", "enterprise"); null for the default budget.</summary>
    public string? BudgetTier { get; set; }
    /// <summary>The connection's conflict rules as JSON (<see cref="Crm.Core.Sync.SyncRules"/>); null: the seed's defaults.</summary>
    public string? ConflictRules { get; set; }
    /// <summary>The connection's field mappings per object type as JSON (<see cref="Crm.Core.Sync.ConnectionMappings"/>); null: the provider's defaults.</summary>
    public string? Mappings { get; set; }
    /// <summary>An admin's corrections to the owner matching, as JSON {their owner id: our user id or null}; email matching fills the rest.</summary>
    public string? OwnerMap { get; set; }
    /// <summary>The user records take when their owner there maps to nobody here; null: the first admin.</summary>
    public long? FallbackOwnerUserId { get; set; }
    /// <summary>A run that would archive, delete or overwrite more than this share of synced records (in percent) stops and asks an admin.</summary>
    public int MassChangePercent { get; set; } = 10;
    /// <summary>What a stopped run would have done (<see cref="Crm.Core.Sync.HeldChange"/> as JSON) while it waits for an admin; null: nothing held.</summary>
    public string? HeldChange { get; set; }
    /// <summary>Set when an admin let a held change through: the next run goes ahead once, then this clears.</summary>
    public DateTimeOffset? MassChangeApprovedAt { get; set; }
    /// <summary>When an admin confirmed the first sync after its preview; until then runs only check the connection and write nothing.</summary>
    public DateTimeOffset? InitialSyncConfirmedAt { get; set; }
    /// <summary>Set while a person has paused its sync (its trigger stopped; Resume clears it).</summary>
    public DateTimeOffset? PausedAt { get; set; }
    /// <summary>A calendar connection's calendars and choices (<see cref="Crm.Core.Calendar.CalendarSettings"/> as JSON); null until first listed.</summary>
    public string? CalendarSettings { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A connection's secrets, encrypted with the app's Data Protection key ring before they are stored.</summary>
public sealed class IntegrationCredential : Entity, IWorkspaceOwned, ITimestamped
{
    public long WorkspaceId { get; set; }
    public long IntegrationId { get; set; }
    /// <summary><see cref="ConnectionSecrets"/> as JSON, protected (never readable without the key ring).</summary>
    public string Protected { get; set; } = "";
    /// <summary>When the access token expires (not secret: the refresh job looks for the ones about to).</summary>
    public DateTimeOffset? AccessTokenExpiresAt { get; set; }
    /// <summary>While set and in the future, one app instance is refreshing the tokens: the others wait and read its result.</summary>
    public DateTimeOffset? RefreshClaimedUntil { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>What a connection authenticates with. Never logged, shown, returned or exported.</summary>
public sealed record ConnectionSecrets(string? AccessToken = null, string? RefreshToken = null, string? ApiKey = null, string? Password = null)
{
    /// <summary>Kept out of logs and exception messages that print records.</summary>
    public override string ToString() => "ConnectionSecrets { *** }";
}

/// <summary>A connection's calls to its provider on one (UTC) day: what the budget shows and the 7-day chart draws.</summary>
public sealed class IntegrationUsage : Entity, IWorkspaceOwned
{
    public long WorkspaceId { get; set; }
    public long IntegrationId { get; set; }
    public DateOnly Day { get; set; }
    /// <summary>Requests sent (retries included: the provider counts them too).</summary>
    public int Calls { get; set; }
    /// <summary>Answers of 429 (the provider's limit hit despite the budget).</summary>
    public int Throttled { get; set; }
    /// <summary>Answers of 5xx or no answer at all.</summary>
    public int Failed { get; set; }
}
