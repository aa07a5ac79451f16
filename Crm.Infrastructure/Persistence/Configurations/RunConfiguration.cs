using Crm.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crm.Infrastructure.Persistence.Configurations;

internal sealed class RunConfiguration : IEntityTypeConfiguration<Run>
{
    public void Configure(EntityTypeBuilder<Run> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Stage).HasMaxLength(64);
        b.Property(x => x.RunnerId).HasMaxLength(64);
        b.Property(x => x.LastError).HasMaxLength(RunLimits.MaxError);
        b.Property(x => x.Summary).HasMaxLength(RunLimits.MaxError);
        b.Property(x => x.Result).HasMaxLength(Crm.Core.Common.FieldLimits.Body);
        b.Ignore(x => x.IsActive);
        // A subject's runs, newest first (status pages, "already queued?"); the rescue job's scan of live runs.
        b.HasIndex(x => new { x.WorkspaceId, x.Kind, x.SubjectId });
        b.HasIndex(x => x.Status);
    }
}
