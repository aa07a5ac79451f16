using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Common;

/// <summary>One page of a list, with the total so a grid can show "1–25 of 100,000".</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

public static class Paging
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 200;

    public static (int Page, int PageSize) Normalize(int page, int pageSize) =>
        (Math.Max(1, page), pageSize <= 0 ? DefaultPageSize : Math.Min(pageSize, MaxPageSize));

    /// <summary>Rows before the page, without overflowing: page 2,147,483,647 is past the end (empty), never the first page.</summary>
    public static int Offset(int page, int pageSize) => (int)Math.Min(int.MaxValue, (long)(Math.Max(1, page) - 1) * Math.Max(1, pageSize));

    public static async Task<PagedResult<T>> ToPageAsync<T>(this IQueryable<T> ordered, int page, int pageSize, CancellationToken ct)
    {
        (page, pageSize) = Normalize(page, pageSize);
        var total = await ordered.CountAsync(ct);
        var items = await ordered.Skip(Offset(page, pageSize)).Take(pageSize).ToListAsync(ct);
        return new PagedResult<T>(items, total, page, pageSize);
    }
}

/// <summary>A sort request as lists and the API take it: a field name, "-" in front for descending.</summary>
public readonly record struct SortSpec(string Field, bool Descending)
{
    public static SortSpec Parse(string? sort, string defaultField, bool defaultDescending = false)
    {
        if (string.IsNullOrWhiteSpace(sort)) return new SortSpec(defaultField, defaultDescending);
        sort = sort.Trim();
        return sort.StartsWith('-') ? new SortSpec(sort[1..], true) : new SortSpec(sort, false);
    }
}
