using Crm.Core.Common;
using Crm.Core.Deals;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crm.Infrastructure.Persistence.Configurations;

internal sealed class DealConfiguration : IEntityTypeConfiguration<Deal>
{
    public void Configure(EntityTypeBuilder<Deal> b)
    {
        b.ConfigureTracked();
        b.Property(x => x.Name).HasMaxLength(FieldLimits.LongName).IsRequired();
        b.Property(x => x.Currency).HasMaxLength(FieldLimits.Currency).IsRequired();
        b.Property(x => x.CustomFields)
            .HasConversion(JsonColumn.Converter<Dictionary<string, string>>(), JsonColumn.Comparer<Dictionary<string, string>>())
            .HasMaxLength(FieldLimits.EmailBody);
        b.HasOne(x => x.Pipeline).WithMany().HasForeignKey(x => x.PipelineId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Stage).WithMany().HasForeignKey(x => x.StageId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Account).WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Owner).WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Contacts).WithOne().HasForeignKey(x => x.DealId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.WorkspaceId, x.StageId });
        // Account and owner: the foreign keys' own indexes (ids are unique across workspaces).
    }
}

internal sealed class DealContactConfiguration : IEntityTypeConfiguration<DealContact>
{
    public void Configure(EntityTypeBuilder<DealContact> b)
    {
        b.ConfigureWorkspaceOwned();
        b.HasKey(x => new { x.DealId, x.ContactId });
        b.HasOne(x => x.Contact).WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.ContactId);
    }
}

internal sealed class PipelineConfiguration : IEntityTypeConfiguration<Pipeline>
{
    public void Configure(EntityTypeBuilder<Pipeline> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Name).HasMaxLength(FieldLimits.Name).IsRequired();
        b.HasMany(x => x.Stages).WithOne().HasForeignKey(x => x.PipelineId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PipelineStageConfiguration : IEntityTypeConfiguration<PipelineStage>
{
    public void Configure(EntityTypeBuilder<PipelineStage> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Name).HasMaxLength(FieldLimits.Name).IsRequired();
        b.Ignore(x => x.IsClosed);
        b.HasIndex(x => new { x.PipelineId, x.Order });
    }
}
