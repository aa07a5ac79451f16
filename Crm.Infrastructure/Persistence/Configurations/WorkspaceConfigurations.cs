using Crm.Core.ApiKeys;
using Crm.Core.Common;
using Crm.Core.CustomFields;
using Crm.Core.History;
using Crm.Core.Users;
using Crm.Core.Workspaces;
using Crm.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crm.Infrastructure.Persistence.Configurations;

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> b)
    {
        b.Property(x => x.Name).HasMaxLength(FieldLimits.Name).IsRequired();
        b.Property(x => x.DefaultCurrency).HasMaxLength(FieldLimits.Currency).IsRequired();
    }
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.ToTable("Users");
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Name).HasMaxLength(FieldLimits.Name).IsRequired();
        b.Property(x => x.Email).HasMaxLength(FieldLimits.Email).IsRequired();
        b.Property(x => x.TimeZone).HasMaxLength(64);
        b.HasIndex(x => new { x.WorkspaceId, x.Email }).IsUnique();
        b.HasIndex(x => x.Email);
    }
}

internal sealed class CrmIdentityUserConfiguration : IEntityTypeConfiguration<CrmIdentityUser>
{
    public void Configure(EntityTypeBuilder<CrmIdentityUser> b)
    {
        b.HasIndex(x => x.CrmUserId).IsUnique();
        b.Property(x => x.KeptSessionId).HasMaxLength(64);
        b.HasOne<User>().WithOne().HasForeignKey<CrmIdentityUser>(x => x.CrmUserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Name).HasMaxLength(FieldLimits.Name).IsRequired();
        b.Property(x => x.Prefix).HasMaxLength(16).IsRequired();
        b.Property(x => x.SecretHash).HasMaxLength(64).IsRequired();
        b.HasIndex(x => x.Prefix).IsUnique();
        b.Ignore(x => x.IsActive);
    }
}

internal sealed class CustomFieldDefinitionConfiguration : IEntityTypeConfiguration<CustomFieldDefinition>
{
    public void Configure(EntityTypeBuilder<CustomFieldDefinition> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Key).HasMaxLength(FieldLimits.CustomFieldKey).IsRequired();
        b.Property(x => x.Label).HasMaxLength(FieldLimits.Name).IsRequired();
        b.HasIndex(x => new { x.WorkspaceId, x.RecordType, x.Key }).IsUnique();
    }
}

internal sealed class FieldChangeConfiguration : IEntityTypeConfiguration<FieldChange>
{
    public void Configure(EntityTypeBuilder<FieldChange> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Field).HasMaxLength(FieldLimits.CustomFieldKey + 10).IsRequired();
        b.Property(x => x.OldValue).HasMaxLength(FieldLimits.HistoryValue);
        b.Property(x => x.NewValue).HasMaxLength(FieldLimits.HistoryValue);
        b.Property(x => x.SourceRef).HasMaxLength(FieldLimits.Name);
        b.HasIndex(x => new { x.WorkspaceId, x.RecordType, x.RecordId, x.Field });
    }
}
