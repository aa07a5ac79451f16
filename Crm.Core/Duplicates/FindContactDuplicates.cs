using Crm.Core.Common;
using Crm.Core.Contacts;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Duplicates;

/// <summary>
/// Likely duplicates of one contact — an existing one (its page) or one being created (a warning before saving) —
/// by the scan's own rules, at or above the workspace's "possible duplicate" threshold.
/// </summary>
public sealed class FindContactDuplicatesHandler(ICrmDbFactory dbFactory)
{
    private const int MaxCandidates = 500;

    public async Task<IReadOnlyList<PossibleDuplicate>> HandleAsync(long contactId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var c = await db.Contacts.AsNoTracking().SingleOrDefaultAsync(x => x.Id == contactId, ct) ?? throw new NotFoundException("Contact", contactId);
        return await FindAsync(db, ContactKey.Of(c.Id, c.Email, c.LinkedInUrl, c.FirstName, c.LastName, c.AccountId, c.Phone), c.Email, c.Phone, ct);
    }

    public async Task<IReadOnlyList<PossibleDuplicate>> HandleAsync(ContactInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var email = Text.CleanEmail(input.Email);
        return await FindAsync(db, ContactKey.Of(0, email, input.LinkedInUrl, input.FirstName, input.LastName, input.AccountId, input.Phone), email, Text.Clean(input.Phone), ct);
    }

    private static async Task<IReadOnlyList<PossibleDuplicate>> FindAsync(ICrmDb db, ContactKey probe, string? email, string? phone, CancellationToken ct)
    {
        var threshold = await db.Workspaces.Where(w => w.Id == db.Actor.WorkspaceId).Select(w => w.DuplicatePossibleThreshold).SingleAsync(ct);
        var slug = probe.LinkedIn is { } l ? l[(l.LastIndexOf('/') + 1)..] : null;
        // Candidates through indexed keys: the same email, account, phone, or LinkedIn profile.
        var candidates = await db.Contacts.AsNoTracking()
            .Where(c => c.Id != probe.Id && (
                (email != null && c.Email == email)
                || (probe.AccountId != null && c.AccountId == probe.AccountId)
                || (phone != null && c.Phone == phone) || (probe.Phone != null && c.Phone == probe.Phone)
                || (slug != null && c.LinkedInUrl != null && c.LinkedInUrl.Contains(slug))))
            .Take(MaxCandidates)
            .Select(c => new { c.Id, c.Email, c.LinkedInUrl, c.FirstName, c.LastName, c.AccountId, c.Phone })
            .ToListAsync(ct);
        var keys = candidates.Select(c => ContactKey.Of(c.Id, c.Email, c.LinkedInUrl, c.FirstName, c.LastName, c.AccountId, c.Phone)).ToList();
        var pairs = new DuplicateEngine().ContactAgainst(probe, keys, threshold);
        var byId = candidates.ToDictionary(c => c.Id);
        return pairs.Select(p =>
        {
            var other = byId[p.A == probe.Id ? p.B : p.A];
            return new PossibleDuplicate(other.Id, ContactNames.Display(other.FirstName, other.LastName, other.Email), other.Email, p.Confidence, p.Reasons);
        }).ToList();
    }
}
