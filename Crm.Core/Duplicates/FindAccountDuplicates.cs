using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Duplicates;

/// <summary>
/// Likely duplicates of one account — an existing one (its page) or one being created — by the scan's rules (the
/// same domain, the same name without legal form), at or above the workspace's "possible duplicate" threshold.
/// </summary>
public sealed class FindAccountDuplicatesHandler(ICrmDbFactory dbFactory)
{
    private const int MaxCandidates = 500;

    public async Task<IReadOnlyList<PossibleDuplicate>> HandleAsync(long accountId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var a = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(x => x.Id == accountId, ct) ?? throw new NotFoundException("Account", accountId);
        return await FindAsync(db, AccountKey.Of(a.Id, a.Domain, a.Name), ct);
    }

    public async Task<IReadOnlyList<PossibleDuplicate>> HandleAsync(Accounts.AccountInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await FindAsync(db, AccountKey.Of(0, input.Domain, input.Name), ct);
    }

    private static async Task<IReadOnlyList<PossibleDuplicate>> FindAsync(ICrmDb db, AccountKey probe, CancellationToken ct)
    {
        if (probe.Domain is null && probe.Name is null) return [];
        var threshold = await db.Workspaces.Where(w => w.Id == db.Actor.WorkspaceId).Select(w => w.DuplicatePossibleThreshold).SingleAsync(ct);
        // Candidates: the same domain (indexed), or a name holding the longest word of this one's normalised name.
        var word = probe.Name?.Split(' ').OrderByDescending(w => w.Length).First();
        var pattern = word is { Length: >= 2 } ? $"%{word}%" : null;
        var candidates = await db.Accounts.AsNoTracking()
            .Where(a => a.Id != probe.Id && ((probe.Domain != null && a.Domain == probe.Domain) || (pattern != null && EF.Functions.Like(a.Name, pattern))))
            .Take(MaxCandidates)
            .Select(a => new { a.Id, a.Domain, a.Name })
            .ToListAsync(ct);
        var list = candidates.Select(a => AccountKey.Of(a.Id, a.Domain, a.Name)).Prepend(probe).ToList();
        var pairs = new DuplicateEngine().Accounts(list, threshold).Where(p => p.A == probe.Id || p.B == probe.Id);
        var byId = candidates.ToDictionary(a => a.Id);
        return pairs.Select(p =>
        {
            var other = byId[p.A == probe.Id ? p.B : p.A];
            return new PossibleDuplicate(other.Id, other.Name, other.Domain, p.Confidence, p.Reasons);
        }).ToList();
    }
}
