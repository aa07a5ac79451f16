using Crm.Core.Common;
using Crm.Core.Contacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crm.Infrastructure.Persistence.Configurations;

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> b)
    {
        b.ConfigureTracked();
        b.Property(x => x.FirstName).HasMaxLength(FieldLimits.Name);
        b.Property(x => x.LastName).HasMaxLength(FieldLimits.Name);
        b.Property(x => x.Email).HasMaxLength(FieldLimits.Email);
        b.Property(x => x.Phone).HasMaxLength(FieldLimits.Phone);
        b.Property(x => x.JobTitle).HasMaxLength(FieldLimits.Title);
        b.Property(x => x.ScoreTier).HasMaxLength(FieldLimits.ShortCode);
        b.Property(x => x.Source).HasMaxLength(FieldLimits.Name);
        b.Property(x => x.SourceDetail).HasMaxLength(FieldLimits.LongName);
        b.Property(x => x.LinkedInUrl).HasMaxLength(FieldLimits.Url);
        b.Property(x => x.Street).HasMaxLength(FieldLimits.Street);
        b.Property(x => x.City).HasMaxLength(FieldLimits.City);
        b.Property(x => x.Region).HasMaxLength(FieldLimits.City);
        b.Property(x => x.PostalCode).HasMaxLength(FieldLimits.PostalCode);
        b.Property(x => x.Country).HasMaxLength(FieldLimits.City);
        b.PrimitiveCollection(x => x.AdditionalEmails).HasMaxLength(4000).ComparedByElements();
        b.Property(x => x.CustomFields)
            .HasConversion(JsonColumn.Converter<Dictionary<string, string>>(), JsonColumn.Comparer<Dictionary<string, string>>())
            .HasMaxLength(FieldLimits.EmailBody);
        b.Ignore(x => x.DisplayName);

        b.HasOne(x => x.Account).WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Owner).WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.Restrict);

        b.HasIndex(x => new { x.WorkspaceId, x.LastName, x.FirstName });
        b.HasIndex(x => new { x.WorkspaceId, x.Email });
        // Account and owner ids are unique across workspaces: the foreign keys' own indexes serve "contacts of this
        // account / owner" as well as a (WorkspaceId, …) copy would, and every insert pays for one index less.
    }
}
