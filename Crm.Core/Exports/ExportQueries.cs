using System.Globalization;
using System.Linq.Expressions;
using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.CustomFields;
using Crm.Core.Deals;
using Crm.Core.Timeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Crm.Core.Exports;

/// <summary>
/// One kind of record to write: its columns, how many rows, and the rows themselves (values in column order, typed),
/// read streaming from one database query that selects only those columns.
/// </summary>
public sealed class ExportSheet
{
    private readonly IQueryable<object?[]> _query;
    private readonly Func<object?[], object?[]> _shape;
    private readonly Func<CancellationToken, Task<int>> _count;

    internal ExportSheet(ExportObject type, IReadOnlyList<ExportField> columns, IQueryable<object?[]> query, Func<object?[], object?[]> shape, Func<CancellationToken, Task<int>> count)
    {
        Object = type;
        Columns = columns;
        _query = query;
        _shape = shape;
        _count = count;
    }

    public ExportObject Object { get; }
    public IReadOnlyList<ExportField> Columns { get; }
    public string Name => ExportFields.Plural(Object) switch { var p => char.ToUpperInvariant(p[0]) + p[1..] };

    public Task<int> CountAsync(CancellationToken ct) => _count(ct);

    public async IAsyncEnumerable<object?[]> RowsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var row in _query.AsAsyncEnumerable().WithCancellation(ct)) yield return _shape(row);
    }

    /// <summary>For writers that pull synchronously (MiniExcel).</summary>
    public IEnumerable<object?[]> Rows() => _query.AsEnumerable().Select(_shape);
}

/// <summary>Builds an export's sheets from the lists' own queries (same search, filters and sort) and the chosen columns.</summary>
public static class ExportQueries
{
    public static ExportSheet Sheet(ICrmDb db, ExportPart part, IReadOnlyList<CustomFieldView> customFields)
    {
        var columns = Columns(part, customFields);
        var f = part.Filter;
        return part.Object switch
        {
            ExportObject.Contact => Build(part.Object, ListContactsHandler.Query(db, new ListContactsQuery(f.Search, f.OwnerId, f.Lifecycle, f.AccountId, f.Sort)), columns, c => c.CustomFields),
            ExportObject.Account => Build(part.Object, ListAccountsHandler.Query(db, new ListAccountsQuery(f.Search, f.OwnerId, f.Industry, f.Sort)), columns, a => a.CustomFields),
            ExportObject.Deal => Build(part.Object, ListDealsHandler.Query(db, new ListDealsQuery(f.Search, f.PipelineId, f.StageId, f.OwnerId, f.AccountId, f.ContactId, f.Sort)), columns, d => d.CustomFields),
            _ => Build(part.Object, ListActivitiesHandler.Query(db, new ListActivitiesQuery(f.ActivityType, f.ContactId, f.AccountId, f.DealId, f.Sort)), columns, null),
        };
    }

    /// <summary>The part's columns in its order (the object's defaults when it names none); unknown or repeated keys are refused.</summary>
    public static IReadOnlyList<ExportField> Columns(ExportPart part, IReadOnlyList<CustomFieldView> customFields)
    {
        var catalog = ExportFields.For(part.Object, customFields);
        var keys = part.Fields.Count == 0 ? ExportFields.Defaults(part.Object) : part.Fields;
        var unknown = keys.Where(k => catalog.All(f => f.Key != k)).ToList();
        if (unknown.Count > 0)
            throw new ValidationFailedException("Fields", $"{string.Join(", ", unknown.Select(u => $"'{u}'"))} {(unknown.Count == 1 ? "is not a field" : "are not fields")} of {ExportFields.Plural(part.Object)}. " +
                $"Choose among: {string.Join(", ", catalog.Select(c => c.Key))}.");
        var repeated = keys.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0) throw new ValidationFailedException("Fields", $"{string.Join(", ", repeated)} is chosen more than once.");
        return keys.Select(k => catalog.First(f => f.Key == k)).ToList();
    }

    private static ExportSheet Build<T>(ExportObject type, IQueryable<T> query, IReadOnlyList<ExportField> columns, Expression<Func<T, Dictionary<string, string>>>? customFields)
    {
        var row = Expression.Parameter(typeof(T), "x");
        var elements = new List<Expression>();
        var positions = new int[columns.Count];
        var customIndex = -1;
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            if (column.IsCustom)
            {
                if (customIndex < 0)
                {
                    customIndex = elements.Count;
                    elements.Add(Expression.Convert(ReplacingExpressionVisitor.Replace(customFields!.Parameters[0], row, customFields.Body), typeof(object)));
                }
                positions[i] = -1;
                continue;
            }
            var value = column.Value!;
            positions[i] = elements.Count;
            elements.Add(Expression.Convert(ReplacingExpressionVisitor.Replace(value.Parameters[0], row, value.Body), typeof(object)));
        }
        if (elements.Count == 0) elements.Add(Expression.Constant(null, typeof(object)));
        var projection = Expression.Lambda<Func<T, object?[]>>(Expression.NewArrayInit(typeof(object), elements), row);

        var custom = customIndex;
        object?[] Shape(object?[] raw)
        {
            var values = new object?[columns.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = positions[i] >= 0
                    ? raw[positions[i]]
                    : Typed(columns[i], (raw[custom] as Dictionary<string, string>)?.GetValueOrDefault(columns[i].Key[ExportFields.CustomPrefix.Length..]));
            }
            return values;
        }
        return new ExportSheet(type, columns, query.Select(projection), Shape, ct => query.CountAsync(ct));
    }

    /// <summary>A custom field's stored text as its type (a number, a date, yes/no), or the text when it does not parse.</summary>
    private static object? Typed(ExportField column, string? text) => column.Kind switch
    {
        _ when string.IsNullOrEmpty(text) => null,
        ExportKind.Decimal when decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) => number,
        ExportKind.Date when DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) => date,
        ExportKind.Boolean when bool.TryParse(text, out var flag) => flag,
        _ => text,
    };
}
