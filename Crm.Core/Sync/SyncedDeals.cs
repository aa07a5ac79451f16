using System.Globalization;
using Crm.Core.Common;
using Crm.Core.Deals;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Sync;

/// <summary>
/// Deals as the sync sees them: name, amount, stage and pipeline (by our ids, paired with theirs when a run starts),
/// close date, probability and owner; written through the deal's own validation. Deals are never matched on a first
/// meeting (two "Renewal" deals are two deals): unlinked ones are created on the other side.
/// </summary>
public sealed class SyncedDeals : ISyncedRecords<Deal>
{
    public RecordType RecordType => RecordType.Deal;
    public IReadOnlySet<string> Supported { get; } = new HashSet<string>(StringComparer.Ordinal) { "name", "amount", "stage", "pipeline", "closeDate", "probability", "owner" };
    public string? MatchField => null;
    public IReadOnlySet<string> RequiredThere { get; } = new HashSet<string>(StringComparer.Ordinal) { "stage", "pipeline" };

    public Task<IReadOnlyList<OurField>> FieldsAsync(ICrmDb db, CancellationToken ct) => Task.FromResult<IReadOnlyList<OurField>>(
    [
        new("name", "Name"), new("amount", "Amount"), new("stage", "Stage (paired on the deal stages tab)"), new("pipeline", "Pipeline"),
        new("closeDate", "Close date"), new("probability", "Probability"), new("owner", "Owner"),
    ]);
    public IQueryable<Deal> Query(ICrmDb db) => db.Deals;
    public Deal New() => new();
    public void Add(ICrmDb db, Deal record) => db.Deals.Add(record);
    public Task<Deal?> MatchAsync(ICrmDb db, string value, IQueryable<long> linked, CancellationToken ct) => Task.FromResult<Deal?>(null);

    /// <summary>Deals have no merge here: the one merged away there is deleted (restorable); the kept one gets its contacts with the associations.</summary>
    public async Task MergeAsync(ICrmDb db, long winnerId, long loserId, DateTimeOffset now, CancellationToken ct)
    {
        var loser = await db.Deals.SingleOrDefaultAsync(d => d.Id == loserId, ct) ?? throw new NotFoundException("Deal", loserId);
        loser.DeletedAt = now;
        await db.SaveChangesAsync(ct);
    }

    public Dictionary<string, string?> Read(Deal d) => new()
    {
        ["name"] = d.Name, ["amount"] = d.Amount is { } amount ? FieldMap.Number(amount) : null,
        ["stage"] = Text(d.StageId), ["pipeline"] = Text(d.PipelineId),
        ["closeDate"] = d.CloseDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["probability"] = Text(d.Probability),
        ["owner"] = d.OwnerId is { } owner ? Text(owner) : null,
    };

    public async Task WriteAsync(ICrmDb db, Deal deal, IReadOnlyDictionary<string, string?> values, CancellationToken ct)
    {
        var input = new DealInput { Name = deal.Id == 0 ? null : deal.Name, PipelineId = deal.Id == 0 ? null : deal.PipelineId, StageId = deal.Id == 0 ? null : deal.StageId };
        var written = new List<string>();
        foreach (var (field, raw) in values)
        {
            var value = SyncSide.Normal(raw);
            switch (field)
            {
                case "name": input.Name = value; written.Add(nameof(input.Name)); break;
                case "amount":
                    input.Amount = value is null ? null : decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) ? amount : throw Invalid("Amount", $"\"{value}\" is not an amount.");
                    written.Add(nameof(input.Amount));
                    break;
                case "closeDate":
                    input.CloseDate = value is null ? null : DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : throw Invalid("CloseDate", $"\"{value}\" is not a date.");
                    written.Add(nameof(input.CloseDate));
                    break;
                case "probability":
                    input.Probability = value is null ? null : int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var probability) ? probability : throw Invalid("Probability", $"\"{value}\" is not a percentage.");
                    written.Add(nameof(input.Probability));
                    break;
                case "owner":
                    input.OwnerId = value is null ? null : long.TryParse(value, CultureInfo.InvariantCulture, out var owner) ? owner : throw Invalid("OwnerId", $"\"{value}\" is not a user here.");
                    written.Add(nameof(input.OwnerId));
                    break;
                case "pipeline" when value is not null && !values.ContainsKey("stage"):
                    input.PipelineId = long.Parse(value, CultureInfo.InvariantCulture);
                    written.Add(nameof(input.PipelineId));
                    break;
                case "stage" when value is not null:
                    // A stage belongs to one pipeline: the deal moves to the stage's pipeline.
                    var stageId = long.Parse(value, CultureInfo.InvariantCulture);
                    input.StageId = stageId;
                    input.PipelineId = await db.PipelineStages.Where(s => s.Id == stageId).Select(s => (long?)s.PipelineId).FirstOrDefaultAsync(ct)
                                       ?? throw Invalid("StageId", $"Stage {stageId} no longer exists here; check the stage mapping.");
                    written.Add(nameof(input.StageId));
                    written.Add(nameof(input.PipelineId));
                    break;
            }
        }
        // A deal created from the other side without a name cannot exist here.
        if (deal.Id == 0 && !written.Contains(nameof(input.Name))) written.Add(nameof(input.Name));
        await DealWriter.ApplyAsync(db, deal, input, WrittenFields.Only(written), ct);
    }

    public async Task<FieldMap> ResolveAsync(ICrmDb db, FieldMap map, IReadOnlyDictionary<string, IReadOnlyList<RemoteOption>> picklists, CancellationToken ct)
    {
        var stage = map.Entries.FirstOrDefault(e => e.Ours == "stage");
        var pipeline = map.Entries.FirstOrDefault(e => e.Ours == "pipeline");
        if (stage is null || pipeline is null) return map;
        var ours = await db.Pipelines.AsNoTracking().Include(p => p.Stages).ToListAsync(ct);
        var matched = DealStageMatch.Match(picklists.GetValueOrDefault(pipeline.Theirs) ?? [], picklists.GetValueOrDefault(stage.Theirs) ?? [], ours, pipeline.Values, stage.Values);
        return map.WithValues("pipeline", matched.Pipelines).WithValues("stage", matched.Stages);
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static ValidationFailedException Invalid(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}
