using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Duplicates;

/// <summary>
/// "None of these are duplicates" for a whole group (twenty people behind one switchboard number): every open pair of
/// the group is dismissed at once — in one statement, so a group of any size takes a moment — and the ids are
/// returned so the page can offer to undo it.
/// </summary>
public sealed class DismissDuplicateGroupHandler(ICrmDbFactory dbFactory, TimeProvider time)
{
    public async Task<IReadOnlyList<long>> HandleAsync(RecordType type, string rule, string key, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var group = db.DuplicateCandidates.Where(d => d.Status == DuplicateStatus.Open && d.RecordType == type && d.Rule == rule && d.GroupKey == key);
        var ids = await group.Select(d => d.Id).ToListAsync(ct);
        if (ids.Count == 0) throw new ValidationFailedException("Group", "No pair of this group is waiting for review any more (dismissed or merged already).");
        var (now, user) = (time.GetUtcNow(), db.Actor.UserId);
        await group.Where(d => ids.Contains(d.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, DuplicateStatus.Dismissed).SetProperty(d => d.ResolvedAt, now)
            .SetProperty(d => d.ResolvedByUserId, user).SetProperty(d => d.UpdatedAt, now), ct);
        return ids;
    }
}

/// <summary>Undoes dismissals (a group dismissed by mistake): the pairs go back into the queue as they were.</summary>
public sealed class ReopenDuplicatesHandler(ICrmDbFactory dbFactory, TimeProvider time)
{
    public const int MaxPairs = 10_000;

    public async Task<int> HandleAsync(IReadOnlyCollection<long> candidateIds, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        if (candidateIds.Count > MaxPairs) throw new ValidationFailedException("Ids", $"At most {MaxPairs:N0} pairs are reopened at once.");
        var ids = candidateIds.Distinct().ToList();
        var now = time.GetUtcNow();
        return await db.DuplicateCandidates.Where(d => ids.Contains(d.Id) && d.Status == DuplicateStatus.Dismissed)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DuplicateStatus.Open).SetProperty(d => d.ResolvedAt, (DateTimeOffset?)null)
                .SetProperty(d => d.ResolvedByUserId, (long?)null).SetProperty(d => d.UpdatedAt, now), ct);
    }
}
