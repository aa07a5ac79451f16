using System.ComponentModel.DataAnnotations;
using Crm.Core.Common;
using Crm.Core.Duplicates;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Integrations;

/// <summary>
/// A record of ours known to another system under its own id: HubSpot's contact 51, Salesforce's 003… . Sync matches
/// through these; a merge moves the merged record's links to the record kept, so the other system's ids keep matching.
/// </summary>
public sealed class ExternalLink : Entity, IWorkspaceOwned, ITimestamped
{
    public long WorkspaceId { get; set; }
    /// <summary>Lower case: "hubspot", "salesforce", "google", "microsoft", or another system's short name.</summary>
    public string Provider { get; set; } = "";
    public RecordType RecordType { get; set; }
    public long RecordId { get; set; }
    public string ExternalId { get; set; } = "";
    public DateTimeOffset? LastSyncedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed record ExternalLinkView(long Id, string Provider, RecordType RecordType, long RecordId, string ExternalId, DateTimeOffset? LastSyncedAt, DateTimeOffset CreatedAt)
{
    public static ExternalLinkView Of(ExternalLink l) => new(l.Id, l.Provider, l.RecordType, l.RecordId, l.ExternalId, l.LastSyncedAt, l.CreatedAt);
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
        foreach (var link in await db.ExternalLinks.Where(l => l.RecordType == type && l.RecordId == fromId).ToListAsync(ct))
        {
            link.RecordId = toId;
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
        return (await db.ExternalLinks.AsNoTracking().Where(l => l.RecordType == type && l.RecordId == recordId).OrderBy(l => l.Provider).ThenBy(l => l.Id).ToListAsync(ct))
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
        var existing = await db.ExternalLinks.SingleOrDefaultAsync(l => l.Provider == provider && l.RecordType == type && l.ExternalId == externalId, ct);
        if (existing is not null)
        {
            if (existing.RecordId == recordId) return ExternalLinkView.Of(existing);
            throw new ConflictException($"{provider} {type.ToString().ToLowerInvariant()} {externalId} is already linked to record {existing.RecordId}.");
        }
        var link = new ExternalLink { Provider = provider, RecordType = type, RecordId = recordId, ExternalId = externalId };
        db.ExternalLinks.Add(link);
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
        var link = await db.ExternalLinks.SingleOrDefaultAsync(l => l.Id == linkId, ct) ?? throw new NotFoundException("External link", linkId);
        db.ExternalLinks.Remove(link);
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
        var link = await db.ExternalLinks.AsNoTracking().SingleOrDefaultAsync(l => l.Provider == key && l.RecordType == type && l.ExternalId == id, ct)
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
