using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Contacts;

/// <param name="Search">Quick search over first name, last name, email and company; every word must match.</param>
/// <param name="Sort">name, firstName, lastName, email, company, lifecycle, leadScore, owner, createdAt, updatedAt; "-" for descending.</param>
public sealed record ListContactsQuery(
    string? Search = null,
    long? OwnerId = null,
    Lifecycle? Lifecycle = null,
    long? AccountId = null,
    string? Sort = null,
    int Page = 1,
    int PageSize = Paging.DefaultPageSize);

public sealed class ListContactsHandler(ICrmDbFactory dbFactory)
{
    public static readonly string[] SortFields =
        ["name", "firstName", "lastName", "email", "company", "lifecycle", "leadScore", "owner", "createdAt", "updatedAt"];

    /// <summary>The list's rows in the list's order: its search, filters and sort (also what an export of it holds).</summary>
    public static IQueryable<Contact> Query(ICrmDb db, ListContactsQuery query)
    {
        var contacts = db.Contacts.AsNoTracking();
        foreach (var term in Text.SearchTerms(query.Search))
        {
            var pattern = Text.ContainsPattern(term);
            contacts = contacts.Where(c =>
                EF.Functions.Like(c.FirstName!, pattern, "\\") ||
                EF.Functions.Like(c.LastName!, pattern, "\\") ||
                EF.Functions.Like(c.Email!, pattern, "\\") ||
                (c.Account != null && EF.Functions.Like(c.Account.Name, pattern, "\\")));
        }
        if (query.OwnerId is { } ownerId) contacts = contacts.Where(c => c.OwnerId == ownerId);
        if (query.Lifecycle is { } lifecycle) contacts = contacts.Where(c => c.Lifecycle == lifecycle);
        if (query.AccountId is { } accountId) contacts = contacts.Where(c => c.AccountId == accountId);

        var sort = SortSpec.Parse(query.Sort, "name");
        var ordered = (sort.Field.ToLowerInvariant(), sort.Descending) switch
        {
            ("firstname", false) => contacts.OrderBy(c => c.FirstName).ThenBy(c => c.LastName),
            ("firstname", true) => contacts.OrderByDescending(c => c.FirstName).ThenByDescending(c => c.LastName),
            ("lastname" or "name", false) => contacts.OrderBy(c => c.LastName).ThenBy(c => c.FirstName),
            ("lastname" or "name", true) => contacts.OrderByDescending(c => c.LastName).ThenByDescending(c => c.FirstName),
            ("email", false) => contacts.OrderBy(c => c.Email),
            ("email", true) => contacts.OrderByDescending(c => c.Email),
            ("company", false) => contacts.OrderBy(c => c.Account!.Name),
            ("company", true) => contacts.OrderByDescending(c => c.Account!.Name),
            ("lifecycle", false) => contacts.OrderBy(c => c.Lifecycle),
            ("lifecycle", true) => contacts.OrderByDescending(c => c.Lifecycle),
            ("leadscore", false) => contacts.OrderBy(c => c.LeadScore),
            ("leadscore", true) => contacts.OrderByDescending(c => c.LeadScore),
            ("owner", false) => contacts.OrderBy(c => c.Owner!.Name),
            ("owner", true) => contacts.OrderByDescending(c => c.Owner!.Name),
            ("createdat", false) => contacts.OrderBy(c => c.CreatedAt),
            ("createdat", true) => contacts.OrderByDescending(c => c.CreatedAt),
            ("updatedat", false) => contacts.OrderBy(c => c.UpdatedAt),
            ("updatedat", true) => contacts.OrderByDescending(c => c.UpdatedAt),
            _ => throw new ValidationFailedException("Sort", $"Cannot sort by '{sort.Field}'. Use one of: {string.Join(", ", SortFields)}."),
        };

        return ordered.ThenBy(c => c.Id);
    }

    public async Task<PagedResult<ContactListItem>> HandleAsync(ListContactsQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await Query(db, query)
            .Select(c => new ContactListItem(
                c.Id, c.FirstName, c.LastName, c.Email, c.Phone, c.JobTitle,
                c.AccountId, c.Account != null ? c.Account.Name : null,
                c.Lifecycle, c.LeadScore,
                c.OwnerId, c.Owner != null ? c.Owner.Name : null,
                c.CreatedAt, c.UpdatedAt))
            .ToPageAsync(query.Page, query.PageSize, ct);
    }
}
