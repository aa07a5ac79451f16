using Crm.Core.Common;
using Crm.Core.Contacts;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Duplicates;

public sealed record RecordSummary(long Id, string Name, string? Email, string? Detail, DateTimeOffset UpdatedAt);

public sealed record DuplicatePairView(long Id, RecordType RecordType, RecordSummary A, RecordSummary B, int Confidence, IReadOnlyList<string> Reasons, DuplicateStatus Status);

/// <param name="A">What hangs on record A (activities, deals, the last activity), so the admin can choose which to keep.</param>
public sealed record DuplicateComparison(DuplicatePairView Pair, IReadOnlyList<MergeField> Fields, RecordContext? A = null, RecordContext? B = null);

/// <summary>A record's weight: how many activities and deals it carries and when it last had an activity.</summary>
public sealed record RecordContext(int Activities, DateTimeOffset? LastActivityAt, int Deals, IReadOnlyList<string> DealNames, int Contacts);

public sealed record PossibleDuplicate(long Id, string Name, string? Email, int Confidence, IReadOnlyList<string> Reasons);

public sealed record ScanResult(int ContactPairs, int AccountPairs, int Queued, int AutoMerged, long PairsCompared, TimeSpan Duration);

internal static class DuplicateViews
{
    public static async Task<IReadOnlyList<DuplicatePairView>> ViewsAsync(ICrmDb db, IReadOnlyList<DuplicateCandidate> candidates, CancellationToken ct)
    {
        var summaries = await SummariesAsync(db, candidates.GroupBy(c => c.RecordType).ToDictionary(g => g.Key, g => g.SelectMany(c => new[] { c.RecordAId, c.RecordBId }).ToHashSet()), ct);
        return candidates
            .Where(c => summaries.ContainsKey((c.RecordType, c.RecordAId)) && summaries.ContainsKey((c.RecordType, c.RecordBId)))
            .Select(c => new DuplicatePairView(c.Id, c.RecordType, summaries[(c.RecordType, c.RecordAId)], summaries[(c.RecordType, c.RecordBId)], c.Confidence, c.Reasons, c.Status))
            .ToList();
    }

    public static async Task<Dictionary<(RecordType, long), RecordSummary>> SummariesAsync(ICrmDb db, IReadOnlyDictionary<RecordType, HashSet<long>> ids, CancellationToken ct)
    {
        var result = new Dictionary<(RecordType, long), RecordSummary>();
        if (ids.TryGetValue(RecordType.Contact, out var contactIds))
            foreach (var c in await db.Contacts.AsNoTracking().Where(c => contactIds.Contains(c.Id))
                         .Select(c => new { c.Id, c.FirstName, c.LastName, c.Email, Company = c.Account != null ? c.Account.Name : null, c.Phone, c.UpdatedAt }).ToListAsync(ct))
                result[(RecordType.Contact, c.Id)] = new RecordSummary(c.Id, ContactNames.Display(c.FirstName, c.LastName, c.Email), c.Email,
                    string.Join(" · ", new[] { c.Company, c.Phone }.OfType<string>()), c.UpdatedAt);
        if (ids.TryGetValue(RecordType.Account, out var accountIds))
            foreach (var a in await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).Select(a => new { a.Id, a.Name, a.Domain, a.City, a.UpdatedAt }).ToListAsync(ct))
                result[(RecordType.Account, a.Id)] = new RecordSummary(a.Id, a.Name, null, string.Join(" · ", new[] { a.Domain, a.City }.OfType<string>()), a.UpdatedAt);
        return result;
    }
}
