using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Duplicates;

/// <summary>The review queue, most certain first.</summary>
public sealed class ListDuplicatesHandler(ICrmDbFactory dbFactory)
{
    /// <summary>A search names at most this many records; a word matching more is too broad to review by (type more of it).</summary>
    public const int MaxSearchedRecords = 2_000;

    /// <param name="search">Every word must match a name or email (contacts) or a name or domain (accounts) of one of the two records.</param>
    /// <param name="rule">With <paramref name="key"/>: only the pairs of one group (<see cref="ListDuplicateGroupsHandler"/>).</param>
    public async Task<PagedResult<DuplicatePairView>> HandleAsync(RecordType? type = null, int page = 1, int pageSize = 25, CancellationToken ct = default, string? search = null,
        string? rule = null, string? key = null)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        (page, pageSize) = (Math.Max(1, page), Math.Clamp(pageSize, 1, 200));
        var open = db.DuplicateCandidates.AsNoTracking().Where(d => d.Status == DuplicateStatus.Open);
        if (type is { } t) open = open.Where(d => d.RecordType == t);
        if (rule is not null) open = open.Where(d => d.Rule == rule && d.GroupKey == (key ?? ""));
        // A pair whose record was deleted (or merged elsewhere) since the scan is not waiting for anyone.
        open = open.Where(d => d.RecordType == RecordType.Contact
            ? db.Contacts.Any(c => c.Id == d.RecordAId) && db.Contacts.Any(c => c.Id == d.RecordBId)
            : db.Accounts.Any(a => a.Id == d.RecordAId) && db.Accounts.Any(a => a.Id == d.RecordBId));
        if (Text.SearchTerms(search).ToList() is { Count: > 0 } terms)
        {
            // The records matching every word first (a bounded list, read once), then their pairs by index: never a
            // subquery evaluated for each of a million pairs.
            var contacts = db.Contacts.AsNoTracking();
            var accounts = db.Accounts.AsNoTracking();
            foreach (var term in terms)
            {
                var pattern = Text.ContainsPattern(term);
                contacts = contacts.Where(c => EF.Functions.Like(c.FirstName!, pattern, "\\") || EF.Functions.Like(c.LastName!, pattern, "\\") || EF.Functions.Like(c.Email!, pattern, "\\"));
                accounts = accounts.Where(a => EF.Functions.Like(a.Name, pattern, "\\") || EF.Functions.Like(a.Domain!, pattern, "\\"));
            }
            var contactIds = type is null or RecordType.Contact ? await contacts.Select(c => c.Id).Take(MaxSearchedRecords).ToListAsync(ct) : [];
            var accountIds = type is null or RecordType.Account ? await accounts.Select(a => a.Id).Take(MaxSearchedRecords).ToListAsync(ct) : [];
            // Written as plain ORs (not a CASE) so the database can answer each by an index.
            open = open.Where(d => d.RecordType == RecordType.Contact && contactIds.Contains(d.RecordAId)
                                   || d.RecordType == RecordType.Contact && contactIds.Contains(d.RecordBId)
                                   || d.RecordType == RecordType.Account && accountIds.Contains(d.RecordAId)
                                   || d.RecordType == RecordType.Account && accountIds.Contains(d.RecordBId));
        }
        var total = await open.CountAsync(ct);
        var candidates = await open.OrderByDescending(d => d.Confidence).ThenBy(d => d.Id).Skip(Paging.Offset(page, pageSize)).Take(pageSize).ToListAsync(ct);
        return new PagedResult<DuplicatePairView>(await DuplicateViews.ViewsAsync(db, candidates, ct), total, page, pageSize);
    }
}
