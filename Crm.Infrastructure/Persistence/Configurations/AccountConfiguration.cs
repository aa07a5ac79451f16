using Crm.Core.Accounts;
using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crm.Infrastructure.Persistence.Configurations;

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> b)
    {
        b.ConfigureTracked();
        b.Property(x => x.Name).HasMaxLength(FieldLimits.LongName).IsRequired();
        b.Property(x => x.Domain).HasMaxLength(FieldLimits.LongName);
        b.Property(x => x.Phone).HasMaxLength(FieldLimits.Phone);
        b.Property(x => x.Industry).HasMaxLength(FieldLimits.Name);
        b.Property(x => x.Street).HasMaxLength(FieldLimits.Street);
        b.Property(x => x.City).HasMaxLength(FieldLimits.City);
        b.Property(x => x.Region).HasMaxLength(FieldLimits.City);
        b.Property(x => x.PostalCode).HasMaxLength(FieldLimits.PostalCode);
        b.Property(x => x.Country).HasMaxLength(FieldLimits.City);
        b.Property(x => x.CustomFields)
            .HasConversion(JsonColumn.Converter<Dictionary<string, string>>(), JsonColumn.Comparer<Dictionary<string, string>>())
            .HasMaxLength(FieldLimits.EmailBody);
        b.HasOne(x => x.Owner).WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.WorkspaceId, x.Name });
        b.HasIndex(x => new { x.WorkspaceId, x.Domain });
    }
}
