using System.Net.Http.Json;
using System.Text.Json;
using Crm.Core.Integrations.Calls;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Sync;
using Crm.Infrastructure.Integrations.Calls;

namespace Crm.Infrastructure.Integrations.HubSpot;

/// <summary>
/// HubSpot's associations v4 behind the sync's port: batch read (1,000 records a call; a record's further pages by
/// its <c>after</c>; "no associations found" is an answer, not an error), batch create with the primary label where a
/// kind has one (a contact's or a deal's company: types 1/279 and 5/341), the default type otherwise (a deal's contacts: 3),
/// and batch archive. A 207's failed inputs come back as refused pairs with HubSpot's message.
/// </summary>
public sealed class HubSpotAssociations(HttpClient http) : IRemoteAssociations
{
    public const int Batch = 1_000;
    /// <summary>The most associations of one record read (pages of 500): more than any CRM screen shows.</summary>
    public const int MaxPerRecord = 5_000;

    /// <summary>HubSpot-defined association type ids: the unlabelled one and, for a company, the primary label.</summary>
    private static (int Unlabeled, int? Primary) TypesOf(AssociationKind kind) => (kind.From, kind.To) switch
    {
        ("contacts", "companies") => (279, 1),
        ("deals", "companies") => (341, 5),
        ("deals", "contacts") => (3, null),
        ("notes", "contacts") => (202, null), ("notes", "companies") => (190, null), ("notes", "deals") => (214, null),
        ("tasks", "contacts") => (204, null), ("tasks", "companies") => (192, null), ("tasks", "deals") => (216, null),
        ("calls", "contacts") => (194, null), ("calls", "companies") => (182, null), ("calls", "deals") => (206, null),
        ("meetings", "contacts") => (200, null), ("meetings", "companies") => (188, null), ("meetings", "deals") => (212, null),
        ("emails", "contacts") => (198, null), ("emails", "companies") => (186, null), ("emails", "deals") => (210, null),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "HubSpot has no default association type for this pair here."),
    };

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ReadAsync(ConnectionRef connection, AssociationKind kind, IReadOnlyList<string> ids, CancellationToken ct)
    {
        var primary = TypesOf(kind).Primary;
        var found = new Dictionary<string, List<(string Id, bool Primary)>>(StringComparer.Ordinal);
        var pending = ids.Distinct().Select(id => (Id: id, After: (string?)null)).ToList();
        while (pending.Count > 0)
        {
            var next = new List<(string Id, string? After)>();
            foreach (var chunk in pending.Chunk(Batch))
            {
                using var json = await PostAsync(connection, $"crm/v4/associations/{kind.From}/{kind.To}/batch/read",
                    new { inputs = chunk.Select(c => c.After is null ? (object)new { id = c.Id } : new { id = c.Id, after = c.After }) }, idempotent: true, ct);
                if (!json.RootElement.TryGetProperty("results", out var results)) continue;
                foreach (var result in results.EnumerateArray())
                {
                    var from = result.GetProperty("from").GetProperty("id").ToString();
                    var list = found.TryGetValue(from, out var known) ? known : found[from] = [];
                    foreach (var to in result.GetProperty("to").EnumerateArray())
                    {
                        var isPrimary = primary is not null && to.TryGetProperty("associationTypes", out var types)
                                        && types.EnumerateArray().Any(t => t.TryGetProperty("typeId", out var id) && id.TryGetInt32(out var n) && n == primary);
                        list.Add((to.GetProperty("toObjectId").ToString(), isPrimary));
                    }
                    if (result.TryGetProperty("paging", out var paging) && paging.TryGetProperty("next", out var n2) && n2.GetProperty("after").GetString() is { } after
                        && list.Count < MaxPerRecord)
                        next.Add((from, after));
                }
            }
            pending = next;
        }
        // Primary first: where we hold one, it is the one.
        return found.ToDictionary(f => f.Key, f => (IReadOnlyList<string>)f.Value.OrderBy(x => x.Primary ? 0 : 1).Select(x => x.Id).Distinct().ToList(), StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<(RemoteAssociation Pair, string Reason)>> AddAsync(ConnectionRef connection, AssociationKind kind, IReadOnlyList<RemoteAssociation> pairs, CancellationToken ct)
    {
        var (unlabeled, primary) = TypesOf(kind);
        var types = primary is { } p
            ? new object[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = p }, new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = unlabeled } }
            : [new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = unlabeled }];
        var refused = new List<(RemoteAssociation, string)>();
        foreach (var chunk in pairs.Chunk(Batch))
        {
            // Creating an association that exists changes nothing: safe to repeat.
            using var json = await PostAsync(connection, $"crm/v4/associations/{kind.From}/{kind.To}/batch/create",
                new { inputs = chunk.Select(x => new { types, from = new { id = x.From }, to = new { id = x.To } }) }, idempotent: true, ct);
            refused.AddRange(Refused(json.RootElement, chunk));
        }
        return refused;
    }

    public async Task<IReadOnlyList<(RemoteAssociation Pair, string Reason)>> RemoveAsync(ConnectionRef connection, AssociationKind kind, IReadOnlyList<RemoteAssociation> pairs, CancellationToken ct)
    {
        var refused = new List<(RemoteAssociation, string)>();
        foreach (var chunk in pairs.GroupBy(p => p.From).Chunk(Batch))
        {
            using var json = await PostAsync(connection, $"crm/v4/associations/{kind.From}/{kind.To}/batch/archive",
                new { inputs = chunk.Select(g => new { from = new { id = g.Key }, to = g.Select(x => new { id = x.To }) }) }, idempotent: true, ct);
            refused.AddRange(Refused(json.RootElement, chunk.SelectMany(g => g).ToArray()));
        }
        return refused;
    }

    /// <summary>The inputs a 207 names in its errors (by their from and to ids).</summary>
    private static IEnumerable<(RemoteAssociation, string)> Refused(JsonElement root, RemoteAssociation[] chunk)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("errors", out var errors)) yield break;
        foreach (var error in errors.EnumerateArray())
        {
            var message = error.TryGetProperty("message", out var m) ? m.GetString() ?? "Refused." : "Refused.";
            var context = error.TryGetProperty("context", out var c) ? c : default;
            string? Id(string name) => context.ValueKind == JsonValueKind.Object && context.TryGetProperty(name, out var ids) && ids.ValueKind == JsonValueKind.Array
                ? ids.EnumerateArray().Select(i => i.ToString()).FirstOrDefault() : null;
            var (from, to) = (Id("fromObjectId"), Id("toObjectId"));
            foreach (var pair in chunk.Where(x => x.From == from && (to is null || x.To == to))) yield return (pair, message);
        }
    }

    private async Task<JsonDocument> PostAsync(ConnectionRef connection, string path, object body, bool idempotent, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) }.For(connection, idempotent: idempotent);
        using var response = await ProviderResponses.SendAsync(http, request, "HubSpot", ct);
        if (response.StatusCode == System.Net.HttpStatusCode.NoContent) return JsonDocument.Parse("{}");
        if (response.IsSuccessStatusCode) return JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        await ProviderResponses.ReadAsync<JsonElement>(response, "HubSpot", ct);
        throw new ProviderApiException("HubSpot", (int)response.StatusCode, null, "HubSpot answered without a body.");
    }
}
