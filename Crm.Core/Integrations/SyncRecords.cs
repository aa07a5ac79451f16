using System.ComponentModel.DataAnnotations;
using Crm.Core.Common;
using Crm.Core.Duplicates;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Integrations;

/// <summary>Whether a linked record keeps in step (the seed's <c>SyncRecord.syncStatus</c>).</summary>
public enum SyncRecordStatus
{
    InSync = 0,
    /// <summary>Its last sync failed (<see cref="SyncRecord.LastError"/>); retried on the next run, or by a person.</summary>
    Failing = 1,
    /// <summary>A person excluded it: no sync touches it until it is included again.</summary>
    Excluded = 2,
}

public enum SyncConflictStatus
{
    None = 0,
    /// <summary>Both sides changed a field whose rule is "manual": waiting in the conflict queue.</summary>
    Pending = 1,
    Resolved = 2,
}

/// <summary>
/// The link between a record of ours and its id in another system (the seed's <c>SyncRecord</c>): HubSpot's contact 51,
/// Salesforce's 003… . Unique both ways per system and type — one id leads to one record, one record has one id — except
/// for links a merge moved onto the record kept (<see cref="MergedFromRecordId"/>), which keep matching the other
/// system's id until the merge is undone. It holds what change and conflict detection need: each side's version and
/// hash at the last sync.
/// </summary>
public sealed class SyncRecord : Entity, IWorkspaceOwned, ITimestamped
{
    public long WorkspaceId { get; set; }
    /// <summary>Lower case: "hubspot", "salesforce", "google", "microsoft", or another system's short name.</summary>
    public string Provider { get; set; } = "";
    /// <summary>The connection that syncs it; null for a link made by hand or through the API.</summary>
    public long? IntegrationId { get; set; }
    public RecordType RecordType { get; set; }
    public long RecordId { get; set; }
    public string ExternalId { get; set; } = "";
    public DateTimeOffset? LastSyncedAt { get; set; }
    /// <summary>Our record's version when it was last synced.</summary>
    public long? LocalVersion { get; set; }
    /// <summary>Their version when it was last synced (HubSpot's updatedAt, Salesforce's SystemModstamp, an ETag).</summary>
    public string? RemoteVersion { get; set; }
    /// <summary>SHA-256 of our synced fields at the last sync, and of theirs: a field changed on a side when its hash moved.</summary>
    public string? LocalHash { get; set; }
    public string? RemoteHash { get; set; }
    /// <summary>The mapped fields' values both sides agreed on at the last sync (JSON, our field keys): what each field is compared with.</summary>
    public string? SyncedValues { get; set; }
    public SyncRecordStatus Status { get; set; }
    public SyncConflictStatus ConflictStatus { get; set; }
    public string? LastError { get; set; }
    public int ErrorCount { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    /// <summary>Set when a merge moved this link from the merged-away record; undoing the merge moves it back.</summary>
    public long? MergedFromRecordId { get; set; }
    /// <summary>The associations both sides agreed on at the last sync, per object type there, in their ids (JSON: {"companies":["5001"]}).</summary>
    public string? Associations { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed record ExternalLinkView(long Id, string Provider, RecordType RecordType, long RecordId, string ExternalId, DateTimeOffset? LastSyncedAt, DateTimeOffset CreatedAt)
{
    public static ExternalLinkView Of(SyncRecord l) => new(l.Id, l.Provider, l.RecordType, l.RecordId, l.ExternalId, l.LastSyncedAt, l.CreatedAt);
}

public sealed class ExternalLinkInput
{
    [Required(ErrorMessage = "Name the other system, like hubspot or salesforce."), MaxLength(FieldLimits.ShortCode)]
    [RegularExpression("^[A-Za-z][A-Za-z0-9_-]*$", ErrorMessage = "A system's name is letters, digits, - or _, like hubspot.")]
    public string? Provider { get; set; }

    [Required(ErrorMessage = "Give the record's id in the other system."), MaxLength(FieldLimits.ExternalId)]
    public string? ExternalId { get; set; }
}

/// <summary>The record another system's id leads to, after any merges.</summary>
public sealed record ResolvedLink(RecordType RecordType, long RecordId, bool Merged);

public static class ExternalLinks
{
    public static string Provider(string provider) => provider.Trim().ToLowerInvariant();

    /// <summary>Moves every link of <paramref name="fromId"/> to <paramref name="toId"/>; returns the links moved.</summary>
    public static async Task<List<long>> MoveAsync(ICrmDb db, RecordType type, long fromId, long toId, CancellationToken ct)
    {
        var moved = new List<long>();
        foreach (var link in await db.SyncRecords.Where(l => l.RecordType == type && l.RecordId == fromId).ToListAsync(ct))
        {
            link.RecordId = toId;
            link.MergedFromRecordId = fromId;
            moved.Add(link.Id);
        }
        return moved;
    }
}

public sealed class ListExternalLinksHandler(ICrmDbFactory dbFactory)
{
    public async Task<IReadOnlyList<ExternalLinkView>> HandleAsync(RecordType type, long recordId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        await db.EnsureExistsAsync(type, recordId, ct);
        return (await db.SyncRecords.AsNoTracking().Where(l => l.RecordType == type && l.RecordId == recordId).OrderBy(l => l.Provider).ThenBy(l => l.Id).ToListAsync(ct))
            .Select(ExternalLinkView.Of).ToList();
    }
}

/// <summary>Links a record to its id in another system; one id of one system leads to one record.</summary>
public sealed class LinkExternalRecordHandler(ICrmDbFactory dbFactory)
{
    public async Task<ExternalLinkView> HandleAsync(RecordType type, long recordId, ExternalLinkInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        InputValidation.ThrowIfInvalid(input);
        await db.EnsureExistsAsync(type, recordId, ct);
        var provider = ExternalLinks.Provider(input.Provider!);
        var externalId = input.ExternalId!.Trim();
        var existing = await db.SyncRecords.SingleOrDefaultAsync(l => l.Provider == provider && l.RecordType == type && l.ExternalId == externalId, ct);
        if (existing is not null)
        {
            if (existing.RecordId == recordId) return ExternalLinkView.Of(existing);
            throw new ConflictException($"{provider} {type.ToString().ToLowerInvariant()} {externalId} is already linked to record {existing.RecordId}.");
        }
        var current = await db.SyncRecords.AsNoTracking().FirstOrDefaultAsync(l => l.Provider == provider && l.RecordType == type && l.RecordId == recordId && l.MergedFromRecordId == null, ct);
        if (current is not null)
            throw new ConflictException($"This record is already linked to {provider} {type.ToString().ToLowerInvariant()} {current.ExternalId}; unlink it first to link another.");
        var link = new SyncRecord { Provider = provider, RecordType = type, RecordId = recordId, ExternalId = externalId };
        db.SyncRecords.Add(link);
        await db.SaveChangesAsync(ct);
        return ExternalLinkView.Of(link);
    }
}

public sealed class UnlinkExternalRecordHandler(ICrmDbFactory dbFactory)
{
    public async Task HandleAsync(long linkId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var link = await db.SyncRecords.SingleOrDefaultAsync(l => l.Id == linkId, ct) ?? throw new NotFoundException("External link", linkId);
        db.SyncRecords.Remove(link);
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>Which record another system's id means here — the record kept, if it was merged.</summary>
public sealed class ResolveExternalLinkHandler(ICrmDbFactory dbFactory)
{
    public async Task<ResolvedLink> HandleAsync(string provider, RecordType type, string externalId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var key = ExternalLinks.Provider(provider);
        var id = externalId.Trim();
        var link = await db.SyncRecords.AsNoTracking().SingleOrDefaultAsync(l => l.Provider == key && l.RecordType == type && l.ExternalId == id, ct)
                   ?? throw new NotFoundException($"{key} {type.ToString().ToLowerInvariant()}", id);
        // Links move with merges; a link written to a tombstone some other way still leads to the record kept.
        var final = type switch
        {
            RecordType.Contact => await Tombstones.FinalAsync(db.Contacts, link.RecordId, ct),
            RecordType.Account => await Tombstones.FinalAsync(db.Accounts, link.RecordId, ct),
            _ => link.RecordId,
        };
        return new ResolvedLink(type, final, final != link.RecordId);
    }
}
