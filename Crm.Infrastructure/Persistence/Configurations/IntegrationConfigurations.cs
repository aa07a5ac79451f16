using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crm.Infrastructure.Persistence.Configurations;

internal sealed class IntegrationConfiguration : IEntityTypeConfiguration<Integration>
{
    public void Configure(EntityTypeBuilder<Integration> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Provider).HasMaxLength(32).IsRequired();
        b.Property(x => x.Name).HasMaxLength(FieldLimits.Name).IsRequired();
        b.Property(x => x.ErrorMessage).HasMaxLength(FieldLimits.HistoryValue);
        b.Property(x => x.AccountName).HasMaxLength(FieldLimits.LongName);
        b.Property(x => x.AccountId).HasMaxLength(128);
        b.Property(x => x.InstanceUrl).HasMaxLength(FieldLimits.LongName);
        b.Property(x => x.Scopes).HasMaxLength(2000);
        b.Property(x => x.BudgetTier).HasMaxLength(32);
        b.HasOne<Crm.Core.Users.User>().WithMany().HasForeignKey(x => x.OwnerUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.WorkspaceId, x.Provider, x.Type });
        // Webhooks find their connection by the provider's account id (a HubSpot portal).
        b.HasIndex(x => new { x.Provider, x.AccountId });
    }
}

internal sealed class IntegrationCredentialConfiguration : IEntityTypeConfiguration<IntegrationCredential>
{
    public void Configure(EntityTypeBuilder<IntegrationCredential> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Protected).HasMaxLength(FieldLimits.Body).IsRequired();
        b.HasOne<Integration>().WithMany().HasForeignKey(x => x.IntegrationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.IntegrationId).IsUnique();
        b.HasIndex(x => x.AccessTokenExpiresAt);
    }
}

internal sealed class OAuthStateConfiguration : IEntityTypeConfiguration<Crm.Core.Integrations.OAuth.OAuthState>
{
    public void Configure(EntityTypeBuilder<Crm.Core.Integrations.OAuth.OAuthState> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Provider).HasMaxLength(32).IsRequired();
        b.Property(x => x.Nonce).HasMaxLength(64).IsRequired();
        b.Property(x => x.ProtectedVerifier).HasMaxLength(2000).IsRequired();
        b.Property(x => x.ReturnPath).HasMaxLength(500).IsRequired();
        b.HasOne<Crm.Core.Users.User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.Nonce).IsUnique();
        b.HasIndex(x => x.ExpiresAt);
    }
}

internal sealed class IntegrationUsageConfiguration : IEntityTypeConfiguration<IntegrationUsage>
{
    public void Configure(EntityTypeBuilder<IntegrationUsage> b)
    {
        b.ConfigureWorkspaceOwned();
        b.HasOne<Integration>().WithMany().HasForeignKey(x => x.IntegrationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.IntegrationId, x.Day }).IsUnique();
    }
}

internal sealed class SyncStateConfiguration : IEntityTypeConfiguration<Crm.Core.Integrations.Sync.SyncState>
{
    public void Configure(EntityTypeBuilder<Crm.Core.Integrations.Sync.SyncState> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.ObjectType).HasMaxLength(32).IsRequired();
        b.Property(x => x.Cursor).HasMaxLength(4000);
        b.Property(x => x.LastError).HasMaxLength(FieldLimits.HistoryValue);
        b.HasOne<Integration>().WithMany().HasForeignKey(x => x.IntegrationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.IntegrationId, x.ObjectType }).IsUnique();
    }
}

internal sealed class SyncRunConfiguration : IEntityTypeConfiguration<Crm.Core.Integrations.Sync.SyncRun>
{
    public void Configure(EntityTypeBuilder<Crm.Core.Integrations.Sync.SyncRun> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Trigger).HasMaxLength(32).IsRequired();
        b.Property(x => x.Error).HasMaxLength(FieldLimits.HistoryValue);
        b.HasOne<Integration>().WithMany().HasForeignKey(x => x.IntegrationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.IntegrationId, x.StartedAt });
        b.HasIndex(x => new { x.Outcome, x.StartedAt });
    }
}

internal sealed class SyncConflictConfiguration : IEntityTypeConfiguration<Crm.Core.Sync.SyncConflict>
{
    public void Configure(EntityTypeBuilder<Crm.Core.Sync.SyncConflict> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.ExternalId).HasMaxLength(FieldLimits.ExternalId).IsRequired();
        b.Property(x => x.Field).HasMaxLength(64).IsRequired();
        b.Property(x => x.OursValue).HasMaxLength(FieldLimits.HistoryValue);
        b.Property(x => x.TheirsValue).HasMaxLength(FieldLimits.HistoryValue);
        b.Property(x => x.ResolvedValue).HasMaxLength(FieldLimits.HistoryValue);
        b.Property(x => x.OursChangedBy).HasMaxLength(FieldLimits.Name);
        b.HasOne<Integration>().WithMany().HasForeignKey(x => x.IntegrationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.IntegrationId, x.State });
        // One open conflict per linked record and field.
        b.HasIndex(x => new { x.SyncRecordId, x.Field }).IsUnique().HasFilter("\"State\" = 0");
    }
}
