using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crm.Infrastructure.Persistence.Configurations;

internal sealed class ExportJobConfiguration : IEntityTypeConfiguration<Crm.Core.Exports.ExportJob>
{
    public void Configure(EntityTypeBuilder<Crm.Core.Exports.ExportJob> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Parts).HasConversion(JsonColumn.Converter<List<Crm.Core.Exports.ExportPart>>(), JsonColumn.Comparer<List<Crm.Core.Exports.ExportPart>>()).HasMaxLength(FieldLimits.Body);
        b.Property(x => x.Culture).HasMaxLength(16);
        b.Property(x => x.FileKey).HasMaxLength(FieldLimits.LongName);
        b.Property(x => x.FileName).HasMaxLength(FieldLimits.LongName).IsRequired();
        b.Property(x => x.FailureReason).HasMaxLength(FieldLimits.HistoryValue);
        b.Ignore(x => x.IsActive);
        b.HasIndex(x => new { x.WorkspaceId, x.CreatedAt });
        b.HasIndex(x => new { x.Status, x.ExpiresAt });
    }
}

internal sealed class ExportFieldSetConfiguration : IEntityTypeConfiguration<Crm.Core.Exports.ExportFieldSet>
{
    public void Configure(EntityTypeBuilder<Crm.Core.Exports.ExportFieldSet> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Name).HasMaxLength(FieldLimits.Name).IsRequired();
        b.Property(x => x.Fields).HasConversion(JsonColumn.Converter<List<string>>(), JsonColumn.Comparer<List<string>>()).HasMaxLength(FieldLimits.Body);
        b.HasIndex(x => new { x.WorkspaceId, x.Object, x.Name }).IsUnique();
    }
}
