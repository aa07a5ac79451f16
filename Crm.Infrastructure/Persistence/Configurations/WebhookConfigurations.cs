using Crm.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crm.Infrastructure.Persistence.Configurations;

internal sealed class OutboxEventConfiguration : IEntityTypeConfiguration<OutboxEvent>
{
    public void Configure(EntityTypeBuilder<OutboxEvent> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.EventId).HasMaxLength(40).IsRequired();
        b.Property(x => x.Type).HasMaxLength(64).IsRequired();
        b.Property(x => x.RecordKey).HasMaxLength(64);
        b.Property(x => x.Data).HasMaxLength(Crm.Core.Common.FieldLimits.EmailBody).IsRequired();
        b.HasIndex(x => x.EventId).IsUnique();
        // The dispatcher reads what is not dispatched yet, oldest first.
        b.HasIndex(x => new { x.DispatchedAt, x.Id });
        b.HasOne(x => x.Contact).WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Account).WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Deal).WithMany().HasForeignKey(x => x.DealId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Activity).WithMany().HasForeignKey(x => x.ActivityId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Url).HasMaxLength(WebhookLimits.UrlChars).IsRequired();
        b.Property(x => x.Description).HasMaxLength(WebhookLimits.DescriptionChars);
        b.PrimitiveCollection(x => x.EventTypes).HasMaxLength(4000).ComparedByElements();
        b.Property(x => x.DisabledReason).HasMaxLength(500);
        b.Property(x => x.PauseReason).HasMaxLength(500);
        b.Property(x => x.ProtectedSecret).HasMaxLength(2000).IsRequired();
        b.Property(x => x.ProtectedPreviousSecret).HasMaxLength(2000);
        b.Property(x => x.Source).HasMaxLength(16);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.EventId).HasMaxLength(40).IsRequired();
        b.Property(x => x.EventType).HasMaxLength(64).IsRequired();
        b.Property(x => x.RecordKey).HasMaxLength(64);
        b.Property(x => x.LastError).HasMaxLength(500);
        b.HasOne(x => x.Event).WithMany().HasForeignKey(x => x.OutboxEventId).OnDelete(DeleteBehavior.Cascade);
        // The sender reads what is due; the log reads an endpoint's deliveries newest first, or by event or record.
        b.HasIndex(x => new { x.Status, x.NextAttemptAt });
        b.HasIndex(x => new { x.SubscriptionId, x.Id });
        b.HasIndex(x => new { x.SubscriptionId, x.RecordKey });
        b.HasIndex(x => new { x.SubscriptionId, x.EventId });
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.ResponseBody).HasMaxLength(WebhookLimits.LoggedResponseBytes * 2);
        b.Property(x => x.Error).HasMaxLength(500);
        b.Property(x => x.RequestBody).HasMaxLength(Crm.Core.Common.FieldLimits.EmailBody).IsRequired();
        b.HasOne<WebhookDelivery>().WithMany().HasForeignKey(x => x.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.DeliveryId);
    }
}
