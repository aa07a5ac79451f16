using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Imports;

/// <summary>One problem of a finished import: a column, what was wrong (the same sentence), whether the rows came in without it, and how many.</summary>
public sealed record ImportErrorGroup(string? Column, ImportErrorType Type, bool Kept, string Message, int Rows, long FirstLine);

/// <summary>The problems of an import, the most frequent first — 33,416 rows with one stage become one line, not 33,416.</summary>
public sealed record ImportErrorSummary(IReadOnlyList<ImportErrorGroup> Groups, int TotalGroups);

public sealed class SummarizeImportErrorsHandler(ICrmDbFactory dbFactory)
{
    public const int MaxGroups = 200;

    public async Task<ImportErrorSummary> HandleAsync(long importId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        await db.ImportJobs.GetAsync(importId, "Import", ct);
        var groups = db.ImportRowErrors.AsNoTracking().Where(e => e.ImportJobId == importId)
            .GroupBy(e => new { e.Column, e.Type, e.Kept, e.Message })
            .Select(g => new { g.Key.Column, g.Key.Type, g.Key.Kept, g.Key.Message, Rows = g.Count(), FirstLine = g.Min(e => e.LineNumber) });
        var total = await groups.CountAsync(ct);
        var top = await groups.OrderByDescending(g => g.Rows).ThenBy(g => g.FirstLine).Take(MaxGroups).ToListAsync(ct);
        return new ImportErrorSummary(top.Select(g => new ImportErrorGroup(g.Column, g.Type, g.Kept, g.Message, g.Rows, g.FirstLine)).ToList(), total);
    }
}
