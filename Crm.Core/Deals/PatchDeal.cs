using System.Text.Json.Nodes;
using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Deals;

/// <summary>
/// Changes only the fields a JSON merge patch names. A new stage without a probability takes the stage's; a new
/// pipeline without a stage starts at its first stage.
/// </summary>
public sealed class PatchDealHandler(ICrmDbFactory dbFactory)
{
    public async Task<DealDetails> HandleAsync(long id, JsonNode? patch, int? expectedVersion, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var deal = await db.Deals.Include(d => d.Contacts).GetAsync(id, "Deal", ct);
        Concurrency.Check("Deal", deal, expectedVersion);
        var (input, fields) = JsonMergePatch.Apply((await GetDealHandler.LoadAsync(db, id, ct)).ToInput(), patch);
        await DealWriter.ApplyAsync(db, deal, input, fields, ct);
        await Concurrency.SaveAsync(db, "Deal", deal, ct);
        return await GetDealHandler.LoadAsync(db, id, ct);
    }
}
