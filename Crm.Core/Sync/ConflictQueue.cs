using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Integrations;
using Crm.Core.Integrations.Connections;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Sync;

public sealed record SyncConflictView(long Id, long IntegrationId, RecordType RecordType, long RecordId, string? RecordName, string ExternalId, string Field,
    string? OursValue, DateTimeOffset OursChangedAt, string? OursChangedBy, string? TheirsValue, DateTimeOffset TheirsChangedAt,
    SyncConflictState State, ConflictResolution? Resolution, string? ResolvedValue, DateTimeOffset? ResolvedAt);

/// <summary>The conflict queue of a connection: open conflicts first, newest first (admins).</summary>
public sealed class ListSyncConflictsHandler(ICrmDbFactory dbFactory)
{
    public const int MaxShown = 500;

    public async Task<IReadOnlyList<SyncConflictView>> HandleAsync(long integrationId, bool includeResolved = false, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        await ConnectionAccess.LoadAsync(db, integrationId, ct);
        return await db.SyncConflicts.AsNoTracking().Where(c => c.IntegrationId == integrationId && (includeResolved || c.State == SyncConflictState.Open))
            .OrderBy(c => c.State).ThenByDescending(c => c.Id).Take(MaxShown)
            .Select(c => new SyncConflictView(c.Id, c.IntegrationId, c.RecordType, c.RecordId,
                db.Contacts.Where(x => x.Id == c.RecordId).Select(x => ((x.FirstName ?? "") + " " + (x.LastName ?? "")).Trim() + (x.Email != null ? " <" + x.Email + ">" : "")).FirstOrDefault(),
                c.ExternalId, c.Field, c.OursValue, c.OursChangedAt, c.OursChangedBy, c.TheirsValue, c.TheirsChangedAt, c.State, c.Resolution, c.ResolvedValue, c.ResolvedAt))
            .ToListAsync(ct);
    }
}

public sealed class ResolveConflictInput
{
    /// <summary>"ours", "theirs" or "value".</summary>
    public string? Take { get; set; }
    /// <summary>The value to push to both sides when <see cref="Take"/> is "value" (empty clears the field).</summary>
    [System.ComponentModel.DataAnnotations.MaxLength(FieldLimits.HistoryValue)]
    public string? Value { get; set; }
}

/// <summary>
/// Resolves a queued conflict: the chosen value is written here (keeping ours writes nothing here) and the link is set
/// so the next run takes it out to the other system — which starts now. The record's history says a person decided.
/// </summary>
public sealed class ResolveSyncConflictHandler(ICrmDbFactory dbFactory, IConnectionSchedule schedule, TimeProvider time)
{
    /// <summary>A remembered value no field holds: our side then always counts as moved, so the decided value goes out.</summary>
    private const string Unsent = "\u0000decided";

    public async Task<SyncConflictView> HandleAsync(long integrationId, long conflictId, ResolveConflictInput input, CancellationToken ct = default)
    {
        InputValidation.ThrowIfInvalid(input);
        var resolution = input.Take switch
        {
            "ours" => ConflictResolution.KeptOurs,
            "theirs" => ConflictResolution.TookTheirs,
            "value" => ConflictResolution.Typed,
            _ => throw new ValidationFailedException(new Dictionary<string, string[]> { ["Take"] = ["Choose ours, theirs or value."] }),
        };
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            Roles.EnsureAdmin(db.Actor);
            var connection = await ConnectionAccess.LoadAsync(db, integrationId, ct);
            var conflict = await db.SyncConflicts.SingleOrDefaultAsync(c => c.Id == conflictId && c.IntegrationId == integrationId, ct) ?? throw new NotFoundException("Conflict", conflictId);
            if (conflict.State == SyncConflictState.Resolved) throw new ConflictException("This conflict was already resolved.");
            var value = resolution switch
            {
                ConflictResolution.KeptOurs => conflict.OursValue,
                ConflictResolution.TookTheirs => conflict.TheirsValue,
                _ => SyncSide.Normal(input.Value?.Trim()),
            };
            var write = new Dictionary<string, string?> { [conflict.Field] = value };
            var written = conflict.RecordType switch
            {
                RecordType.Contact => await WriteAsync(db, new SyncedContacts(), conflict.RecordId, write, ct),
                RecordType.Account => await WriteAsync(db, new SyncedAccounts(), conflict.RecordId, write, ct),
                _ => false,
            };
            if (!written) throw new ConflictException("The record was deleted; there is nothing left to decide.");
            var link = await db.SyncRecords.SingleOrDefaultAsync(l => l.Id == conflict.SyncRecordId, ct);
            if (link?.SyncedValues is { } json && JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string?>>>(json) is { } stored)
            {
                // Their side is "as it is now" and ours "as it was": the next run sees only our side moved, and takes the value out.
                if (stored.TryGetValue("Remote", out var remote)) remote[conflict.Field] = conflict.TheirsValue;
                if (stored.TryGetValue("Local", out var local)) local[conflict.Field] = Unsent;
                link.SyncedValues = JsonSerializer.Serialize(stored);
                link.LocalHash = null;
                link.RemoteHash = null;
                link.ConflictStatus = SyncConflictStatus.Resolved;
                link.LastError = null;
            }
            (conflict.State, conflict.Resolution, conflict.ResolvedValue, conflict.ResolvedByUserId, conflict.ResolvedAt) =
                (SyncConflictState.Resolved, resolution, value, db.Actor.UserId, time.GetUtcNow());
            await db.SaveChangesAsync(ct);
            if (connection is { PausedAt: null, IsActive: true, Status: ConnectionStatus.Connected or ConnectionStatus.Error or ConnectionStatus.Syncing })
                await schedule.RunNowAsync(db.Actor.WorkspaceId, integrationId, ct);
        }
        return (await new ListSyncConflictsHandler(dbFactory).HandleAsync(integrationId, includeResolved: true, ct)).Single(c => c.Id == conflictId);
    }

    private static async Task<bool> WriteAsync<T>(ICrmDb db, ISyncedRecords<T> records, long id, IReadOnlyDictionary<string, string?> values, CancellationToken ct)
        where T : Entity, ITrackedRecord
    {
        var record = await records.Query(db).SingleOrDefaultAsync(r => r.Id == id, ct);
        if (record is null) return false;
        await records.WriteAsync(db, record, values, ct);
        return true;
    }
}
