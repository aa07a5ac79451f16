using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Deals;

public sealed class GetDealHandler(ICrmDbFactory dbFactory)
{
    public async Task<DealDetails> HandleAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await LoadAsync(db, id, ct);
    }

    internal static async Task<DealDetails> LoadAsync(ICrmDb db, long id, CancellationToken ct) =>
        await db.Deals.AsNoTracking()
            .Where(d => d.Id == id)
            .Select(d => new DealDetails(
                d.Id, d.Name, d.Amount, d.Currency,
                d.PipelineId, d.Pipeline!.Name, d.StageId, d.Stage!.Name, d.Probability, d.CloseDate,
                d.AccountId, d.Account != null ? d.Account.Name : null,
                d.OwnerId, d.Owner != null ? d.Owner.Name : null,
                d.Contacts.Where(dc => dc.Contact != null)
                    .Select(dc => new DealContactItem(dc.ContactId, dc.Contact!.FirstName, dc.Contact.LastName, dc.Contact.Email))
                    .ToList(),
                d.CustomFields,
                d.Version, d.CreatedSource, d.CreatedAt, d.UpdatedAt))
            .SingleOrDefaultAsync(ct)
        ?? throw new NotFoundException("Deal", id);
}

public sealed class CreateDealHandler(ICrmDbFactory dbFactory)
{
    public async Task<DealDetails> HandleAsync(DealInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var deal = new Deal();
        await DealWriter.ApplyAsync(db, deal, input, ct);
        db.Deals.Add(deal);
        await db.SaveChangesAsync(ct);
        return await GetDealHandler.LoadAsync(db, deal.Id, ct);
    }
}

public sealed class UpdateDealHandler(ICrmDbFactory dbFactory)
{
    public async Task<DealDetails> HandleAsync(long id, DealInput input, int? expectedVersion, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var deal = await db.Deals.Include(d => d.Contacts).GetAsync(id, "Deal", ct);
        Concurrency.Check("Deal", deal, expectedVersion);
        await DealWriter.ApplyAsync(db, deal, input, ct);
        await Concurrency.SaveAsync(db, "Deal", deal, ct);
        return await GetDealHandler.LoadAsync(db, id, ct);
    }
}

/// <summary>Moves a deal to another stage of its pipeline (the board's drag and drop); probability follows the stage.</summary>
public sealed class MoveDealHandler(ICrmDbFactory dbFactory)
{
    public async Task<DealDetails> HandleAsync(long id, long stageId, int? expectedVersion, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var deal = await db.Deals.GetAsync(id, "Deal", ct);
        Concurrency.Check("Deal", deal, expectedVersion);
        var stage = await db.PipelineStages.SingleOrDefaultAsync(s => s.Id == stageId && s.PipelineId == deal.PipelineId, ct)
            ?? throw new ValidationFailedException("StageId", $"Stage {stageId} is not a stage of this deal's pipeline.");
        if (deal.StageId != stage.Id)
        {
            deal.StageId = stage.Id;
            deal.Probability = stage.Probability;
            await Concurrency.SaveAsync(db, "Deal", deal, ct);
        }
        return await GetDealHandler.LoadAsync(db, id, ct);
    }
}

public sealed class DeleteDealHandler(ICrmDbFactory dbFactory)
{
    public async Task HandleAsync(long id, int? expectedVersion, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        await db.DeleteAsync(db.Deals, id, expectedVersion, "Deal", ct);
    }
}

public sealed class ListPipelinesHandler(ICrmDbFactory dbFactory)
{
    public async Task<IReadOnlyList<PipelineView>> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var pipelines = await db.Pipelines.AsNoTracking().Include(p => p.Stages)
            .OrderByDescending(p => p.IsDefault).ThenBy(p => p.Name).ToListAsync(ct);
        return pipelines
            .Select(p => new PipelineView(p.Id, p.Name, p.IsDefault,
                p.Stages.OrderBy(s => s.Order).Select(s => new StageView(s.Id, s.Name, s.Order, s.Probability, s.IsWon, s.IsLost)).ToList()))
            .ToList();
    }
}
