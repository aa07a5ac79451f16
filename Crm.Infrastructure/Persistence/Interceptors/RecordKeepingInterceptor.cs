using Crm.Core.Common;
using Crm.Core.Deals;
using Crm.Core.History;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Crm.Infrastructure.Persistence.Interceptors;

/// <summary>
/// Everything that must happen on every save, whoever saves: inserts are stamped with the actor's workspace (and
/// refused without one), rows of another workspace cannot be changed, times and creators are kept, deletes become
/// soft deletes, versions move, and every change to a contact, account or deal is written as <see cref="FieldChange"/> rows (unless the caller
/// writes them itself, see <see cref="CrmDbContext.CallerWritesHistory"/>).
/// </summary>
public sealed class RecordKeepingInterceptor(TimeProvider time) : SaveChangesInterceptor
{
    /// <summary>The clock every stamp is taken from (a test's fake one included).</summary>
    public TimeProvider Time => time;

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Apply(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Apply(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Apply(DbContext? context)
    {
        if (context is not CrmDbContext db) return;
        var actor = db.Actor;
        var now = time.GetUtcNow();
        // Changes were detected when the save began (CrmDbContext); what is stamped here goes through the entry API.
        if (db.ChangeTracker.AutoDetectChangesEnabled) db.ChangeTracker.DetectChanges();
        var changes = new List<FieldChange>();
        var events = new List<Crm.Core.Webhooks.OutboxEvent>();

        foreach (var entry in db.ChangeTracker.Entries().ToList())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached) continue;

            if (entry.State == EntityState.Added)
            {
                RecordWrites.Inserting(entry.Entity, actor, now);
            }
            else
            {
                RecordWrites.GuardWorkspace(entry.Entity, actor,
                    entry.Entity is IWorkspaceOwned && entry.Property(nameof(IWorkspaceOwned.WorkspaceId)).IsModified);
                if (entry is { State: EntityState.Deleted, Entity: ISoftDeletable })
                {
                    entry.State = EntityState.Unchanged;
                    entry.Property(nameof(ISoftDeletable.DeletedAt)).CurrentValue = now;
                }
                if (entry is { State: EntityState.Modified, Entity: ITimestamped }) entry.Property(nameof(ITimestamped.UpdatedAt)).CurrentValue = now;
                if (entry is { State: EntityState.Modified, Entity: IVersioned })
                {
                    var version = entry.Property(nameof(IVersioned.Version));
                    version.CurrentValue = RecordWrites.NextVersion((int)version.OriginalValue!);
                }
            }

            events.AddRange(OutboxWrites.For(entry, now).Where(e => db.AnnouncedEvents?.Contains(e.Type) ?? true));
            if (db.CallerWritesHistory) continue;
            if (entry is { State: EntityState.Modified, Entity: ITrackedRecord record })
                changes.AddRange(FieldChanges.Of(entry, record));
            if (entry is { Entity: DealContact link, State: EntityState.Added or EntityState.Deleted })
                changes.Add(FieldChanges.OfDealContact(link, entry.State == EntityState.Added));
        }

        db.FieldChanges.AddRange(changes.Select(change => RecordWrites.Recorded(change, actor, now)));
        foreach (var message in events) RecordWrites.Inserting(message, actor, now);
        db.OutboxEvents.AddRange(events);
    }
}
