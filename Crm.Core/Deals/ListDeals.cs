using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Deals;

/// <param name="Sort">name, amount, stage, probability, closeDate, company, owner, createdAt, updatedAt; "-" for descending.</param>
public sealed record ListDealsQuery(
    string? Search = null,
    long? PipelineId = null,
    long? StageId = null,
    long? OwnerId = null,
    long? AccountId = null,
    long? ContactId = null,
    string? Sort = null,
    int Page = 1,
    int PageSize = Paging.DefaultPageSize);

public sealed class ListDealsHandler(ICrmDbFactory dbFactory)
{
    public static readonly string[] SortFields = ["name", "amount", "stage", "probability", "closeDate", "company", "owner", "createdAt", "updatedAt"];

    /// <summary>The list's rows in the list's order: its search, filters and sort (also what an export of it holds).</summary>
    public static IQueryable<Deal> Query(ICrmDb db, ListDealsQuery query)
    {
        var deals = db.Deals.AsNoTracking();
        foreach (var term in Text.SearchTerms(query.Search))
        {
            var pattern = Text.ContainsPattern(term);
            deals = deals.Where(d => EF.Functions.Like(d.Name, pattern, "\\") || (d.Account != null && EF.Functions.Like(d.Account.Name, pattern, "\\")));
        }
        if (query.PipelineId is { } pipelineId) deals = deals.Where(d => d.PipelineId == pipelineId);
        if (query.StageId is { } stageId) deals = deals.Where(d => d.StageId == stageId);
        if (query.OwnerId is { } ownerId) deals = deals.Where(d => d.OwnerId == ownerId);
        if (query.AccountId is { } accountId) deals = deals.Where(d => d.AccountId == accountId);
        if (query.ContactId is { } contactId) deals = deals.Where(d => d.Contacts.Any(c => c.ContactId == contactId));

        var sort = SortSpec.Parse(query.Sort, "updatedAt", defaultDescending: true);
        var ordered = (sort.Field.ToLowerInvariant(), sort.Descending) switch
        {
            ("name", false) => deals.OrderBy(d => d.Name),
            ("name", true) => deals.OrderByDescending(d => d.Name),
            ("amount", false) => deals.OrderBy(d => d.Amount),
            ("amount", true) => deals.OrderByDescending(d => d.Amount),
            ("stage", false) => deals.OrderBy(d => d.Stage!.Order),
            ("stage", true) => deals.OrderByDescending(d => d.Stage!.Order),
            ("probability", false) => deals.OrderBy(d => d.Probability),
            ("probability", true) => deals.OrderByDescending(d => d.Probability),
            ("closedate", false) => deals.OrderBy(d => d.CloseDate),
            ("closedate", true) => deals.OrderByDescending(d => d.CloseDate),
            ("company", false) => deals.OrderBy(d => d.Account!.Name),
            ("company", true) => deals.OrderByDescending(d => d.Account!.Name),
            ("owner", false) => deals.OrderBy(d => d.Owner!.Name),
            ("owner", true) => deals.OrderByDescending(d => d.Owner!.Name),
            ("createdat", false) => deals.OrderBy(d => d.CreatedAt),
            ("createdat", true) => deals.OrderByDescending(d => d.CreatedAt),
            ("updatedat", false) => deals.OrderBy(d => d.UpdatedAt),
            ("updatedat", true) => deals.OrderByDescending(d => d.UpdatedAt),
            _ => throw new ValidationFailedException("Sort", $"Cannot sort by '{sort.Field}'. Use one of: {string.Join(", ", SortFields)}."),
        };

        return ordered.ThenBy(d => d.Id);
    }

    public async Task<PagedResult<DealListItem>> HandleAsync(ListDealsQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await Query(db, query)
            .Select(d => new DealListItem(
                d.Id, d.Name, d.Amount, d.Currency,
                d.PipelineId, d.Pipeline!.Name, d.StageId, d.Stage!.Name, d.Probability, d.CloseDate,
                d.AccountId, d.Account != null ? d.Account.Name : null,
                d.OwnerId, d.Owner != null ? d.Owner.Name : null,
                d.CreatedAt, d.UpdatedAt))
            .ToPageAsync(query.Page, query.PageSize, ct);
    }
}
