using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Deals;

public sealed record DealCard(long Id, string Name, decimal? Amount, string Currency, string? AccountName, string? OwnerName, DateOnly? CloseDate, int Version);

/// <summary>
/// A stage column: its first cards (most recently updated) and totals over all its deals, per currency — as they are,
/// and weighted by each deal's probability (the forecast).
/// </summary>
public sealed record StageColumn(StageView Stage, int DealCount, IReadOnlyDictionary<string, decimal> TotalsByCurrency, IReadOnlyList<DealCard> Deals,
    IReadOnlyDictionary<string, decimal>? WeightedByCurrency = null);

public sealed record PipelineBoard(PipelineView Pipeline, IReadOnlyList<StageColumn> Columns);

public sealed class GetPipelineBoardHandler(ICrmDbFactory dbFactory, ListPipelinesHandler pipelines)
{
    public const int CardsPerStage = 100;

    /// <returns>Null when the workspace has no pipeline.</returns>
    public async Task<PipelineBoard?> HandleAsync(long? pipelineId, CancellationToken ct = default)
    {
        var all = await pipelines.HandleAsync(ct);
        var pipeline = pipelineId is { } id
            ? all.SingleOrDefault(p => p.Id == id) ?? throw new NotFoundException("Pipeline", id)
            : all.FirstOrDefault();
        if (pipeline is null) return null;

        await using var db = await dbFactory.CreateAsync(ct);
        var amounts = await db.Deals.AsNoTracking()
            .Where(d => d.PipelineId == pipeline.Id)
            .Select(d => new { d.StageId, d.Currency, d.Amount, d.Probability })
            .ToListAsync(ct);
        var columns = new List<StageColumn>();
        foreach (var stage in pipeline.Stages)
        {
            var cards = await db.Deals.AsNoTracking()
                .Where(d => d.StageId == stage.Id)
                .OrderByDescending(d => d.UpdatedAt).ThenByDescending(d => d.Id)
                .Take(CardsPerStage)
                .Select(d => new DealCard(d.Id, d.Name, d.Amount, d.Currency,
                    d.Account != null ? d.Account.Name : null, d.Owner != null ? d.Owner.Name : null, d.CloseDate, d.Version))
                .ToListAsync(ct);
            var inStage = amounts.Where(a => a.StageId == stage.Id).ToList();
            var totals = inStage.Where(a => a.Amount is not null)
                .GroupBy(a => a.Currency)
                .ToDictionary(g => g.Key, g => g.Sum(a => a.Amount!.Value));
            var weighted = inStage.Where(a => a.Amount is not null)
                .GroupBy(a => a.Currency)
                .ToDictionary(g => g.Key, g => Math.Round(g.Sum(a => a.Amount!.Value * a.Probability / 100m), 2));
            columns.Add(new StageColumn(stage, inStage.Count, totals, cards, weighted));
        }
        return new PipelineBoard(pipeline, columns);
    }
}
