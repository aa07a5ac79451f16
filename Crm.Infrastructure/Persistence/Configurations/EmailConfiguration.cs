using Crm.Core.Common;
using Crm.Core.Email;
using Crm.Core.Timeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crm.Infrastructure.Persistence.Configurations;

internal sealed class ActivityLinkConfiguration : IEntityTypeConfiguration<ActivityLink>
{
    public void Configure(EntityTypeBuilder<ActivityLink> b)
    {
        b.ConfigureWorkspaceOwned();
        b.HasOne(x => x.Activity).WithMany().HasForeignKey(x => x.ActivityId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.ActivityId);
        // A timeline reads "activities linked to this record": one index per kind of record.
        b.HasIndex(x => new { x.ContactId, x.ActivityId });
        b.HasIndex(x => new { x.AccountId, x.ActivityId });
        b.HasIndex(x => new { x.DealId, x.ActivityId });
    }
}

internal sealed class EmailSettingsConfiguration : IEntityTypeConfiguration<EmailSettings>
{
    public void Configure(EntityTypeBuilder<EmailSettings> b)
    {
        b.ConfigureWorkspaceOwned();
        b.HasIndex(x => x.WorkspaceId).IsUnique();
        b.PrimitiveCollection(x => x.NeverLog).HasMaxLength(EmailSettings.NeverLogEntries * 260).ComparedByElements();
        b.Property(x => x.LoggingTokenHash).HasMaxLength(64);
        b.Property(x => x.LoggingTokenProtected).HasMaxLength(1000);
        b.Property(x => x.LastRefusedFrom).HasMaxLength(FieldLimits.Email);
        // Found across workspaces by inbound mail (before any workspace is known), so unique everywhere.
        b.HasIndex(x => x.LoggingTokenHash).IsUnique().HasFilter("\"LoggingTokenHash\" IS NOT NULL");
    }
}

internal sealed class MailboxMessageConfiguration : IEntityTypeConfiguration<MailboxMessage>
{
    public void Configure(EntityTypeBuilder<MailboxMessage> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Mailbox).HasMaxLength(64);
        b.Property(x => x.ProviderMessageId).HasMaxLength(300);
        b.Property(x => x.MessageId).HasMaxLength(998);
        b.Property(x => x.Reason).HasMaxLength(32);
        b.HasOne(x => x.Activity).WithMany().HasForeignKey(x => x.ActivityId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(x => new { x.WorkspaceId, x.Mailbox, x.ProviderMessageId }).IsUnique();
        b.HasIndex(x => new { x.WorkspaceId, x.Mailbox, x.MessageDate });
    }
}

internal sealed class EmailAttachmentConfiguration : IEntityTypeConfiguration<EmailAttachment>
{
    public void Configure(EntityTypeBuilder<EmailAttachment> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.FileName).HasMaxLength(255);
        b.Property(x => x.ContentType).HasMaxLength(127);
        b.HasOne(x => x.Activity).WithMany().HasForeignKey(x => x.ActivityId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EmailTemplateConfiguration : IEntityTypeConfiguration<EmailTemplate>
{
    public void Configure(EntityTypeBuilder<EmailTemplate> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Name).HasMaxLength(EmailTemplate.NameChars);
        b.Property(x => x.Subject).HasMaxLength(EmailLimits.SubjectChars);
        b.Property(x => x.Body).HasMaxLength(EmailLimits.BodyChars);
        b.HasIndex(x => new { x.WorkspaceId, x.OwnerUserId, x.Name });
    }
}
