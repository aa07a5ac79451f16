using Crm.Core.Common;
using Crm.Core.Fields;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Duplicates;

/// <summary>
/// Two records side by side, field by field, with the values a merge keeps by default (record A kept): a queued
/// pair, or any two records someone picked (a "possible duplicate" on a record's page), scored by the same rules.
/// </summary>
public sealed class GetDuplicateComparisonHandler(ICrmDbFactory dbFactory)
{
    public async Task<DuplicateComparison> HandleAsync(long candidateId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var candidate = await db.DuplicateCandidates.AsNoTracking().SingleOrDefaultAsync(d => d.Id == candidateId, ct) ?? throw new NotFoundException("Duplicate pair", candidateId);
        return await CompareAsync(db, candidate, ct);
    }

    public async Task<DuplicateComparison> HandleAsync(RecordType type, long a, long b, CancellationToken ct = default)
    {
        if (a == b) throw new ValidationFailedException("Pair", "A record cannot be merged with itself.");
        await using var db = await dbFactory.CreateAsync(ct);
        var (low, high) = (Math.Min(a, b), Math.Max(a, b));
        var candidate = await db.DuplicateCandidates.AsNoTracking().SingleOrDefaultAsync(d => d.RecordType == type && d.RecordAId == low && d.RecordBId == high, ct);
        if (candidate is null)
        {
            var (confidence, reasons) = await ScoreAsync(db, type, a, b, ct);
            candidate = new DuplicateCandidate { RecordType = type, RecordAId = low, RecordBId = high, Confidence = confidence, Reasons = reasons, Status = DuplicateStatus.Open };
        }
        // Keep the order asked for: the record whose page it came from is A, the one kept by default.
        if (candidate.RecordAId != a) (candidate.RecordAId, candidate.RecordBId) = (candidate.RecordBId, candidate.RecordAId);
        return await CompareAsync(db, candidate, ct);
    }

    private static async Task<(int, List<string>)> ScoreAsync(ICrmDb db, RecordType type, long a, long b, CancellationToken ct)
    {
        var engine = new DuplicateEngine();
        IReadOnlyList<DuplicatePair> pairs;
        if (type == RecordType.Contact)
        {
            var keys = await db.Contacts.AsNoTracking().Where(c => c.Id == a || c.Id == b)
                .Select(c => new { c.Id, c.Email, c.LinkedInUrl, c.FirstName, c.LastName, c.AccountId, c.Phone }).ToListAsync(ct);
            if (keys.Count != 2) throw new NotFoundException("Contact", keys.Any(k => k.Id == a) ? b : a);
            var k = keys.Select(c => ContactKey.Of(c.Id, c.Email, c.LinkedInUrl, c.FirstName, c.LastName, c.AccountId, c.Phone)).ToList();
            pairs = engine.ContactAgainst(k[0], [k[1]], minimum: 1);
        }
        else
        {
            var keys = await db.Accounts.AsNoTracking().Where(x => x.Id == a || x.Id == b).Select(x => new { x.Id, x.Domain, x.Name }).ToListAsync(ct);
            if (keys.Count != 2) throw new NotFoundException("Account", keys.Any(k => k.Id == a) ? b : a);
            pairs = engine.Accounts(keys.Select(x => AccountKey.Of(x.Id, x.Domain, x.Name)).ToList(), minimum: 1);
        }
        return pairs.FirstOrDefault() is { } pair ? (pair.Confidence, pair.Reasons.ToList()) : (0, ["Picked by hand: no matching rule"]);
    }

    private static async Task<DuplicateComparison> CompareAsync(ICrmDb db, DuplicateCandidate candidate, CancellationToken ct)
    {
        var view = (await DuplicateViews.ViewsAsync(db, [candidate], ct)).SingleOrDefault()
                   ?? throw new ValidationFailedException("Pair", "One of these records no longer exists (it was merged or deleted).");
        ITrackedRecord a, b;
        if (candidate.RecordType == RecordType.Contact)
            (a, b) = (await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == candidate.RecordAId, ct), await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == candidate.RecordBId, ct));
        else
            (a, b) = (await db.Accounts.AsNoTracking().SingleAsync(x => x.Id == candidate.RecordAId, ct), await db.Accounts.AsNoTracking().SingleAsync(x => x.Id == candidate.RecordBId, ct));
        var labels = await db.CustomFieldDefinitions.AsNoTracking().Where(d => d.RecordType == candidate.RecordType).ToDictionaryAsync(d => "custom." + d.Key, d => d.Label, ct);
        return new DuplicateComparison(view, Merges.Compare(a, b, f => labels.GetValueOrDefault(f) ?? RecordFields.LabelOf(f)),
            await ContextAsync(db, candidate.RecordType, candidate.RecordAId, ct), await ContextAsync(db, candidate.RecordType, candidate.RecordBId, ct));
    }

    private static async Task<RecordContext> ContextAsync(ICrmDb db, RecordType type, long id, CancellationToken ct)
    {
        var activities = type == RecordType.Contact ? db.Activities.AsNoTracking().Where(x => x.ContactId == id) : db.Activities.AsNoTracking().Where(x => x.AccountId == id);
        var deals = type == RecordType.Contact
            ? db.Deals.AsNoTracking().Where(d => db.DealContacts.Any(l => l.DealId == d.Id && l.ContactId == id))
            : db.Deals.AsNoTracking().Where(d => d.AccountId == id);
        var count = await activities.CountAsync(ct);
        var last = count == 0 ? null : await activities.OrderByDescending(x => x.OccurredAt).Select(x => (DateTimeOffset?)x.OccurredAt).FirstOrDefaultAsync(ct);
        var dealCount = await deals.CountAsync(ct);
        var dealNames = await deals.OrderByDescending(d => d.UpdatedAt).Select(d => d.Name).Take(3).ToListAsync(ct);
        var contacts = type == RecordType.Account ? await db.Contacts.CountAsync(c => c.AccountId == id, ct) : 0;
        return new RecordContext(count, last, dealCount, dealNames, contacts);
    }
}
