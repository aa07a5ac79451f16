using System.Linq.Expressions;
using Crm.Core.Accounts;
using Crm.Core.ApiKeys;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.CustomFields;
using Crm.Core.Deals;
using Crm.Core.History;
using Crm.Core.Imports;
using Crm.Core.Timeline;
using Crm.Core.Users;
using Crm.Core.Workspaces;
using Crm.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Crm.Infrastructure.Persistence;

/// <summary>
/// The CRM's database, opened for one <see cref="Actor"/>. Workspace isolation lives here and nowhere else:
/// every workspace-owned set is filtered to the actor's workspace (named filter "Workspace"), soft-deleted rows
/// are hidden (named filter "SoftDelete"), and <see cref="Interceptors.RecordKeepingInterceptor"/> stamps inserts.
/// Each provider has a small derived context that owns its migrations.
/// </summary>
public abstract class CrmDbContext : IdentityUserContext<CrmIdentityUser, long>, ICrmDb, Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.IDataProtectionKeyContext
{
    public Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginTransactionAsync(CancellationToken ct = default) => Database.BeginTransactionAsync(ct);

    public const string WorkspaceFilter = "Workspace";
    public const string SoftDeleteFilter = "SoftDelete";

    protected CrmDbContext(DbContextOptions options, Actor actor) : base(options)
    {
        Actor = actor;
        // Soft deletes turn a Remove into an update during SaveChanges; cascading must wait for that decision.
        ChangeTracker.CascadeDeleteTiming = CascadeTiming.OnSaveChanges;
    }

    public Actor Actor { get; }

    /// <summary>
    /// The caller writes the history of what this context saves itself (an import: one row per updated record, its
    /// fields in the before-image); the record-keeping interceptor still stamps, versions and guards, but writes no
    /// <see cref="FieldChange"/> rows.
    /// </summary>
    public bool CallerWritesHistory { get; set; }

    /// <summary>
    /// The event types this context's saves write to the outbox; null for all. A big import sets the ones an endpoint
    /// wants, so a million rows write a million events only when someone will receive them.
    /// </summary>
    public IReadOnlySet<string>? AnnouncedEvents { get; set; }

    /// <summary>
    /// The event types some active endpoint of this workspace wants, read once per context: bulk writers (a page of
    /// logged activities, an import's rollback) write only those events.
    /// </summary>
    internal IReadOnlySet<string> WantedEvents() => _wantedEvents ??= Set<Crm.Core.Webhooks.WebhookSubscription>().AsNoTracking()
        .Where(s => s.IsActive).Select(s => s.EventTypes).ToList().SelectMany(t => t).ToHashSet(StringComparer.Ordinal);

    private IReadOnlySet<string>? _wantedEvents;

    /// <summary>Read by the query filters; 0 (no workspace) matches nothing.</summary>
    public long CurrentWorkspaceId => Actor.WorkspaceId;

    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<User> CrmUsers => Set<User>();
    DbSet<User> ICrmDb.Users => CrmUsers;
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<Pipeline> Pipelines => Set<Pipeline>();
    public DbSet<PipelineStage> PipelineStages => Set<PipelineStage>();
    public DbSet<Deal> Deals => Set<Deal>();
    public DbSet<DealContact> DealContacts => Set<DealContact>();
    public DbSet<Activity> Activities => Set<Activity>();
    public DbSet<ActivityLink> ActivityLinks => Set<ActivityLink>();
    public DbSet<Crm.Core.Email.EmailSettings> EmailSettings => Set<Crm.Core.Email.EmailSettings>();
    public DbSet<Crm.Core.Calendar.CalendarEventLink> CalendarEventLinks => Set<Crm.Core.Calendar.CalendarEventLink>();
    public DbSet<Crm.Core.Email.MailboxMessage> MailboxMessages => Set<Crm.Core.Email.MailboxMessage>();
    public DbSet<Crm.Core.Email.EmailAttachment> EmailAttachments => Set<Crm.Core.Email.EmailAttachment>();
    public DbSet<Crm.Core.Email.EmailTemplate> EmailTemplates => Set<Crm.Core.Email.EmailTemplate>();
    public DbSet<FieldChange> FieldChanges => Set<FieldChange>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<CustomFieldDefinition> CustomFieldDefinitions => Set<CustomFieldDefinition>();
    public DbSet<ImportJob> ImportJobs => Set<ImportJob>();
    public DbSet<ImportRowError> ImportRowErrors => Set<ImportRowError>();
    public DbSet<ImportChange> ImportChanges => Set<ImportChange>();
    public DbSet<ImportTemplate> ImportTemplates => Set<ImportTemplate>();
    public DbSet<Crm.Core.Exports.ExportJob> ExportJobs => Set<Crm.Core.Exports.ExportJob>();
    public DbSet<Crm.Core.Exports.ExportFieldSet> ExportFieldSets => Set<Crm.Core.Exports.ExportFieldSet>();
    public DbSet<Crm.Core.Duplicates.DuplicateCandidate> DuplicateCandidates => Set<Crm.Core.Duplicates.DuplicateCandidate>();
    public DbSet<Crm.Core.Duplicates.MergeRecord> MergeRecords => Set<Crm.Core.Duplicates.MergeRecord>();
    public DbSet<Crm.Core.Integrations.SyncRecord> SyncRecords => Set<Crm.Core.Integrations.SyncRecord>();
    public DbSet<Crm.Core.Runs.Run> Runs => Set<Crm.Core.Runs.Run>();
    public DbSet<Crm.Core.Integrations.Connections.Integration> Integrations => Set<Crm.Core.Integrations.Connections.Integration>();
    public DbSet<Crm.Core.Integrations.OAuth.OAuthState> OAuthStates => Set<Crm.Core.Integrations.OAuth.OAuthState>();
    public DbSet<Crm.Core.Integrations.Connections.IntegrationCredential> IntegrationCredentials => Set<Crm.Core.Integrations.Connections.IntegrationCredential>();
    public DbSet<Crm.Core.Integrations.Connections.IntegrationUsage> IntegrationUsage => Set<Crm.Core.Integrations.Connections.IntegrationUsage>();
    public DbSet<Crm.Core.Integrations.Sync.SyncState> SyncStates => Set<Crm.Core.Integrations.Sync.SyncState>();
    public DbSet<Crm.Core.Integrations.Sync.SyncRun> SyncRuns => Set<Crm.Core.Integrations.Sync.SyncRun>();
    public DbSet<Crm.Core.Sync.SyncConflict> SyncConflicts => Set<Crm.Core.Sync.SyncConflict>();
    public DbSet<Crm.Core.Integrations.Webhooks.WebhookChannel> WebhookChannels => Set<Crm.Core.Integrations.Webhooks.WebhookChannel>();
    /// <summary>The Data Protection key ring, shared by every app instance on this database (encrypted when a certificate or key is configured).</summary>
    public DbSet<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> DataProtectionKeys => Set<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>();
    /// <summary>Provider deliveries before they are attributed to a workspace: read and written by the inbox alone.</summary>
    public DbSet<Crm.Core.Integrations.Webhooks.WebhookEvent> WebhookEvents => Set<Crm.Core.Integrations.Webhooks.WebhookEvent>();

    public DbSet<Crm.Core.Webhooks.OutboxEvent> OutboxEvents => Set<Crm.Core.Webhooks.OutboxEvent>();
    public DbSet<Crm.Core.Webhooks.WebhookSubscription> WebhookSubscriptions => Set<Crm.Core.Webhooks.WebhookSubscription>();
    public DbSet<Crm.Core.Webhooks.WebhookDelivery> WebhookDeliveries => Set<Crm.Core.Webhooks.WebhookDelivery>();
    public DbSet<Crm.Core.Webhooks.WebhookAttempt> WebhookAttempts => Set<Crm.Core.Webhooks.WebhookAttempt>();

    Task<int> ICrmDb.SaveChangesAsync(CancellationToken ct) => SaveChangesAsync(ct);

    /// <summary>
    /// Changes are detected once per save. EF would otherwise walk every tracked row three or four times (the
    /// record-keeping interceptor's look at the entries, EF's own pass, a provider's bulk step): on a page of 650
    /// logged meeting rows those passes were most of the save's time and a gigabyte of garbage per 10,000 events.
    /// Whatever the save itself changes afterwards goes through EF's entry API, which needs no detection.
    /// </summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        if (!ChangeTracker.AutoDetectChangesEnabled) return base.SaveChanges(acceptAllChangesOnSuccess);
        ChangeTracker.DetectChanges();
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = true;
        }
    }

    /// <inheritdoc cref="SaveChanges(bool)"/>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (!ChangeTracker.AutoDetectChangesEnabled) return await SaveDetectedAsync(acceptAllChangesOnSuccess, cancellationToken);
        ChangeTracker.DetectChanges();
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return await SaveDetectedAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = true;
        }
    }

    /// <summary>The save once changes are detected; a provider adds its own steps around EF's.</summary>
    protected virtual Task<int> SaveDetectedAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken) =>
        base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CrmDbContext).Assembly);
        ApplyIsolationFilters(builder);
    }

    private void ApplyIsolationFilters(ModelBuilder builder)
    {
        foreach (var entityType in builder.Model.GetEntityTypes().Where(t => t.BaseType is null).ToList())
        {
            var clr = entityType.ClrType;
            var row = Expression.Parameter(clr, "row");
            if (typeof(IWorkspaceOwned).IsAssignableFrom(clr))
            {
                var sameWorkspace = Expression.Equal(
                    Expression.Property(row, nameof(IWorkspaceOwned.WorkspaceId)),
                    Expression.Property(Expression.Constant(this), nameof(CurrentWorkspaceId)));
                builder.Entity(clr).HasQueryFilter(WorkspaceFilter, Expression.Lambda(sameWorkspace, row));
            }
            else if (clr == typeof(Workspace))
            {
                var own = Expression.Equal(
                    Expression.Property(row, nameof(Workspace.Id)),
                    Expression.Property(Expression.Constant(this), nameof(CurrentWorkspaceId)));
                builder.Entity(clr).HasQueryFilter(WorkspaceFilter, Expression.Lambda(own, row));
            }
            if (typeof(ISoftDeletable).IsAssignableFrom(clr))
            {
                var notDeleted = Expression.Equal(
                    Expression.Property(row, nameof(ISoftDeletable.DeletedAt)),
                    Expression.Constant(null, typeof(DateTimeOffset?)));
                builder.Entity(clr).HasQueryFilter(SoftDeleteFilter, Expression.Lambda(notDeleted, row));
            }
        }
    }
}
