using Crm.Core.Common;
using Crm.Core.Timeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crm.Infrastructure.Persistence.Configurations;

/// <summary>All activity types share one table (TPH), so a timeline is one indexed, ordered query.</summary>
internal sealed class ActivityConfiguration : IEntityTypeConfiguration<Activity>
{
    public void Configure(EntityTypeBuilder<Activity> b)
    {
        b.ToTable("Activities");
        b.ConfigureWorkspaceOwned();
        b.Ignore(x => x.Type);
        b.HasDiscriminator<string>("Kind")
            .HasValue<NoteActivity>("note")
            .HasValue<TaskActivity>("task")
            .HasValue<CallActivity>("call")
            .HasValue<EmailActivity>("email")
            .HasValue<MeetingActivity>("meeting");
        b.Property("Kind").HasMaxLength(16);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasOne(x => x.Contact).WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Account).WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Deal).WithMany().HasForeignKey(x => x.DealId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Owner).WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.WorkspaceId, x.ContactId, x.OccurredAt });
        b.HasIndex(x => new { x.WorkspaceId, x.AccountId, x.OccurredAt });
        b.HasIndex(x => new { x.WorkspaceId, x.DealId, x.OccurredAt });
        b.HasIndex(x => new { x.WorkspaceId, x.OccurredAt });
    }
}

internal sealed class NoteActivityConfiguration : IEntityTypeConfiguration<NoteActivity>
{
    public void Configure(EntityTypeBuilder<NoteActivity> b) =>
        b.Property(x => x.Body).HasColumnName("Body").HasMaxLength(FieldLimits.EmailBody);
}

internal sealed class TaskActivityConfiguration : IEntityTypeConfiguration<TaskActivity>
{
    public void Configure(EntityTypeBuilder<TaskActivity> b)
    {
        b.Property(x => x.Title).HasColumnName("Title").HasMaxLength(FieldLimits.LongName);
        b.Property(x => x.Notes).HasColumnName("Notes").HasMaxLength(FieldLimits.Body);
    }
}

internal sealed class CallActivityConfiguration : IEntityTypeConfiguration<CallActivity>
{
    public void Configure(EntityTypeBuilder<CallActivity> b)
    {
        b.Property(x => x.Direction).HasColumnName("Direction");
        b.Property(x => x.Notes).HasColumnName("Notes").HasMaxLength(FieldLimits.Body);
        b.Property(x => x.PhoneNumber).HasMaxLength(FieldLimits.Phone);
    }
}

internal sealed class EmailActivityConfiguration : IEntityTypeConfiguration<EmailActivity>
{
    public void Configure(EntityTypeBuilder<EmailActivity> b)
    {
        b.Property(x => x.Subject).HasMaxLength(998);
        b.Property(x => x.Body).HasColumnName("Body").HasMaxLength(FieldLimits.EmailBody);
        b.Property(x => x.Direction).HasColumnName("Direction");
        b.Property(x => x.From).HasMaxLength(FieldLimits.Email);
        b.PrimitiveCollection(x => x.To).HasMaxLength(40_000).ComparedByElements();
        b.PrimitiveCollection(x => x.Cc).HasMaxLength(40_000).ComparedByElements();
        b.Property(x => x.ExternalId).HasColumnName("ExternalId").HasMaxLength(FieldLimits.ExternalId);
        b.Property(x => x.ThreadId).HasMaxLength(FieldLimits.ExternalId);
        b.Property(x => x.ClickedLinks)
            .HasConversion(JsonColumn.Converter<List<ClickedLink>>(), JsonColumn.Comparer<List<ClickedLink>>())
            .HasMaxLength(FieldLimits.EmailBody);
        b.Property(x => x.HtmlBody).HasMaxLength(Crm.Core.Email.EmailLimits.BodyChars * 2);
        b.Property(x => x.MessageId).HasMaxLength(998);
        b.Property(x => x.InReplyTo).HasMaxLength(998);
        b.PrimitiveCollection(x => x.MailboxUserIds).HasMaxLength(4000).ComparedByElements();
        // One activity per message in a workspace, whatever mailbox or address brought it (deleted ones included:
        // a later copy of a message someone deleted does not come back).
        b.HasIndex(x => new { x.WorkspaceId, x.MessageId }).IsUnique().HasFilter("\"MessageId\" IS NOT NULL");
    }
}

internal sealed class MeetingActivityConfiguration : IEntityTypeConfiguration<MeetingActivity>
{
    public void Configure(EntityTypeBuilder<MeetingActivity> b)
    {
        b.Property(x => x.Title).HasColumnName("Title").HasMaxLength(FieldLimits.LongName);
        b.Property(x => x.Description).HasMaxLength(FieldLimits.Body);
        b.Property(x => x.Location).HasMaxLength(FieldLimits.LongName);
        b.Property(x => x.MeetingUrl).HasMaxLength(FieldLimits.Url);
        b.Property(x => x.ExternalEventId).HasColumnName("ExternalId").HasMaxLength(FieldLimits.ExternalId);
        b.Property(x => x.Notes).HasColumnName("Notes").HasMaxLength(FieldLimits.Body);
        b.Property(x => x.Attendees)
            .HasConversion(JsonColumn.Converter<List<MeetingAttendee>>(), JsonColumn.Comparer<List<MeetingAttendee>>())
            .HasMaxLength(FieldLimits.EmailBody);
        b.Property(x => x.MeetingKey).HasMaxLength(Crm.Core.Calendar.MeetingKeys.MaxLength);
        b.Property(x => x.TimeZone).HasMaxLength(64);
        b.PrimitiveCollection(x => x.CalendarUserIds).HasMaxLength(4000).ComparedByElements();
        // One meeting per invitation (and occurrence) in a workspace, whichever calendars hold it.
        b.HasIndex(x => new { x.WorkspaceId, x.MeetingKey }).IsUnique().HasFilter("\"MeetingKey\" IS NOT NULL");
    }
}
