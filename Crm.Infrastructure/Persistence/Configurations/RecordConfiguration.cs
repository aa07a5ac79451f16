using Crm.Core.Common;
using Crm.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crm.Infrastructure.Persistence.Configurations;

/// <summary>What every contact, account and deal row shares: workspace, times, soft delete, version, creator.</summary>
internal static class RecordConfiguration
{
    public static void ConfigureTracked<T>(this EntityTypeBuilder<T> b) where T : class, ITrackedRecord
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.RecordType);
        b.HasIndex(x => new { x.WorkspaceId, x.UpdatedAt });
        // CreatedByImportId has no index on purpose: every imported row would pay for it, and only a rollback
        // (rare, in the background) reads it, with one scan.
    }

    public static void ConfigureWorkspaceOwned<T>(this EntityTypeBuilder<T> b) where T : class, IWorkspaceOwned =>
        b.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
}
