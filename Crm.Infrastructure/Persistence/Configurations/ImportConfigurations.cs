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
        b.Property(x => x.RunnerId).HasMaxLength(64);
        b.Property(x => x.FailureReason).HasMaxLength(FieldLimits.HistoryValue);
        b.Property(x => x.RollbackError).HasMaxLength(FieldLimits.HistoryValue);
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

internal sealed class ExportJobConfiguration : IEntityTypeConfiguration<Crm.Core.Exports.ExportJob>
{
    public void Configure(EntityTypeBuilder<Crm.Core.Exports.ExportJob> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Parts).HasConversion(JsonColumn.Converter<List<Crm.Core.Exports.ExportPart>>(), JsonColumn.Comparer<List<Crm.Core.Exports.ExportPart>>()).HasMaxLength(FieldLimits.Body);
        b.Property(x => x.Culture).HasMaxLength(16);
        b.Property(x => x.FileKey).HasMaxLength(FieldLimits.LongName);
        b.Property(x => x.FileName).HasMaxLength(FieldLimits.LongName).IsRequired();
        b.Property(x => x.RunnerId).HasMaxLength(64);
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

internal sealed class DuplicateCandidateConfiguration : IEntityTypeConfiguration<Crm.Core.Duplicates.DuplicateCandidate>
{
    public void Configure(EntityTypeBuilder<Crm.Core.Duplicates.DuplicateCandidate> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Reasons).HasConversion(JsonColumn.Converter<List<string>>(), JsonColumn.Comparer<List<string>>()).HasMaxLength(FieldLimits.Body);
        b.HasIndex(x => new { x.WorkspaceId, x.RecordType, x.RecordAId, x.RecordBId }).IsUnique();
        b.HasIndex(x => new { x.WorkspaceId, x.RecordType, x.Status, x.Confidence });
    }
}

internal sealed class MergeRecordConfiguration : IEntityTypeConfiguration<Crm.Core.Duplicates.MergeRecord>
{
    public void Configure(EntityTypeBuilder<Crm.Core.Duplicates.MergeRecord> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Before).HasConversion(JsonColumn.Converter<Dictionary<string, string?>>(), JsonColumn.Comparer<Dictionary<string, string?>>()).HasMaxLength(FieldLimits.EmailBody);
        foreach (var list in new[] { nameof(Crm.Core.Duplicates.MergeRecord.MovedActivityIds), nameof(Crm.Core.Duplicates.MergeRecord.MovedDealLinks),
                     nameof(Crm.Core.Duplicates.MergeRecord.DroppedDealLinks), nameof(Crm.Core.Duplicates.MergeRecord.MovedContactIds), nameof(Crm.Core.Duplicates.MergeRecord.MovedDealIds),
                     nameof(Crm.Core.Duplicates.MergeRecord.MovedExternalLinkIds) })
            b.Property<List<long>>(list).HasConversion(JsonColumn.Converter<List<long>>(), JsonColumn.Comparer<List<long>>());
        b.HasIndex(x => new { x.WorkspaceId, x.RecordType, x.WinnerId });
        b.HasIndex(x => new { x.WorkspaceId, x.RecordType, x.LoserId });
    }
}

internal sealed class ExternalLinkConfiguration : IEntityTypeConfiguration<Crm.Core.Integrations.ExternalLink>
{
    public void Configure(EntityTypeBuilder<Crm.Core.Integrations.ExternalLink> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Provider).HasMaxLength(FieldLimits.ShortCode).IsRequired();
        b.Property(x => x.ExternalId).HasMaxLength(FieldLimits.ExternalId).IsRequired();
        // One id of one system leads to one record.
        b.HasIndex(x => new { x.WorkspaceId, x.Provider, x.RecordType, x.ExternalId }).IsUnique();
        b.HasIndex(x => new { x.WorkspaceId, x.RecordType, x.RecordId });
    }
}
