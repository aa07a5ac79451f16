using System.Globalization;
using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Duplicates;

/// <summary>Pairs waiting for review that one rule found by one shared value: "20 contacts share +1 303 555 0199".</summary>
public sealed record DuplicateGroupView(RecordType RecordType, string Rule, string Key, string Label, int Pairs, int Records, int TopConfidence);

/// <summary>
/// The review queue by group, most certain and biggest first, paged at the database: a million open pairs are grouped
/// by one index (status, type, rule, shared key, confidence), so the first page does not read the pairs themselves.
/// </summary>
public sealed class ListDuplicateGroupsHandler(ICrmDbFactory dbFactory)
{
    public async Task<PagedResult<DuplicateGroupView>> HandleAsync(RecordType? type = null, int page = 1, int pageSize = 25, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        (page, pageSize) = (Math.Max(1, page), Math.Clamp(pageSize, 1, 200));
        var open = db.DuplicateCandidates.AsNoTracking().Where(d => d.Status == DuplicateStatus.Open);
        if (type is { } t) open = open.Where(d => d.RecordType == t);
        var groups = open.GroupBy(d => new { d.RecordType, d.Rule, d.GroupKey })
            .Select(g => new { g.Key.RecordType, g.Key.Rule, g.Key.GroupKey, Pairs = g.Count(), Top = g.Max(d => d.Confidence) });
        var total = await groups.CountAsync(ct);
        var rows = await groups.OrderByDescending(g => g.Top).ThenByDescending(g => g.Pairs).ThenBy(g => g.Rule).ThenBy(g => g.GroupKey)
            .Skip(Paging.Offset(page, pageSize)).Take(pageSize).ToListAsync(ct);

        // How many records each group of this page joins (a few hundred pairs at most each: a key shared by more records is no identity).
        var records = new List<int>(rows.Count);
        foreach (var row in rows)
        {
            var pairs = await open.Where(d => d.RecordType == row.RecordType && d.Rule == row.Rule && d.GroupKey == row.GroupKey)
                .Select(d => new { d.RecordAId, d.RecordBId }).Take(5_000).ToListAsync(ct);
            records.Add(pairs.SelectMany(p => new[] { p.RecordAId, p.RecordBId }).Distinct().Count());
        }
        var accountIds = rows.Where(r => r.Rule is DuplicateRules.NameAtAccount or DuplicateRules.SimilarNameAtAccount)
            .Select(r => AccountOf(r.GroupKey)).OfType<long>().Distinct().ToList();
        var accountNames = accountIds.Count == 0 ? new Dictionary<long, string>()
            : await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var items = rows.Select((r, i) => new DuplicateGroupView(r.RecordType, r.Rule, r.GroupKey,
            Label(r.RecordType, r.Rule, r.GroupKey, records[i], accountNames), r.Pairs, records[i], r.Top)).ToList();
        return new PagedResult<DuplicateGroupView>(items, total, page, pageSize);
    }

    private static long? AccountOf(string key) =>
        long.TryParse(key.Split('|')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>What the records of a group share, in a sentence.</summary>
    public static string Label(RecordType type, string rule, string key, int records, IReadOnlyDictionary<long, string> accountNames)
    {
        var noun = type == RecordType.Account ? (records == 1 ? "account" : "accounts") : (records == 1 ? "contact" : "contacts");
        var count = records.ToString("N0", CultureInfo.InvariantCulture) + " " + noun;
        var account = AccountOf(key) is { } id && accountNames.TryGetValue(id, out var name) ? name : "one account";
        return rule switch
        {
            DuplicateRules.Email => $"{count} share the email {key}",
            DuplicateRules.LinkedIn => $"{count} share the LinkedIn profile {key}",
            DuplicateRules.Phone => $"{count} share the phone {key}",
            DuplicateRules.NameAtAccount => $"{count} named “{key[(key.IndexOf('|') + 1)..]}” at {account}",
            DuplicateRules.SimilarNameAtAccount => $"{count} with nearly the same name at {account}",
            DuplicateRules.Domain => $"{count} share the domain {key}",
            DuplicateRules.CompanyName => $"{count} named “{key}”",
            _ => $"{count} found by an earlier scan (scan again to group them)",
        };
    }
}
