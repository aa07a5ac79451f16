using Crm.Core.Calendar;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Crm.Infrastructure.Persistence.Configurations;

internal sealed class CalendarEventLinkConfiguration : IEntityTypeConfiguration<CalendarEventLink>
{
    public void Configure(EntityTypeBuilder<CalendarEventLink> b)
    {
        b.ConfigureWorkspaceOwned();
        b.Property(x => x.CalendarId).HasMaxLength(CalendarLimits.CalendarIdChars).IsRequired();
        b.Property(x => x.EventId).HasMaxLength(CalendarLimits.EventIdChars).IsRequired();
        b.Property(x => x.Version).HasMaxLength(200);
        b.Property(x => x.Reason).HasMaxLength(32);
        b.HasOne(x => x.Activity).WithMany().HasForeignKey(x => x.ActivityId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Crm.Core.Integrations.Connections.Integration>().WithMany().HasForeignKey(x => x.IntegrationId).OnDelete(DeleteBehavior.Cascade);
        // Looked up by the entries of a provider's page; the calendar is part of the key as ids are unique per calendar only.
        b.HasIndex(x => new { x.IntegrationId, x.EventId, x.CalendarId }).IsUnique();
        b.HasIndex(x => x.ActivityId);
    }
}
