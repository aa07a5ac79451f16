using Crm.Core.Common;
using Crm.Core.Deals;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Core.Sync;

/// <summary>One of their deal stages and ours for it (null: not matched — deals in it arrive without a stage and are listed as failing).</summary>
public sealed record DealStageRow(string PipelineId, string PipelineLabel, string StageId, string StageLabel, bool Won, bool Lost, long? OurStageId, string? OurStageName, bool Saved);

public sealed record OurStage(long Id, string Pipeline, string Name, bool IsWon, bool IsLost);

public sealed record DealStageMappingView(IReadOnlyList<DealStageRow> Stages, IReadOnlyList<OurStage> Ours, int Unmatched);

public sealed class DealStageMappingInput
{
    /// <summary>Their stage id → our stage id (null: matched automatically again).</summary>
    public Dictionary<string, long?>? Stages { get; set; }
}

/// <summary>Their pipelines' stages beside ours, as the next run will pair them (admins only).</summary>
public sealed class GetDealStageMappingHandler(ICrmDbFactory dbFactory, IServiceProvider services)
{
    public async Task<DealStageMappingView> HandleAsync(long integrationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var (row, picklists) = await DealStageSource.LoadAsync(db, services, integrationId, ct);
        var ours = await db.Pipelines.AsNoTracking().Include(p => p.Stages).OrderByDescending(p => p.IsDefault).ThenBy(p => p.Id).ToListAsync(ct);
        var saved = DealStageSource.Saved(row, out _);
        var matched = DealStageMatch.Match(picklists.Pipelines, picklists.Stages, ours, null, saved);
        var stages = ours.SelectMany(p => p.Stages.OrderBy(s => s.Order).Select(s => new OurStage(s.Id, p.Name, s.Name, s.IsWon, s.IsLost))).ToList();
        var byId = stages.ToDictionary(s => s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var rows = picklists.Stages.OrderBy(s => s.Group).ThenBy(s => s.Order).Select(s =>
        {
            var pair = matched.Stages.FirstOrDefault(p => p.Theirs == s.Value);
            var mine = pair is null ? null : byId.GetValueOrDefault(pair.Ours);
            return new DealStageRow(s.Group ?? "", picklists.Pipelines.FirstOrDefault(p => p.Value == s.Group)?.Label ?? s.Group ?? "", s.Value, s.Label, s.Won, s.Lost,
                mine?.Id, mine?.Name, saved.Any(p => p.Theirs == s.Value));
        }).ToList();
        return new DealStageMappingView(rows, stages, rows.Count(r => r.OurStageId is null));
    }
}

/// <summary>Saves an admin's stage pairs (validated: their stages and ours must exist); they come before automatic matching from the next run on.</summary>
public sealed class SaveDealStageMappingHandler(ICrmDbFactory dbFactory, IServiceProvider services)
{
    public async Task HandleAsync(long integrationId, DealStageMappingInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var (row, picklists) = await DealStageSource.LoadAsync(db, services, integrationId, ct);
        var pairs = (input.Stages ?? []).Where(p => p.Value is not null).ToList();
        if (pairs.Count > 1_000) throw new ValidationFailedException("Stages", "Map at most 1,000 stages.");
        var theirs = picklists.Stages.Select(s => s.Value).ToHashSet();
        var problems = pairs.Where(p => !theirs.Contains(p.Key)).Select(p => $"\"{p.Key}\" is not a deal stage there.").ToList();
        var ourIds = pairs.Select(p => p.Value!.Value).Distinct().ToList();
        var found = await db.PipelineStages.Where(s => ourIds.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct);
        problems.AddRange(ourIds.Except(found).Select(id => $"Stage {id} is not a stage here."));
        if (problems.Count > 0) throw new ValidationFailedException(new Dictionary<string, string[]> { ["Stages"] = problems.ToArray() });
        var saved = DealStageSource.Saved(row, out var mappings);
        var kept = saved.Where(p => !(input.Stages ?? []).ContainsKey(p.Theirs));
        var values = kept.Concat(pairs.Select(p => new ValuePair(p.Key, p.Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToList();
        var entries = (mappings.For("deals") ?? DealStageSource.Defaults(services, row.Provider)).Entries;
        row.Mappings = mappings.With("deals", entries.Select(e => e.Ours == "stage" ? e with { Values = values.Count == 0 ? null : values } : e).ToList()).ToJson();
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>
/// Creates here the stages of theirs nothing matches, on request: each in the pipeline its own is paired with (a new
/// pipeline when theirs has no counterpart), placed among the open stages in their order, with their probability.
/// </summary>
public sealed class CreateMissingDealStagesHandler(ICrmDbFactory dbFactory, IServiceProvider services, TimeProvider time)
{
    public async Task<int> HandleAsync(long integrationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var (row, picklists) = await DealStageSource.LoadAsync(db, services, integrationId, ct);
        var ours = await db.Pipelines.Include(p => p.Stages).OrderByDescending(p => p.IsDefault).ThenBy(p => p.Id).ToListAsync(ct);
        var matched = DealStageMatch.Match(picklists.Pipelines, picklists.Stages, ours, null, DealStageSource.Saved(row, out _));
        var created = 0;
        foreach (var group in matched.UnmatchedStages.GroupBy(s => s.Group ?? ""))
        {
            var pipelineId = matched.Pipelines.FirstOrDefault(p => p.Theirs == group.Key)?.Ours;
            var pipeline = ours.FirstOrDefault(p => p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == pipelineId);
            if (pipeline is null)
            {
                var label = picklists.Pipelines.FirstOrDefault(p => p.Value == group.Key)?.Label ?? group.Key;
                var name = Text.Clean(label) ?? "Pipeline";
                db.Pipelines.Add(pipeline = new Pipeline { Name = name[..Math.Min(name.Length, FieldLimits.Name)], CreatedAt = time.GetUtcNow(), UpdatedAt = time.GetUtcNow() });
                ours.Add(pipeline);
            }
            foreach (var stage in group.OrderBy(s => s.Order))
            {
                // Open stages go before our closed ones; closed ones after.
                var order = stage.Won || stage.Lost ? pipeline.Stages.Select(s => s.Order).DefaultIfEmpty(-1).Max() + 1
                    : pipeline.Stages.Where(s => !s.IsClosed).Select(s => s.Order).DefaultIfEmpty(-1).Max() + 1;
                foreach (var later in pipeline.Stages.Where(s => s.Order >= order)) later.Order++;
                pipeline.Stages.Add(new PipelineStage
                {
                    Name = stage.Label.Length > FieldLimits.Name ? stage.Label[..FieldLimits.Name] : stage.Label, Order = order,
                    Probability = Math.Clamp(stage.Percent ?? (stage.Won ? 100 : 0), 0, 100), IsWon = stage.Won, IsLost = stage.Lost,
                });
                created++;
            }
        }
        await db.SaveChangesAsync(ct);
        return created;
    }
}

/// <summary>What the stage handlers share: the connection (admins only), their pipelines and stages, the saved pairs.</summary>
internal static class DealStageSource
{
    public sealed record Picklists(IReadOnlyList<RemoteOption> Pipelines, IReadOnlyList<RemoteOption> Stages);

    public static async Task<(Integration Row, Picklists Picklists)> LoadAsync(ICrmDb db, IServiceProvider services, long integrationId, CancellationToken ct)
    {
        Roles.EnsureAdmin(db.Actor);
        var row = await ConnectionAccess.LoadAsync(db, integrationId, ct);
        if (row.Type != IntegrationType.CrmSync || services.GetKeyedService<IRemoteObjects>($"{row.Provider}:deals") is not { } remote || remote is not IRemotePicklists lists)
            throw new ConflictException("This connection has no deal stages to map.");
        if (row.Status is ConnectionStatus.Disconnected or ConnectionStatus.NeedsReconnect) throw new ConflictException("Reconnect this connection to see its deal stages.");
        var all = await lists.PicklistsAsync(new ConnectionRef(db.Actor.WorkspaceId, row.Id, row.Provider), ct);
        var stage = remote.Map.Entries.First(e => e.Ours == "stage").Theirs;
        var pipeline = remote.Map.Entries.First(e => e.Ours == "pipeline").Theirs;
        return (row, new Picklists(all.GetValueOrDefault(pipeline) ?? [], all.GetValueOrDefault(stage) ?? []));
    }

    public static IReadOnlyList<ValuePair> Saved(Integration row, out ConnectionMappings mappings)
    {
        mappings = ConnectionMappings.FromJson(row.Mappings);
        return mappings.For("deals")?.Entries.FirstOrDefault(e => e.Ours == "stage")?.Values ?? [];
    }

    public static FieldMap Defaults(IServiceProvider services, string provider) => services.GetRequiredKeyedService<IRemoteObjects>($"{provider}:deals").Map;
}
