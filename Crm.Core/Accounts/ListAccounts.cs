using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Accounts;

/// <param name="Sort">name, domain, industry, city, owner, contacts, createdAt, updatedAt; "-" for descending.</param>
public sealed record ListAccountsQuery(
    string? Search = null,
    long? OwnerId = null,
    string? Industry = null,
    string? Sort = null,
    int Page = 1,
    int PageSize = Paging.DefaultPageSize);

public sealed class ListAccountsHandler(ICrmDbFactory dbFactory)
{
    public static readonly string[] SortFields = ["name", "domain", "industry", "city", "owner", "contacts", "createdAt", "updatedAt"];

    /// <summary>The list's rows in the list's order: its search, filters and sort (also what an export of it holds).</summary>
    public static IQueryable<Account> Query(ICrmDb db, ListAccountsQuery query)
    {
        var accounts = db.Accounts.AsNoTracking();
        foreach (var term in Text.SearchTerms(query.Search))
        {
            var pattern = Text.ContainsPattern(term);
            accounts = accounts.Where(a => EF.Functions.Like(a.Name, pattern, "\\") || EF.Functions.Like(a.Domain!, pattern, "\\"));
        }
        if (query.OwnerId is { } ownerId) accounts = accounts.Where(a => a.OwnerId == ownerId);
        if (Text.Clean(query.Industry) is { } industry) accounts = accounts.Where(a => a.Industry == industry);

        var sort = SortSpec.Parse(query.Sort, "name");
        var ordered = (sort.Field.ToLowerInvariant(), sort.Descending) switch
        {
            ("name", false) => accounts.OrderBy(a => a.Name),
            ("name", true) => accounts.OrderByDescending(a => a.Name),
            ("domain", false) => accounts.OrderBy(a => a.Domain),
            ("domain", true) => accounts.OrderByDescending(a => a.Domain),
            ("industry", false) => accounts.OrderBy(a => a.Industry),
            ("industry", true) => accounts.OrderByDescending(a => a.Industry),
            ("city", false) => accounts.OrderBy(a => a.City),
            ("city", true) => accounts.OrderByDescending(a => a.City),
            ("owner", false) => accounts.OrderBy(a => a.Owner!.Name),
            ("owner", true) => accounts.OrderByDescending(a => a.Owner!.Name),
            ("contacts", false) => accounts.OrderBy(a => db.Contacts.Count(c => c.AccountId == a.Id)),
            ("contacts", true) => accounts.OrderByDescending(a => db.Contacts.Count(c => c.AccountId == a.Id)),
            ("createdat", false) => accounts.OrderBy(a => a.CreatedAt),
            ("createdat", true) => accounts.OrderByDescending(a => a.CreatedAt),
            ("updatedat", false) => accounts.OrderBy(a => a.UpdatedAt),
            ("updatedat", true) => accounts.OrderByDescending(a => a.UpdatedAt),
            _ => throw new ValidationFailedException("Sort", $"Cannot sort by '{sort.Field}'. Use one of: {string.Join(", ", SortFields)}."),
        };

        return ordered.ThenBy(a => a.Id);
    }

    public async Task<PagedResult<AccountListItem>> HandleAsync(ListAccountsQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await Query(db, query)
            .Select(a => new AccountListItem(
                a.Id, a.Name, a.Domain, a.Industry, a.City, a.Country,
                a.OwnerId, a.Owner != null ? a.Owner.Name : null,
                db.Contacts.Count(c => c.AccountId == a.Id),
                a.CreatedAt, a.UpdatedAt))
            .ToPageAsync(query.Page, query.PageSize, ct);
    }
}
