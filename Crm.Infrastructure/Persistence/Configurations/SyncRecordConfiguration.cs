using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crm.Infrastructure.Persistence.Configurations;

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
