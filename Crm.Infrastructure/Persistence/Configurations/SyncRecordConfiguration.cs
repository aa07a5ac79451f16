using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crm.Infrastructure.Persistence.Configurations;

internal sealed class SyncRecordConfiguration : IEntityTypeConfiguration<Crm.Core.Integrations.SyncRecord>
{
    public void Configure(EntityTypeBuilder<Crm.Core.Integrations.SyncRecord> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Provider).HasMaxLength(FieldLimits.ShortCode).IsRequired();
        b.Property(x => x.ExternalId).HasMaxLength(FieldLimits.ExternalId).IsRequired();
        // One id of one system leads to one record.
        b.HasIndex(x => new { x.WorkspaceId, x.Provider, x.RecordType, x.ExternalId }).IsUnique();
        b.HasIndex(x => new { x.WorkspaceId, x.RecordType, x.RecordId });
        // ... and one record has one id per system, links a merge moved onto it aside.
        b.HasIndex(x => new { x.WorkspaceId, x.Provider, x.RecordType, x.RecordId }).IsUnique().HasFilter("\"MergedFromRecordId\" IS NULL");
        b.Property(x => x.RemoteVersion).HasMaxLength(FieldLimits.ExternalId);
        b.Property(x => x.LocalHash).HasMaxLength(64);
        b.Property(x => x.SyncedValues).HasMaxLength(FieldLimits.Body);
        b.Property(x => x.Associations).HasMaxLength(FieldLimits.Body);
        b.Property(x => x.RemoteHash).HasMaxLength(64);
        b.Property(x => x.LastError).HasMaxLength(FieldLimits.HistoryValue);
        b.HasOne<Crm.Core.Integrations.Connections.Integration>().WithMany().HasForeignKey(x => x.IntegrationId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(x => new { x.IntegrationId, x.Status });
        b.ToTable("SyncRecords");
    }
}
