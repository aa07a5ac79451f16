using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crm.Infrastructure.Persistence.Configurations;

internal sealed class DuplicateCandidateConfiguration : IEntityTypeConfiguration<Crm.Core.Duplicates.DuplicateCandidate>
{
    public void Configure(EntityTypeBuilder<Crm.Core.Duplicates.DuplicateCandidate> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Reasons).HasConversion(JsonColumn.Converter<List<string>>(), JsonColumn.Comparer<List<string>>()).HasMaxLength(FieldLimits.Body);
        b.HasIndex(x => new { x.WorkspaceId, x.RecordType, x.RecordAId, x.RecordBId }).IsUnique();
        b.HasIndex(x => new { x.WorkspaceId, x.RecordType, x.Status, x.Confidence });
        b.Property(x => x.Rule).HasMaxLength(20);
        b.Property(x => x.GroupKey).HasMaxLength(FieldLimits.GroupKey);
        // The queue's groups: one index holds what grouping, counting and ordering them reads.
        b.HasIndex(x => new { x.WorkspaceId, x.Status, x.RecordType, x.Rule, x.GroupKey, x.Confidence });
        // A search finds pairs by either record (the unique index above serves record A).
        b.HasIndex(x => new { x.WorkspaceId, x.RecordType, x.RecordBId });
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
