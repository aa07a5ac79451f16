using System.Globalization;
using Crm.Core.Deals;

namespace Crm.Core.Sync;

/// <summary>
/// Their deal pipelines and stages matched to ours, by id pairs (theirs ↔ our id as text): pairs an admin saved come
/// first; the rest are matched by name (case and punctuation blind: "Closed Won" is our "Closed won"), then a closed-won
/// stage to our won stage and a closed-lost one to our lost stage. A pipeline is matched by name, else their default to
/// ours. Nothing else is guessed: a stage left unmatched is listed for the admin, who maps it or has it created.
/// </summary>
public static class DealStageMatch
{
    public sealed record Result(IReadOnlyList<ValuePair> Pipelines, IReadOnlyList<ValuePair> Stages, IReadOnlyList<RemoteOption> UnmatchedStages);

    public static Result Match(IReadOnlyList<RemoteOption> theirPipelines, IReadOnlyList<RemoteOption> theirStages, IReadOnlyList<Pipeline> ours,
        IReadOnlyList<ValuePair>? savedPipelines = null, IReadOnlyList<ValuePair>? savedStages = null)
    {
        var ourPipelineIds = ours.Select(p => Id(p.Id)).ToHashSet();
        var ourStages = ours.SelectMany(p => p.Stages).ToDictionary(s => Id(s.Id));
        var pipelines = (savedPipelines ?? []).Where(p => ourPipelineIds.Contains(p.Ours)).ToList();
        foreach (var their in theirPipelines.OrderBy(p => p.Order))
        {
            if (pipelines.Any(p => p.Theirs == their.Value)) continue;
            var used = pipelines.Select(p => p.Ours).ToHashSet();
            var mine = ours.FirstOrDefault(p => !used.Contains(Id(p.Id)) && Same(p.Name, their.Label))
                       ?? (their.Value == "default" || their == theirPipelines.OrderBy(p => p.Order).First()
                           ? ours.Where(p => !used.Contains(Id(p.Id))).OrderByDescending(p => p.IsDefault).ThenBy(p => p.Id).FirstOrDefault() : null);
            if (mine is not null) pipelines.Add(new ValuePair(their.Value, Id(mine.Id)));
        }

        var stages = (savedStages ?? []).Where(s => ourStages.ContainsKey(s.Ours)).ToList();
        var unmatched = new List<RemoteOption>();
        foreach (var their in theirStages.OrderBy(s => s.Group).ThenBy(s => s.Order))
        {
            if (stages.Any(s => s.Theirs == their.Value)) continue;
            var pipelineId = pipelines.FirstOrDefault(p => p.Theirs == their.Group)?.Ours;
            var pipeline = ours.FirstOrDefault(p => Id(p.Id) == pipelineId);
            var mine = pipeline?.Stages.FirstOrDefault(s => Same(s.Name, their.Label))
                       ?? (their.Won ? pipeline?.Stages.FirstOrDefault(s => s.IsWon) : their.Lost ? pipeline?.Stages.FirstOrDefault(s => s.IsLost) : null);
            if (mine is null) unmatched.Add(their);
            else stages.Add(new ValuePair(their.Value, Id(mine.Id)));
        }
        return new Result(pipelines, stages, unmatched);
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static bool Same(string a, string b) => Key(a) == Key(b);

    private static string Key(string text) => new(text.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
}
