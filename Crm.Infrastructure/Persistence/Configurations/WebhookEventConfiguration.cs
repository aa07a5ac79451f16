using Crm.Core.Integrations.Webhooks;
using Crm.Core.Common;
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

internal sealed class WebhookChannelConfiguration : IEntityTypeConfiguration<WebhookChannel>
{
    public void Configure(EntityTypeBuilder<WebhookChannel> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.Provider).HasMaxLength(32).IsRequired();
        b.Property(x => x.ChannelId).HasMaxLength(200).IsRequired();
        b.Property(x => x.ResourceId).HasMaxLength(200);
        b.Property(x => x.SecretHash).HasMaxLength(64).IsRequired();
        b.HasOne<Crm.Core.Integrations.Connections.Integration>().WithMany().HasForeignKey(x => x.IntegrationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.Provider, x.ChannelId }).IsUnique();
    }
}
