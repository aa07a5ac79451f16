using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Integrations.Connections;

namespace Crm.Core.Sync;

/// <summary>One record a held run would have changed: ours (when linked), theirs, its name and what would have happened.</summary>
public sealed record HeldItem(long? RecordId, string ExternalId, string Name, string Action);

/// <summary>
/// A sync run stopped before writing because it would have archived, deleted or overwritten more than the connection's
/// share of synced records: how many, of how many, and the first <see cref="MassChangeGuard.Listed"/> of them.
/// </summary>
public sealed record HeldChange(string ObjectType, int Synced, int Changes, int Percent, DateTimeOffset At, IReadOnlyList<HeldItem> Items)
{
    public string Message => $"This run would change {Changes:N0} of {Synced:N0} synced {ObjectType} ({(Synced == 0 ? 100 : Changes * 100 / Synced)}%, over the {Percent}% limit); "
                             + "it stopped before writing anything. Review the list and let it through, or pause the connection.";

    public string ToJson() => JsonSerializer.Serialize(this);

    public static HeldChange? FromJson(string? json) => json is null ? null : JsonSerializer.Deserialize<HeldChange>(json);
}

/// <summary>Thrown by a syncer that holds a mass change: the run ends (nothing of it written) and the connection shows why.</summary>
public sealed class MassChangeHeldException(HeldChange held) : Exception(held.Message)
{
    public HeldChange Held { get; } = held;
}

/// <summary>
/// The mass-change guard's count: destructive changes (an archive or delete either way, an overwrite of a synced record)
/// against the connection's limit. Small runs are never held: below <see cref="Floor"/> changes a run goes ahead.
/// </summary>
public sealed class MassChangeGuard(string objectType, int synced, int percent, DateTimeOffset at)
{
    public const int Listed = 200;
    /// <summary>A handful of changes is never a mass change, however few records are synced.</summary>
    public const int Floor = 10;

    private readonly List<HeldItem> _items = [];
    public int Changes { get; private set; }
    public int Limit { get; } = Math.Max(Floor, synced * percent / 100);
    public bool Exceeded => Changes > Limit;

    public void Add(long? recordId, string externalId, string name, string action)
    {
        Changes++;
        if (_items.Count < Listed) _items.Add(new HeldItem(recordId, externalId, name, action));
    }

    public HeldChange Held() => new(objectType, synced, Changes, percent, at, _items);
}

/// <summary>An admin lets a held mass change through: the connection's next run (started now) goes ahead once.</summary>
public sealed class ApproveMassChangeHandler(ICrmDbFactory dbFactory, IConnectionSchedule schedule, TimeProvider time)
{
    public async Task<IntegrationView> HandleAsync(long integrationId, CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            Roles.EnsureAdmin(db.Actor);
            var row = await ConnectionAccess.LoadAsync(db, integrationId, ct);
            if (row.HeldChange is null) throw new ConflictException("Nothing is waiting for approval on this connection.");
            row.MassChangeApprovedAt = time.GetUtcNow();
            row.ErrorMessage = null;
            await db.SaveChangesAsync(ct);
            if (row.PausedAt is null) await schedule.RunNowAsync(db.Actor.WorkspaceId, integrationId, ct);
        }
        return await ConnectionAccess.ViewAsync(dbFactory, integrationId, ct);
    }
}
