using Crm.Core.Integrations.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crm.Infrastructure.Persistence.Configurations;

internal sealed class WebhookEventConfiguration : IEntityTypeConfiguration<WebhookEvent>
{
    public void Configure(EntityTypeBuilder<WebhookEvent> b)
    {
        b.Property(x => x.Provider).HasMaxLength(32).IsRequired();
        b.Property(x => x.EventId).HasMaxLength(WebhookLimits.MaxEventId).IsRequired();
        b.Property(x => x.Account).HasMaxLength(64);
        b.Property(x => x.Type).HasMaxLength(100);
        b.Property(x => x.Payload).HasMaxLength(WebhookLimits.MaxEventBytes).IsRequired();
        b.Property(x => x.LastError).HasMaxLength(2000);
        // A redelivered event is stored once; the inbox job reads what is waiting, oldest first.
        b.HasIndex(x => new { x.Provider, x.EventId }).IsUnique();
        b.HasIndex(x => new { x.Status, x.Id });
    }
}
