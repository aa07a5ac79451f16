using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Duplicates;

/// <summary>The review queue, most certain first.</summary>
public sealed class ListDuplicatesHandler(ICrmDbFactory dbFactory)
{
    /// <param name="search">Every word must match a name or email (contacts) or a name or domain (accounts) of either record.</param>
    public async Task<PagedResult<DuplicatePairView>> HandleAsync(RecordType? type = null, int page = 1, int pageSize = 25, CancellationToken ct = default, string? search = null)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        (page, pageSize) = (Math.Max(1, page), Math.Clamp(pageSize, 1, 200));
        var open = db.DuplicateCandidates.AsNoTracking().Where(d => d.Status == DuplicateStatus.Open);
        if (type is { } t) open = open.Where(d => d.RecordType == t);
        // A pair whose record was deleted (or merged elsewhere) since the scan is not waiting for anyone.
        open = open.Where(d => d.RecordType == RecordType.Contact
            ? db.Contacts.Any(c => c.Id == d.RecordAId) && db.Contacts.Any(c => c.Id == d.RecordBId)
            : db.Accounts.Any(a => a.Id == d.RecordAId) && db.Accounts.Any(a => a.Id == d.RecordBId));
        foreach (var term in Text.SearchTerms(search))
        {
            var pattern = Text.ContainsPattern(term);
            var contacts = db.Contacts.Where(c => EF.Functions.Like(c.FirstName!, pattern, "\\") || EF.Functions.Like(c.LastName!, pattern, "\\") || EF.Functions.Like(c.Email!, pattern, "\\")).Select(c => c.Id);
            var accounts = db.Accounts.Where(a => EF.Functions.Like(a.Name, pattern, "\\") || EF.Functions.Like(a.Domain!, pattern, "\\")).Select(a => a.Id);
            open = open.Where(d => d.RecordType == RecordType.Contact
                ? contacts.Contains(d.RecordAId) || contacts.Contains(d.RecordBId)
                : accounts.Contains(d.RecordAId) || accounts.Contains(d.RecordBId));
        }
        var total = await open.CountAsync(ct);
        var candidates = await open.OrderByDescending(d => d.Confidence).ThenBy(d => d.Id).Skip(Paging.Offset(page, pageSize)).Take(pageSize).ToListAsync(ct);
        return new PagedResult<DuplicatePairView>(await DuplicateViews.ViewsAsync(db, candidates, ct), total, page, pageSize);
    }
}
