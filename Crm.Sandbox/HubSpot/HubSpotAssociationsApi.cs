using System.Globalization;
using System.Text.Json.Nodes;
using Crm.Sandbox.Faults;

namespace Crm.Sandbox.HubSpot;

/// <summary>
/// HubSpot's associations v4 between contacts, companies and deals, as developers.hubspot.com documents them: a
/// record's associations (paged, ≤ 500), create one with types or the default type, remove one; batch read (≤ 1,000
/// ids; an id with none is an error of a 207), batch create, batch associate default, batch archive and batch label
/// archive (≤ 1,000 inputs). The record merge (<c>POST /crm/v3/objects/{type}/merge</c>) is here too: it moves a
/// record's associations.
/// </summary>
public static class HubSpotAssociationsApi
{
    public const int MaxBatch = 1_000;
    public const int MaxPage = 500;

    private static readonly Dictionary<string, string> TypeIds = new()
    {
        ["contacts"] = "0-1", ["companies"] = "0-2", ["deals"] = "0-3", ["notes"] = "0-46", ["tasks"] = "0-27", ["calls"] = "0-48", ["meetings"] = "0-47", ["emails"] = "0-49",
    };

    public static void MapHubSpotAssociations(this IEndpointRouteBuilder app)
    {
        var api = new SandboxSurface("hubspot", SandboxSurface.Api);
        var one = app.MapGroup("/crm/v4/objects/{fromObjectType}/{fromId}/associations").WithMetadata(api).DisableAntiforgery();
        one.MapGet("/{toObjectType}", (HttpContext c, string fromObjectType, string fromId, string toObjectType) => Run(c, fromObjectType, toObjectType, store =>
        {
            var limit = int.TryParse(c.Request.Query["limit"], out var l) ? l : MaxPage;
            if (limit is < 1 or > MaxPage) return HubSpotCrmApi.Error(400, "VALIDATION_ERROR", $"limit must be between 1 and {MaxPage}.");
            if (store.Get(fromObjectType, store.Surviving(fromObjectType, fromId)) is null) return NotFound(fromObjectType, fromId);
            var after = long.TryParse(c.Request.Query["after"], NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : 0;
            var all = store.Associations(fromObjectType, store.Surviving(fromObjectType, fromId), toObjectType).Where(x => long.Parse(x.ToId, CultureInfo.InvariantCulture) > after).ToList();
            var page = all.Take(limit).Select(x => Associated(fromObjectType, toObjectType, x)).ToList();
            return Results.Json(all.Count > limit
                ? new { results = page, paging = new { next = new { after = all[limit - 1].ToId, link = (string?)null } } }
                : (object)new { results = page });
        }));
        one.MapPut("/default/{toObjectType}/{toId}", (HttpContext c, string fromObjectType, string fromId, string toObjectType, string toId) => Run(c, fromObjectType, toObjectType, store =>
        {
            if (store.Associate(fromObjectType, fromId, toObjectType, toId, []) is { } error) return HubSpotCrmApi.Error(400, "VALIDATION_ERROR", error);
            var started = DateTimeOffset.UtcNow;
            return Results.Json(new { status = "COMPLETE", results = new[] { DefaultResult(fromObjectType, toObjectType, fromId, toId) }, startedAt = started, completedAt = DateTimeOffset.UtcNow });
        }));
        one.MapPut("/{toObjectType}/{toId}", async (HttpContext c, string fromObjectType, string fromId, string toObjectType, string toId) =>
        {
            var body = await ArrayBodyAsync(c);
            return Run(c, fromObjectType, toObjectType, store =>
            {
                if (body is null || Types(body) is not { } types) return HubSpotCrmApi.Error(400, "VALIDATION_ERROR", "The body must be a list of {associationCategory, associationTypeId}.");
                if (store.Associate(fromObjectType, fromId, toObjectType, toId, types) is { } error) return HubSpotCrmApi.Error(400, "VALIDATION_ERROR", error);
                return Results.Json(Labelled(store, fromObjectType, toObjectType, fromId, toId), statusCode: 201);
            });
        });
        one.MapDelete("/{toObjectType}/{toId}", (HttpContext c, string fromObjectType, string fromId, string toObjectType, string toId) => Run(c, fromObjectType, toObjectType, store =>
        {
            store.Unassociate(fromObjectType, fromId, toObjectType, toId);
            return Results.NoContent();
        }));

        var batch = app.MapGroup("/crm/v4/associations/{fromObjectType}/{toObjectType}/batch").WithMetadata(api).DisableAntiforgery();
        batch.MapPost("/read", async (HttpContext c, string fromObjectType, string toObjectType) => await BatchAsync(c, fromObjectType, toObjectType, (store, inputs) =>
        {
            var results = new List<object>();
            var errors = new List<object>();
            foreach (var input in inputs)
            {
                var id = input["id"]?.ToString();
                var after = long.TryParse(input["after"]?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : 0;
                var all = id is null ? [] : store.Associations(fromObjectType, store.Surviving(fromObjectType, id), toObjectType).Where(x => long.Parse(x.ToId, CultureInfo.InvariantCulture) > after).ToList();
                if (all.Count == 0)
                {
                    errors.Add(new
                    {
                        status = "error", category = "OBJECT_NOT_FOUND", subCategory = "crm.associations.NO_ASSOCIATIONS_FOUND",
                        message = $"No {HubSpotAssociationTypes.Singular(toObjectType)} is associated with {HubSpotAssociationTypes.Singular(fromObjectType)} {id}.",
                        context = new { fromObjectId = new[] { id } },
                    });
                    continue;
                }
                var page = all.Take(MaxPage).Select(x => Associated(fromObjectType, toObjectType, x)).ToList();
                results.Add(all.Count > MaxPage
                    ? new { from = new { id }, to = page, paging = new { next = new { after = all[MaxPage - 1].ToId, link = (string?)null } } }
                    : (object)new { from = new { id }, to = page });
            }
            return (results, errors);
        }, okStatus: 200));
        batch.MapPost("/create", async (HttpContext c, string fromObjectType, string toObjectType) => await BatchAsync(c, fromObjectType, toObjectType, (store, inputs) =>
        {
            var results = new List<object>();
            var errors = new List<object>();
            foreach (var input in inputs)
            {
                var (from, to) = (input["from"]?["id"]?.ToString(), input["to"]?["id"]?.ToString());
                var types = input["types"] as JsonArray is { } list ? Types(list) : null;
                var error = from is null || to is null || types is null ? "Each input needs from.id, to.id and types." : store.Associate(fromObjectType, from, toObjectType, to, types);
                if (error is null) results.Add(Labelled(store, fromObjectType, toObjectType, from!, to!));
                else errors.Add(new { status = "error", category = "VALIDATION_ERROR", message = error, context = new { fromObjectId = new[] { from }, toObjectId = new[] { to } } });
            }
            return (results, errors);
        }, okStatus: 201));
        batch.MapPost("/associate/default", async (HttpContext c, string fromObjectType, string toObjectType) => await BatchAsync(c, fromObjectType, toObjectType, (store, inputs) =>
        {
            var results = new List<object>();
            var errors = new List<object>();
            foreach (var input in inputs)
            {
                var (from, to) = (input["from"]?["id"]?.ToString(), input["to"]?["id"]?.ToString());
                var error = from is null || to is null ? "Each input needs from.id and to.id." : store.Associate(fromObjectType, from, toObjectType, to, []);
                if (error is null) results.Add(DefaultResult(fromObjectType, toObjectType, from!, to!));
                else errors.Add(new { status = "error", category = "VALIDATION_ERROR", message = error, context = new { fromObjectId = new[] { from }, toObjectId = new[] { to } } });
            }
            return (results, errors);
        }, okStatus: 200));
        batch.MapPost("/archive", async (HttpContext c, string fromObjectType, string toObjectType) => await BatchAsync(c, fromObjectType, toObjectType, (store, inputs) =>
        {
            foreach (var input in inputs)
                if (input["from"]?["id"]?.ToString() is { } from)
                    foreach (var to in (input["to"] as JsonArray ?? []).Select(t => t?["id"]?.ToString()).OfType<string>())
                        store.Unassociate(fromObjectType, from, toObjectType, to);
            return ([], []);
        }, okStatus: 204));
        batch.MapPost("/labels/archive", async (HttpContext c, string fromObjectType, string toObjectType) => await BatchAsync(c, fromObjectType, toObjectType, (store, inputs) =>
        {
            // Removing the unlabelled type removes the association; a label alone leaves the rest.
            var pair = HubSpotAssociationTypes.Of(fromObjectType, toObjectType)!;
            foreach (var input in inputs)
            {
                var (from, to) = (input["from"]?["id"]?.ToString(), input["to"]?["id"]?.ToString());
                var types = input["types"] as JsonArray is { } list ? Types(list) ?? [] : [];
                if (from is null || to is null) continue;
                var kept = store.Associations(fromObjectType, from, toObjectType).FirstOrDefault(x => x.ToId == to).Types?.Except(types).ToList() ?? [];
                store.Unassociate(fromObjectType, from, toObjectType, to);
                if (kept.Contains(pair.Unlabeled)) store.Associate(fromObjectType, from, toObjectType, to, kept);
            }
            return ([], []);
        }, okStatus: 204));

        app.MapPost("/crm/v3/objects/{objectType}/merge", async (HttpContext c, string objectType) =>
        {
            var body = await BodyAsync(c);
            return HubSpotApiSandbox.Guarded(c, _ =>
            {
                if (!HubSpotCrmStore.ObjectTypes.Contains(objectType)) return HubSpotCrmApi.Error(400, "VALIDATION_ERROR", $"Unable to infer object type from: {objectType}");
                if (body?["primaryObjectId"]?.ToString() is not { Length: > 0 } primary || body["objectIdToMerge"]?.ToString() is not { Length: > 0 } merged)
                    return HubSpotCrmApi.Error(400, "VALIDATION_ERROR", "primaryObjectId and objectIdToMerge are required.");
                var store = c.RequestServices.GetRequiredService<HubSpotCrmStore>();
                var (record, error) = store.Merge(objectType, primary, merged);
                return record is null ? HubSpotCrmApi.Error(400, "VALIDATION_ERROR", error!) : Results.Json(HubSpotCrmApi.ObjectJson(record, null));
            });
        }).WithMetadata(api).DisableAntiforgery();
    }

    /// <summary>A record's associations to a type, as the v3 object reads give them with <c>associations=</c>.</summary>
    public static object? V3Associations(HubSpotCrmStore store, string fromType, string id, IEnumerable<string> toTypes)
    {
        var found = new Dictionary<string, object>();
        foreach (var toType in toTypes.Where(t => HubSpotAssociationTypes.Of(fromType, t) is not null).Distinct())
        {
            var list = store.Associations(fromType, id, toType);
            if (list.Count == 0) continue;
            found[toType] = new
            {
                results = list.SelectMany(x => x.Types.OrderBy(t => HubSpotAssociationTypes.Of(fromType, toType)!.Unlabeled == t ? 1 : 0)
                    .Select(t => new { id = x.ToId, type = HubSpotAssociationTypes.V3Name(fromType, toType, t) })).ToList(),
            };
        }
        return found.Count == 0 ? null : found;
    }

    private static object Associated(string from, string to, (string ToId, IReadOnlyList<int> Types) x) => new
    {
        toObjectId = long.Parse(x.ToId, CultureInfo.InvariantCulture),
        associationTypes = x.Types.Select(t => new { category = "HUBSPOT_DEFINED", typeId = t, label = HubSpotAssociationTypes.Label(from, to, t) }),
    };

    private static object Labelled(HubSpotCrmStore store, string from, string to, string fromId, string toId) => new
    {
        fromObjectTypeId = TypeIds[from], fromObjectId = long.Parse(fromId, CultureInfo.InvariantCulture),
        toObjectTypeId = TypeIds[to], toObjectId = long.Parse(toId, CultureInfo.InvariantCulture),
        labels = store.Associations(from, fromId, to).FirstOrDefault(x => x.ToId == toId).Types?.Select(t => HubSpotAssociationTypes.Label(from, to, t)).OfType<string>().ToArray() ?? [],
    };

    private static object DefaultResult(string from, string to, string fromId, string toId) => new
    {
        from = new { id = fromId }, to = new { id = toId },
        associationSpec = new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = HubSpotAssociationTypes.Of(from, to)!.Unlabeled },
    };

    /// <summary>The association type ids of a body's <c>[{associationCategory, associationTypeId}]</c>; null when one is malformed.</summary>
    private static List<int>? Types(JsonArray list)
    {
        var types = new List<int>();
        foreach (var item in list)
        {
            if (item?["associationCategory"]?.ToString() is not ("HUBSPOT_DEFINED" or "USER_DEFINED" or "INTEGRATOR_DEFINED")) return null;
            if (!int.TryParse(item["associationTypeId"]?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return null;
            types.Add(id);
        }
        return types;
    }

    private static IResult Run(HttpContext c, string from, string to, Func<HubSpotCrmStore, IResult> answer) =>
        HubSpotApiSandbox.Guarded(c, _ => !HubSpotCrmStore.ObjectTypes.Contains(from) || !HubSpotCrmStore.ObjectTypes.Contains(to)
            ? HubSpotCrmApi.Error(400, "VALIDATION_ERROR", $"Unable to infer object type from: {(HubSpotCrmStore.ObjectTypes.Contains(from) ? to : from)}")
            : HubSpotAssociationTypes.Of(from, to) is null
                ? HubSpotCrmApi.Error(400, "VALIDATION_ERROR", $"No association types exist between {from} and {to}.")
                : answer(c.RequestServices.GetRequiredService<HubSpotCrmStore>()));

    private static async Task<IResult> BatchAsync(HttpContext c, string from, string to, Func<HubSpotCrmStore, List<JsonObject>, (List<object> Results, List<object> Errors)> work, int okStatus)
    {
        var body = await BodyAsync(c);
        return Run(c, from, to, store =>
        {
            if (body?["inputs"] is not JsonArray inputs) return HubSpotCrmApi.Error(400, "VALIDATION_ERROR", "The body must hold \"inputs\".");
            if (inputs.Count > MaxBatch) return HubSpotCrmApi.Error(400, "VALIDATION_ERROR", $"Batch input arrays may hold at most {MaxBatch} items; this one has {inputs.Count}.");
            var started = DateTimeOffset.UtcNow;
            var (results, errors) = work(store, inputs.OfType<JsonObject>().ToList());
            if (okStatus == 204) return Results.NoContent();
            return errors.Count > 0
                ? Results.Json(new { status = "COMPLETE", results, numErrors = errors.Count, errors, startedAt = started, completedAt = DateTimeOffset.UtcNow }, statusCode: 207)
                : Results.Json(new { status = "COMPLETE", results, startedAt = started, completedAt = DateTimeOffset.UtcNow }, statusCode: okStatus);
        });
    }

    private static async Task<JsonObject?> BodyAsync(HttpContext c)
    {
        try { return await JsonNode.ParseAsync(c.Request.Body) as JsonObject; }
        catch (System.Text.Json.JsonException) { return null; }
    }

    private static async Task<JsonArray?> ArrayBodyAsync(HttpContext c)
    {
        try { return await JsonNode.ParseAsync(c.Request.Body) as JsonArray; }
        catch (System.Text.Json.JsonException) { return null; }
    }

    private static IResult NotFound(string objectType, string id) =>
        HubSpotCrmApi.Error(404, "OBJECT_NOT_FOUND", $"Object not found.  objectId are usually numeric. ({HubSpotAssociationTypes.Singular(objectType)} {id})");
}
