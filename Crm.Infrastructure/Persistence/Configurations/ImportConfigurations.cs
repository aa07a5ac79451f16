using Crm.Core.Common;
using Crm.Core.Imports;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crm.Infrastructure.Persistence.Configurations;

internal sealed class ImportJobConfiguration : IEntityTypeConfiguration<ImportJob>
{
    public void Configure(EntityTypeBuilder<ImportJob> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.FileName).HasMaxLength(FieldLimits.LongName).IsRequired();
        b.Property(x => x.FileKey).HasMaxLength(FieldLimits.LongName).IsRequired();
        b.Property(x => x.FailureReason).HasMaxLength(FieldLimits.HistoryValue);
        b.Property(x => x.Settings).HasConversion(JsonColumn.Converter<ImportFileSettings>(), JsonColumn.Comparer<ImportFileSettings>()).HasMaxLength(FieldLimits.Body);
        b.Property(x => x.Mapping).HasConversion(JsonColumn.Converter<ImportMapping>(), JsonColumn.Comparer<ImportMapping>()).HasMaxLength(FieldLimits.EmailBody);
        b.Property(x => x.Options).HasConversion(JsonColumn.Converter<ImportOptions>(), JsonColumn.Comparer<ImportOptions>()).HasMaxLength(FieldLimits.Body);
        b.Ignore(x => x.IsFinished);
        b.Ignore(x => x.CanRollBack);
        b.HasIndex(x => new { x.WorkspaceId, x.CreatedAt });
        b.HasIndex(x => x.Status);
    }
}

internal sealed class ImportRowErrorConfiguration : IEntityTypeConfiguration<ImportRowError>
{
    public void Configure(EntityTypeBuilder<ImportRowError> b)
    {
        b.ConfigureWorkspaceOwned();
        b.HasOne<ImportJob>().WithMany().HasForeignKey(x => x.ImportJobId).OnDelete(DeleteBehavior.Cascade);
        b.Property(x => x.Column).HasMaxLength(FieldLimits.LongName);
        b.Property(x => x.Value).HasMaxLength(600);
        b.Property(x => x.Message).HasMaxLength(FieldLimits.HistoryValue).IsRequired();
        b.HasIndex(x => new { x.ImportJobId, x.RowNumber });
    }
}

internal sealed class ImportChangeConfiguration : IEntityTypeConfiguration<ImportChange>
{
    public void Configure(EntityTypeBuilder<ImportChange> b)
    {
        b.ConfigureWorkspaceOwned();
        b.HasOne<ImportJob>().WithMany().HasForeignKey(x => x.ImportJobId).OnDelete(DeleteBehavior.Cascade);
        b.Property(x => x.Before).HasConversion(JsonColumn.Converter<Dictionary<string, string?>>(), JsonColumn.Comparer<Dictionary<string, string?>>()).HasMaxLength(FieldLimits.EmailBody);
        b.Property(x => x.After).HasConversion(JsonColumn.Converter<Dictionary<string, string?>>(), JsonColumn.Comparer<Dictionary<string, string?>>()).HasMaxLength(FieldLimits.EmailBody);
        b.HasIndex(x => new { x.ImportJobId, x.RecordId });
    }
}

internal sealed class ImportTemplateConfiguration : IEntityTypeConfiguration<ImportTemplate>
{
    public void Configure(EntityTypeBuilder<ImportTemplate> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Name).HasMaxLength(FieldLimits.Name).IsRequired();
        b.Property(x => x.HeaderSignature).HasMaxLength(FieldLimits.Body).IsRequired();
        b.Property(x => x.Mapping).HasConversion(JsonColumn.Converter<ImportMapping>(), JsonColumn.Comparer<ImportMapping>()).HasMaxLength(FieldLimits.EmailBody);
        b.Property(x => x.Options).HasConversion(JsonColumn.Converter<ImportOptions>(), JsonColumn.Comparer<ImportOptions>()).HasMaxLength(FieldLimits.Body);
        b.HasIndex(x => new { x.WorkspaceId, x.ObjectType, x.Name }).IsUnique();
    }
}
