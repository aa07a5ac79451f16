using System.Collections.Concurrent;
using Crm.Core.Calendar;
using Crm.Core.Common;
using Crm.Core.Email;
using Crm.Core.Timeline;
using Crm.Infrastructure.Imports;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Crm.Infrastructure.Persistence;

/// <summary>
/// A save on SQLite that adds many timeline rows at once (a calendar or mailbox page logged: meetings, their links,
/// the calendar entries): those rows go through statements prepared once on SQLite's own API
/// (<see cref="SqliteStatement"/>), in the save's transaction, before EF writes the rest. EF's per-row command
/// building and result reading cost about four times the insert itself (measured on 250-meeting pages). Rows are
/// stamped and guarded by <see cref="RecordWrites"/> exactly as the record-keeping interceptor stamps them; a kind
/// of row qualifies only when EF would write nothing else for it (no generated or defaulted column but its id).
/// </summary>
internal static class SqliteAddedRows
{
    /// <summary>Fewer new rows than this are left to EF: the statements' preparation would cost more than it saves.</summary>
    public const int Threshold = 64;

    /// <summary>The kinds written this way, principals before the rows that point at them.</summary>
    private static readonly Type[] Kinds = [typeof(Activity), typeof(MailboxMessage), typeof(ActivityLink), typeof(CalendarEventLink)];

    /// <summary>The new rows of the kinds written here, when there are enough of them to be worth it; otherwise none.</summary>
    public static List<EntityEntry> Find(CrmDbContext db)
    {
        var added = db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added && Rank(e.Metadata) >= 0).ToList();
        return added.Count < Threshold ? [] : added;
    }

    /// <summary>
    /// Writes <paramref name="added"/> (from <see cref="Find"/>, in an open transaction) and marks them saved; what
    /// remains is for EF's own save in the same transaction. Returns how many rows were written. A failure leaves the
    /// context unusable: its entries already carry ids of rows the rollback takes back.
    /// </summary>
    public static int Write(CrmDbContext db, List<EntityEntry> added, DateTimeOffset now)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var statements = new Dictionary<IEntityType, (SqliteStatement Statement, IProperty[] Shadow)>();
        var written = 0;
        var events = new List<Crm.Core.Webhooks.OutboxEvent>();
        // A calendar or mailbox page logs hundreds of activities: their events are written when an endpoint wants them
        // (one look at the workspace's few subscriptions per save), not eight thousand rows for nobody.
        var wanted = db.WantedEvents();
        void Insert(EntityEntry entry)
        {
            RecordWrites.Inserting(entry.Entity, db.Actor, now);
            if (!statements.TryGetValue(entry.Metadata, out var prepared))
            {
                var statement = SqliteStatement.InsertTracked(entry.Metadata, connection, out var shadow);
                statements[entry.Metadata] = prepared = (statement, shadow);
            }
            var id = prepared.Statement.Insert(entry.Entity, prepared.Shadow.Select(p => entry.Property(p.Name).CurrentValue).ToList());
            // What EF's own save would announce for it (an activity logged).
            if (wanted.Count > 0) events.AddRange(OutboxWrites.For(entry, now).Where(e => wanted.Contains(e.Type)));
            // Its id moves to the rows that point at it (EF's fix-up), and EF will not write it again.
            entry.Property("Id").CurrentValue = id;
            entry.State = EntityState.Unchanged;
            // What was written is what it was read as (the snapshot EF took when it was added predates the stamps).
            entry.OriginalValues.SetValues(entry.CurrentValues);
            written++;
        }
        try
        {
            foreach (var entry in added.OrderBy(e => Rank(e.Metadata)))
            {
                // A row pointing at a row EF has still to write (a contact created in the same save) waits for EF.
                if (entry.Metadata.GetForeignKeys().SelectMany(fk => fk.Properties).Any(p => entry.Property(p.Name).IsTemporary)) continue;
                Insert(entry);
            }
            // The events, now that the rows they are about have ids.
            db.OutboxEvents.AddRange(events.ToList());
            foreach (var message in events.ToList()) Insert(db.Entry(message));
        }
        catch (SqliteException e)
        {
            throw new DbUpdateException($"A new {added.FirstOrDefault()?.Metadata.ClrType.Name} row could not be written: {e.Message}", e);
        }
        finally
        {
            foreach (var (statement, _) in statements.Values) statement.Dispose();
        }
        return written;
    }

    private static readonly ConcurrentDictionary<IEntityType, int> Ranks = new();

    /// <summary>The position of the row's kind in <see cref="Kinds"/>, or -1 when it is not written here.</summary>
    private static int Rank(IEntityType type) => Ranks.GetOrAdd(type, t =>
        Array.FindIndex(Kinds, k => k.IsAssignableFrom(t.ClrType)) is var rank and >= 0 && Qualifies(t) ? rank : -1);

    /// <summary>
    /// Only an id the database generates: every other column is written as the row holds it, as EF would (a column
    /// that activity kinds share is "generated on update sometimes" only in that another kind may write it).
    /// </summary>
    private static bool Qualifies(IEntityType type) =>
        type.FindPrimaryKey() is { Properties: [{ Name: "Id", ClrType: var key }] } && key == typeof(long)
        && !type.GetComplexProperties().Any() && !type.GetNavigations().Any(n => n.TargetEntityType.IsOwned())
        && type.GetProperties().All(p => p.IsPrimaryKey() || (p.ValueGenerated is ValueGenerated.Never or ValueGenerated.OnUpdateSometimes && p.FindAnnotation(RelationalAnnotationNames.DefaultValue) is null
            && p.FindAnnotation(RelationalAnnotationNames.DefaultValueSql) is null && p.FindAnnotation(RelationalAnnotationNames.ComputedColumnSql) is null));
}
