using Crm.Core.Accounts;
using Crm.Core.ApiKeys;
using Crm.Core.Contacts;
using Crm.Core.CustomFields;
using Crm.Core.Deals;
using Crm.Core.History;
using Crm.Core.Timeline;
using Crm.Core.Users;
using Crm.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Common;

/// <summary>
/// The database as use cases see it: one unit of work for one actor. Every set is already limited to the
/// actor's workspace and hides soft-deleted rows; inserts are stamped with the workspace.
/// </summary>
public interface ICrmDb : IAsyncDisposable
{
    Actor Actor { get; }
    DbSet<Workspace> Workspaces { get; }
    DbSet<User> Users { get; }
    DbSet<Contact> Contacts { get; }
    DbSet<Account> Accounts { get; }
    DbSet<Pipeline> Pipelines { get; }
    DbSet<PipelineStage> PipelineStages { get; }
    DbSet<Deal> Deals { get; }
    DbSet<DealContact> DealContacts { get; }
    DbSet<Activity> Activities { get; }
    DbSet<ActivityLink> ActivityLinks { get; }
    DbSet<Email.EmailSettings> EmailSettings { get; }
    DbSet<Email.MailboxMessage> MailboxMessages { get; }
    DbSet<Email.EmailAttachment> EmailAttachments { get; }
    DbSet<Email.EmailTemplate> EmailTemplates { get; }
    DbSet<Calendar.CalendarEventLink> CalendarEventLinks { get; }
    DbSet<FieldChange> FieldChanges { get; }
    DbSet<ApiKey> ApiKeys { get; }
    DbSet<CustomFieldDefinition> CustomFieldDefinitions { get; }
    DbSet<Imports.ImportJob> ImportJobs { get; }
    DbSet<Imports.ImportRowError> ImportRowErrors { get; }
    DbSet<Imports.ImportChange> ImportChanges { get; }
    DbSet<Imports.ImportTemplate> ImportTemplates { get; }
    DbSet<Exports.ExportJob> ExportJobs { get; }
    DbSet<Exports.ExportFieldSet> ExportFieldSets { get; }
    DbSet<Duplicates.DuplicateCandidate> DuplicateCandidates { get; }
    DbSet<Duplicates.MergeRecord> MergeRecords { get; }
    DbSet<Integrations.SyncRecord> SyncRecords { get; }
    DbSet<Integrations.Connections.Integration> Integrations { get; }
    /// <summary>Encrypted; read and written through <see cref="Integrations.Connections.IConnectionSecrets"/>.</summary>
    DbSet<Integrations.Connections.IntegrationCredential> IntegrationCredentials { get; }
    DbSet<Integrations.Connections.IntegrationUsage> IntegrationUsage { get; }
    /// <summary>Written through <see cref="Integrations.Connections.IConnectionStatus"/> alone.</summary>
    DbSet<Integrations.Sync.SyncState> SyncStates { get; }
    DbSet<Integrations.Sync.SyncRun> SyncRuns { get; }
    DbSet<Sync.SyncConflict> SyncConflicts { get; }
    DbSet<Integrations.OAuth.OAuthState> OAuthStates { get; }
    /// <summary>Read only: runs are written by <see cref="Runs.IRunService"/> alone.</summary>
    DbSet<Runs.Run> Runs { get; }
    /// <summary>Written in the same save as the change they announce (the record-keeping interceptor).</summary>
    DbSet<Webhooks.OutboxEvent> OutboxEvents { get; }
    DbSet<Webhooks.WebhookSubscription> WebhookSubscriptions { get; }
    DbSet<Webhooks.WebhookDelivery> WebhookDeliveries { get; }
    DbSet<Webhooks.WebhookAttempt> WebhookAttempts { get; }
    Task<int> SaveChangesAsync(CancellationToken ct = default);

    /// <summary>
    /// One transaction around several saves: committed once (one disk flush instead of one per save); a save that fails
    /// inside it is undone alone (EF saves each to a savepoint).
    /// </summary>
    Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginTransactionAsync(CancellationToken ct = default);
}

/// <summary>Opens a unit of work for the current actor (request, circuit or job).</summary>
public interface ICrmDbFactory
{
    Task<ICrmDb> CreateAsync(CancellationToken ct = default);
}
