using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Crm.Sandbox.Faults;
using Microsoft.Extensions.Options;

namespace Crm.Sandbox.HubSpot;

/// <summary>
/// HubSpot's CRM v3 as developers.hubspot.com documents it, for contacts, companies and deals: list with <c>after</c>
/// paging (≤ 100), get (by id or <c>idProperty</c>), create, update, archive; batch read, create, update, upsert and
/// archive (≤ 100 inputs; <c>207</c> with per-input errors when some fail); search (filter groups, sorts, ≤ 200 per page,
/// no paging past 10,000 results, its own per-second limit); properties (and custom ones), owners and the deal pipeline.
/// Every call counts against the portal's limits and needs a live access token. Errors carry HubSpot's
/// <c>status</c>/<c>message</c>/<c>category</c>.
/// </summary>
public static class HubSpotCrmApi
{
    public const int MaxPage = 100;
    public const int MaxSearchPage = 200;
    public const int MaxSearchResults = 10_000;
    public const int MaxBatch = 100;

    private static readonly Dictionary<string, string[]> DefaultReturned = new()
    {
        ["contacts"] = ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"],
        ["companies"] = ["createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"],
        ["deals"] = ["amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id", "pipeline"],
        ["notes"] = ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"],
        ["tasks"] = ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"],
        ["calls"] = ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"],
        ["meetings"] = ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"],
        ["emails"] = ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"],
    };

    public static void MapHubSpotCrm(this IEndpointRouteBuilder app)
    {
        var api = new SandboxSurface("hubspot", SandboxSurface.Api);
        var objects = app.MapGroup("/crm/v3/objects/{objectType}").WithMetadata(api).DisableAntiforgery();
        objects.MapGet("/", (HttpContext c, string objectType) => Run(c, objectType, store => List(c, store, objectType)));
        objects.MapGet("/{id}", (HttpContext c, string objectType, string id) => Run(c, objectType, store => GetOne(c, store, objectType, id)));
        objects.MapPost("/", async (HttpContext c, string objectType) => await RunAsync(c, objectType, store => CreateAsync(c, store, objectType)));
        objects.MapPatch("/{id}", async (HttpContext c, string objectType, string id) => await RunAsync(c, objectType, store => UpdateAsync(c, store, objectType, id)));
        objects.MapDelete("/{id}", (HttpContext c, string objectType, string id) => Run(c, objectType, store => store.Archive(objectType, id) ? Results.NoContent() : NotFound(objectType, id)));
        objects.MapPost("/batch/{operation}", async (HttpContext c, string objectType, string operation) => await RunAsync(c, objectType, store => BatchAsync(c, store, objectType, operation)));
        objects.MapPost("/search", async (HttpContext c, string objectType) =>
        {
            if (c.RequestServices.GetRequiredService<HubSpotApiLimits>().AdmitSearch() is false)
                return Results.Json(new { status = "error", message = "You have reached your secondly limit.", errorType = "RATE_LIMIT", correlationId = Guid.NewGuid(), policyName = "SECONDLY" }, statusCode: 429);
            return await RunAsync(c, objectType, store => SearchAsync(c, store, objectType));
        });

        app.MapGet("/crm/v3/properties/{objectType}", (HttpContext c, string objectType) => Run(c, objectType, store =>
            Results.Json(new { results = store.Properties(objectType).Select(PropertyJson) }))).WithMetadata(api);
        app.MapPost("/crm/v3/properties/{objectType}", async (HttpContext c, string objectType) => await RunAsync(c, objectType, async store =>
        {
            var body = await BodyAsync(c);
            if (body?["name"]?.GetValue<string>() is not { Length: > 0 } name || body["label"]?.GetValue<string>() is not { Length: > 0 } label
                || body["type"]?.GetValue<string>() is not { } type || body["fieldType"]?.GetValue<string>() is not { } fieldType)
                return Error(400, "VALIDATION_ERROR", "name, label, type, fieldType and groupName are required.");
            var options = (body["options"] as JsonArray)?.Select(o => (o!["value"]!.GetValue<string>(), o["label"]!.GetValue<string>())).ToList();
            var unique = body["hasUniqueValue"]?.GetValueKind() == JsonValueKind.True;
            var created = store.AddProperty(objectType, new HubSpotProperty(name, label, type, fieldType, body["groupName"]?.GetValue<string>() ?? "contactinformation", false, options,
                HasUniqueValue: unique));
            return created is null ? Error(409, "OBJECT_ALREADY_EXISTS", $"A property named '{name}' already exists.") : Results.Json(PropertyJson(created), statusCode: 201);
        })).WithMetadata(api).DisableAntiforgery();

        app.MapGet("/crm/v3/properties/{objectType}/{propertyName}", (HttpContext c, string objectType, string propertyName) => Run(c, objectType, store =>
            store.Properties(objectType).FirstOrDefault(p => p.Name == propertyName) is { } property
                ? Results.Json(PropertyJson(property))
                : Error(404, "OBJECT_NOT_FOUND", $"Unable to find property {propertyName} on object type {objectType}."))).WithMetadata(api);

        app.MapGet("/crm/v3/owners", (HttpContext c, IOptions<HubSpotSandboxOptions> options) => HubSpotApiSandbox.Guarded(c, _ =>
        {
            var email = c.Request.Query["email"].ToString();
            var owners = options.Value.Owners.Where(o => email.Length == 0 || string.Equals(o.Email, email, StringComparison.OrdinalIgnoreCase));
            return Results.Json(new
            {
                results = owners.Select(o => new
                {
                    id = o.Id, email = o.Email, type = "PERSON", firstName = o.FirstName, lastName = o.LastName, userId = o.UserId, userIdIncludingInactive = o.UserId,
                    createdAt = "2024-01-10T09:00:00.000Z", updatedAt = "2024-01-10T09:00:00.000Z", archived = false, teams = Array.Empty<object>(),
                }),
            });
        })).WithMetadata(api);

        app.MapGet("/crm/v3/pipelines/deals", (HttpContext c) => HubSpotApiSandbox.Guarded(c, _ => Results.Json(new
        {
            results = new[] { HubSpotPipelines.Default }.Select(p => new
            {
                id = p.Id, label = p.Label, displayOrder = 0, createdAt = "2024-01-10T09:00:00.000Z", updatedAt = "2024-01-10T09:00:00.000Z", archived = false,
                stages = p.Stages.Select(s => new
                {
                    id = s.Id, label = s.Label, displayOrder = s.DisplayOrder, createdAt = "2024-01-10T09:00:00.000Z", updatedAt = "2024-01-10T09:00:00.000Z", archived = false,
                    metadata = new { isClosed = s.IsClosed ? "true" : "false", probability = s.Probability.ToString("0.0", CultureInfo.InvariantCulture) },
                    writePermissions = "CRM_PERMISSIONS_ENFORCEMENT",
                }),
            }),
        }))).WithMetadata(api);

        // The sandbox's own: N generated records, as a portal with history would have.
        app.MapPost("/_sandbox/hubspot/seed", (Seed seed, HubSpotCrmStore store) =>
        {
            if (seed.Contacts is < 0 or > 1_000_000 || seed.Companies is < 0 or > 200_000 || seed.Deals is < 0 or > 400_000)
                return Results.BadRequest(new { error = "contacts ≤ 1,000,000, companies ≤ 200,000, deals ≤ 400,000" });
            var stages = HubSpotPipelines.Default.Stages;
            // A portal with history: the records were last changed over the past year, not all this second.
            var now = DateTimeOffset.UtcNow;
            void Aged(string type, HubSpotRecord? record, int i, int count)
            {
                if (record is null) return;
                var at = now.AddDays(-365).AddSeconds(365.0 * 86_400 * i / Math.Max(1, count));
                record.UpdatedAt = at;
                record.Properties[HubSpotCrmStore.ModifiedProperty(type)] = HubSpotCrmStore.Timestamp(at);
                record.Properties["createdate"] = HubSpotCrmStore.Timestamp(at);
            }
            for (var i = 0; i < seed.Companies; i++)
                Aged("companies", store.Create("companies", new Dictionary<string, string?> { ["name"] = $"Company {i:D6}", ["domain"] = $"company{i:D6}.example", ["city"] = "Berlin", ["country"] = "Germany" }).Created, i, seed.Companies);
            for (var i = 0; i < seed.Contacts; i++)
                Aged("contacts", store.Create("contacts", new Dictionary<string, string?>
                {
                    ["email"] = $"person{i:D7}@seed.example", ["firstname"] = $"First{i}", ["lastname"] = $"Last{i}", ["phone"] = $"+49 30 {1000000 + i}",
                    ["jobtitle"] = i % 3 == 0 ? "Buyer" : "Engineer", ["lifecyclestage"] = i % 5 == 0 ? "customer" : "lead",
                }).Created, i, seed.Contacts);
            for (var i = 0; i < seed.Deals; i++)
                Aged("deals", store.Create("deals", new Dictionary<string, string?>
                {
                    ["dealname"] = $"Deal {i:D6}", ["amount"] = (1000 + i % 97 * 250).ToString(CultureInfo.InvariantCulture), ["dealstage"] = stages[i % stages.Count].Id,
                    ["pipeline"] = "default", ["closedate"] = HubSpotCrmStore.Timestamp(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(i % 365)),
                }).Created, i, seed.Deals);
            return Results.Ok(new { contacts = store.All("contacts").Count, companies = store.All("companies").Count, deals = store.All("deals").Count });
        }).DisableAntiforgery();
    }

    public sealed record Seed(int Contacts, int Companies, int Deals);

    /// <summary>
    /// The sandbox's own: changes "as a HubSpot user" (what a person does in HubSpot's UI; webhooks say CRM_UI), and the
    /// app's webhook target.
    /// </summary>
    public static void MapHubSpotUser(this IEndpointRouteBuilder app)
    {
        app.MapPost("/_sandbox/hubspot/as-user/{objectType}", async (string objectType, HttpContext c, HubSpotCrmStore store) =>
        {
            if (!HubSpotCrmStore.ObjectTypes.Contains(objectType)) return Error(400, "VALIDATION_ERROR", $"Unable to infer object type from: {objectType}");
            var values = PropertiesOf((await BodyAsync(c))?["properties"]);
            if (values is null) return Error(400, "VALIDATION_ERROR", "The body must hold \"properties\".");
            if (Invalid(store, objectType, values) is { } invalid) return invalid;
            var (created, existing) = HubSpotCrmStore.AsUser(() => store.Create(objectType, values));
            return created is null ? Error(409, "CONFLICT", store.ConflictMessage(objectType, existing!)) : Results.Json(ObjectJson(created, null, values.Keys), statusCode: 201);
        }).DisableAntiforgery();
        app.MapPatch("/_sandbox/hubspot/as-user/{objectType}/{id}", async (string objectType, string id, HttpContext c, HubSpotCrmStore store) =>
        {
            if (!HubSpotCrmStore.ObjectTypes.Contains(objectType) || store.Get(objectType, id) is not { } record) return NotFound(objectType, id);
            var values = PropertiesOf((await BodyAsync(c))?["properties"]);
            if (values is null) return Error(400, "VALIDATION_ERROR", "The body must hold \"properties\".");
            if (Invalid(store, objectType, values) is { } invalid) return invalid;
            var (updated, conflict) = HubSpotCrmStore.AsUser(() => store.Update(objectType, record, values));
            return updated is null ? Error(409, "CONFLICT", $"Existing ID: {conflict}") : Results.Json(ObjectJson(updated, null, values.Keys));
        }).DisableAntiforgery();
        // What a person sees on the record's page in HubSpot: every property.
        app.MapGet("/_sandbox/hubspot/as-user/{objectType}/{id}", (string objectType, string id, HubSpotCrmStore store) =>
            HubSpotCrmStore.ObjectTypes.Contains(objectType) && store.Get(objectType, id) is { } record
                ? Results.Json(ObjectJson(record, record.Properties.Keys.Order(StringComparer.Ordinal).ToArray())) : NotFound(objectType, id));
        app.MapDelete("/_sandbox/hubspot/as-user/{objectType}/{id}", (string objectType, string id, HubSpotCrmStore store) =>
            HubSpotCrmStore.ObjectTypes.Contains(objectType) && HubSpotCrmStore.AsUser(() => store.Archive(objectType, id)) ? Results.NoContent() : NotFound(objectType, id));
        app.MapPost("/_sandbox/hubspot/webhooks", (HubSpotWebhooks.Settings settings, HubSpotWebhooks webhooks) =>
        {
            if (settings.TargetUrl is not null && !Uri.TryCreate(settings.TargetUrl, UriKind.Absolute, out _) || settings.RetryScale is <= 0 or > 1)
                return Results.BadRequest(new { error = "targetUrl must be an absolute URL (or null to stop); retryScale in (0, 1]" });
            webhooks.Configure(settings);
            return Results.Ok(webhooks.Stats());
        }).DisableAntiforgery();
        app.MapGet("/_sandbox/hubspot/webhooks", (HubSpotWebhooks webhooks) => Results.Ok(webhooks.Stats()));
    }

    private static IResult Run(HttpContext c, string objectType, Func<HubSpotCrmStore, IResult> answer) =>
        HubSpotApiSandbox.Guarded(c, _ => HubSpotCrmStore.ObjectTypes.Contains(objectType)
            ? answer(c.RequestServices.GetRequiredService<HubSpotCrmStore>())
            : Error(400, "VALIDATION_ERROR", $"Unable to infer object type from: {objectType}"));

    private static async Task<IResult> RunAsync(HttpContext c, string objectType, Func<HubSpotCrmStore, Task<IResult>> answer)
    {
        Task<IResult>? pending = null;
        var guarded = HubSpotApiSandbox.Guarded(c, _ =>
        {
            pending = HubSpotCrmStore.ObjectTypes.Contains(objectType)
                ? answer(c.RequestServices.GetRequiredService<HubSpotCrmStore>())
                : Task.FromResult(Error(400, "VALIDATION_ERROR", $"Unable to infer object type from: {objectType}"));
            return Results.Empty;
        });
        return pending is null ? guarded : await pending;
    }

    private static IResult List(HttpContext c, HubSpotCrmStore store, string objectType)
    {
        var q = c.Request.Query;
        var limit = int.TryParse(q["limit"], out var l) ? l : 10;
        if (limit is < 1 or > MaxPage) return Error(400, "VALIDATION_ERROR", $"limit must be between 1 and {MaxPage}.");
        var after = long.TryParse(q["after"], NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : 0;
        var archived = q["archived"] == "true";
        var page = store.Page(objectType, after, limit + 1, archived);
        var properties = Requested(q["properties"], objectType);
        var types = Associations(q["associations"]);
        var results = page.Take(limit).Select(r =>
        {
            var json = ObjectJson(r, properties);
            if (types is not null && HubSpotAssociationsApi.V3Associations(store, objectType, r.Id, types) is { } associations) json["associations"] = associations;
            return json;
        }).ToList();
        object body = page.Count > limit
            ? new { results, paging = new { next = new { after = page[limit - 1].Id, link = $"?after={page[limit - 1].Id}" } } }
            : new { results };
        return Results.Json(body);
    }

    /// <summary>The object types a read asks the associations of (<c>associations=companies,deals</c>).</summary>
    private static string[]? Associations(string? csv) =>
        string.IsNullOrWhiteSpace(csv) ? null : csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(HubSpotCrmStore.ObjectTypes.Contains).ToArray();

    private static IResult GetOne(HttpContext c, HubSpotCrmStore store, string objectType, string id)
    {
        var q = c.Request.Query;
        // A merged-away id answers with the record it was merged into, as HubSpot's reads do.
        var record = q["idProperty"].ToString() is { Length: > 0 } idProperty ? store.GetBy(objectType, idProperty, id)
            : q["archived"] == "true" ? store.Get(objectType, id, true) : store.Get(objectType, store.Surviving(objectType, id));
        if (record is null) return NotFound(objectType, id);
        var json = ObjectJson(record, Requested(q["properties"], objectType));
        if (Associations(q["associations"]) is { } types && HubSpotAssociationsApi.V3Associations(store, objectType, record.Id, types) is { } associations) json["associations"] = associations;
        return Results.Json(json);
    }

    private static async Task<IResult> CreateAsync(HttpContext c, HubSpotCrmStore store, string objectType)
    {
        var values = PropertiesOf((await BodyAsync(c))?["properties"]);
        if (values is null) return Error(400, "VALIDATION_ERROR", "The body must hold \"properties\".");
        if (Invalid(store, objectType, values) is { } invalid) return invalid;
        var (created, existing) = store.Create(objectType, values);
        return created is null ? Error(409, "CONFLICT", store.ConflictMessage(objectType, existing!)) : Results.Json(ObjectJson(created, null, values.Keys), statusCode: 201);
    }

    private static async Task<IResult> UpdateAsync(HttpContext c, HubSpotCrmStore store, string objectType, string id)
    {
        var values = PropertiesOf((await BodyAsync(c))?["properties"]);
        if (values is null) return Error(400, "VALIDATION_ERROR", "The body must hold \"properties\".");
        var record = c.Request.Query["idProperty"].ToString() is { Length: > 0 } idProperty ? store.GetBy(objectType, idProperty, id) : store.Get(objectType, id);
        if (record is null) return NotFound(objectType, id);
        if (Invalid(store, objectType, values) is { } invalid) return invalid;
        var (updated, conflict) = store.Update(objectType, record, values);
        return updated is null ? Error(409, "CONFLICT", $"A contact with the email already exists. Existing ID: {conflict}") : Results.Json(ObjectJson(updated, null, values.Keys));
    }

    private static async Task<IResult> BatchAsync(HttpContext c, HubSpotCrmStore store, string objectType, string operation)
    {
        var body = await BodyAsync(c);
        if (body?["inputs"] is not JsonArray inputs) return Error(400, "VALIDATION_ERROR", "The body must hold \"inputs\".");
        if (inputs.Count > MaxBatch) return Error(400, "VALIDATION_ERROR", $"Batch input arrays may hold at most {MaxBatch} items; this one has {inputs.Count}.");
        var started = DateTimeOffset.UtcNow;
        var results = new List<object>();
        var errors = new List<object>();
        var requested = (body["properties"] as JsonArray)?.Select(p => p!.GetValue<string>()).ToArray();
        var idProperty = body["idProperty"]?.GetValue<string>();
        foreach (var input in inputs.OfType<JsonObject>())
        {
            var id = input["id"]?.ToString();
            var values = PropertiesOf(input["properties"]);
            switch (operation)
            {
                case "read":
                    var found = id is null ? null : idProperty is { Length: > 0 } ? store.GetBy(objectType, idProperty, id) : store.Get(objectType, store.Surviving(objectType, id));
                    if (found is null) errors.Add(BatchError("OBJECT_NOT_FOUND", $"Could not get some {Singular(objectType)} objects, they may be deleted or not exist. Check that ids are valid.", id));
                    else results.Add(ObjectJson(found, requested ?? DefaultReturned[objectType]));
                    break;
                case "create":
                    var trace = input["objectWriteTraceId"]?.ToString();
                    if (values is null) { errors.Add(BatchError("VALIDATION_ERROR", "An input has no properties.", null, trace)); break; }
                    if (store.Validate(objectType, values) is { Count: > 0 } bad) { errors.Add(BatchError("VALIDATION_ERROR", ProblemsText(bad), null, trace)); break; }
                    var (created, existing) = store.Create(objectType, values);
                    if (created is null) errors.Add(BatchError("CONFLICT", store.ConflictMessage(objectType, existing!), existing, trace));
                    else results.Add(ObjectJson(created, null, values.Keys));
                    break;
                case "update" or "upsert":
                    if (values is null) { errors.Add(BatchError("VALIDATION_ERROR", "An input has no properties.", id)); break; }
                    if (store.Validate(objectType, values) is { Count: > 0 } invalid) { errors.Add(BatchError("VALIDATION_ERROR", ProblemsText(invalid), id)); break; }
                    var key = input["idProperty"]?.GetValue<string>() ?? idProperty;
                    var target = id is null ? null : key is { Length: > 0 } ? store.GetBy(objectType, key, id) : store.Get(objectType, id);
                    if (target is null && operation == "upsert" && key is { Length: > 0 } && id is not null)
                    {
                        var (made, taken) = store.Create(objectType, new Dictionary<string, string?>(values) { [key] = id });
                        if (made is null) errors.Add(BatchError("CONFLICT", store.ConflictMessage(objectType, taken!), id));
                        else results.Add(WithNew(ObjectJson(made, null, values.Keys), true));
                        break;
                    }
                    if (target is null) { errors.Add(BatchError("OBJECT_NOT_FOUND", $"Could not find {Singular(objectType)} {id}.", id)); break; }
                    var (updated, conflict) = store.Update(objectType, target, values);
                    if (updated is null) errors.Add(BatchError("CONFLICT", $"A contact with the email already exists. Existing ID: {conflict}", id));
                    else results.Add(operation == "upsert" ? WithNew(ObjectJson(updated, null, values.Keys), false) : ObjectJson(updated, null, values.Keys));
                    break;
                case "archive":
                    if (id is null || !store.Archive(objectType, id)) errors.Add(BatchError("OBJECT_NOT_FOUND", $"Could not find {Singular(objectType)} {id}.", id));
                    break;
                default:
                    return Error(404, "OBJECT_NOT_FOUND", $"No batch operation '{operation}'.");
            }
        }
        if (operation == "archive") return errors.Count == 0 ? Results.NoContent() : Results.Json(new { status = "COMPLETE", results = Array.Empty<object>(), numErrors = errors.Count, errors, startedAt = started, completedAt = DateTimeOffset.UtcNow }, statusCode: 207);
        // HubSpot answers a create or update batch it could do nothing of as one 400, and partial success as 207.
        if (errors.Count > 0 && results.Count == 0 && operation != "read")
            return Results.Json(new { status = "error", message = "No input of the batch could be written.", correlationId = Guid.NewGuid(), category = "VALIDATION_ERROR", errors }, statusCode: 400);
        var status = errors.Count > 0 ? 207 : operation == "create" ? 201 : 200;
        return Results.Json(errors.Count > 0
            ? new { status = "COMPLETE", results, numErrors = errors.Count, errors, startedAt = started, completedAt = DateTimeOffset.UtcNow }
            : (object)new { status = "COMPLETE", results, startedAt = started, completedAt = DateTimeOffset.UtcNow }, statusCode: status);
    }

    private static async Task<IResult> SearchAsync(HttpContext c, HubSpotCrmStore store, string objectType)
    {
        var body = await BodyAsync(c) ?? new JsonObject();
        var limit = body["limit"]?.GetValue<int>() ?? 10;
        if (limit is < 1 or > MaxSearchPage) return Error(400, "VALIDATION_ERROR", $"limit must be between 1 and {MaxSearchPage}.");
        var after = int.TryParse(body["after"]?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : 0;
        if (after + limit > MaxSearchResults)
            return Error(400, "VALIDATION_ERROR", $"The search API returns at most {MaxSearchResults} results per query; narrow the query to page further.");
        var groups = body["filterGroups"] as JsonArray ?? [];
        if (groups.Count > 5 || groups.Sum(g => (g?["filters"] as JsonArray)?.Count ?? 0) > 18)
            return Error(400, "VALIDATION_ERROR", "A search takes at most 5 filter groups and 18 filters.");
        IEnumerable<HubSpotRecord> matched = store.All(objectType);
        if (groups.Count > 0) matched = matched.Where(r => groups.Any(g => ((g?["filters"] as JsonArray) ?? []).All(f => Matches(r, f!.AsObject()))));
        if (body["query"]?.GetValue<string>() is { Length: > 0 } text)
            matched = matched.Where(r => r.Properties.Values.Any(v => v is not null && v.Contains(text, StringComparison.OrdinalIgnoreCase)));
        // A sort is {propertyName, direction}, or as HubSpot's clients send it, a name ("-name" descending).
        var sort = (body["sorts"] as JsonArray)?.FirstOrDefault();
        var (sortBy, ascending) = sort switch
        {
            null => (null, true),
            JsonValue name when name.TryGetValue<string>(out var sortName) => (sortName.TrimStart('-'), !sortName.StartsWith('-')),
            JsonObject o => (o["propertyName"]?.GetValue<string>() ?? "hs_object_id", o["direction"]?.GetValue<string>() != "DESCENDING"),
            _ => ((string?)"hs_object_id", true),
        };
        var ordered = sortBy is null ? matched.OrderBy(r => long.Parse(r.Id, CultureInfo.InvariantCulture)) : Order(matched, sortBy, ascending);
        var all = ordered.ToList();
        var properties = (body["properties"] as JsonArray)?.Select(p => p!.GetValue<string>()).ToArray() ?? DefaultReturned[objectType];
        var results = all.Skip(after).Take(limit).Select(r => ObjectJson(r, properties)).ToList();
        var nextAfter = after + limit;
        object answer = nextAfter < all.Count && nextAfter < MaxSearchResults
            ? new { total = all.Count, results, paging = new { next = new { after = nextAfter.ToString(CultureInfo.InvariantCulture) } } }
            : new { total = all.Count, results };
        return Results.Json(answer);
    }

    private static IOrderedEnumerable<HubSpotRecord> Order(IEnumerable<HubSpotRecord> records, string property, bool ascending)
    {
        Func<HubSpotRecord, IComparable> key = r => Comparable(r.Properties.GetValueOrDefault(property));
        var first = ascending ? records.OrderBy(key) : records.OrderByDescending(key);
        return first.ThenBy(r => long.Parse(r.Id, CultureInfo.InvariantCulture));
    }

    /// <summary>Dates and numbers compare as such, the rest as case-blind text; empty sorts first.</summary>
    private static IComparable Comparable(string? value) =>
        value is null ? (0, 0m, "") :
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) && value.Contains('-') ? (1, (decimal)d.ToUnixTimeMilliseconds(), "") :
        decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? (1, n, "") : (2, 0m, value.ToLowerInvariant());

    private static bool Matches(HubSpotRecord record, JsonObject filter)
    {
        var property = filter["propertyName"]?.GetValue<string>() ?? "";
        var op = filter["operator"]?.GetValue<string>() ?? "EQ";
        var actual = record.Properties.GetValueOrDefault(property);
        string? Value(string name) => filter[name]?.ToString();
        int Compare(string? expected)
        {
            var left = Comparable(actual);
            // A date filter value may be epoch milliseconds, as HubSpot documents.
            var right = expected is not null && long.TryParse(expected, out var ms) && actual is not null && actual.Contains('-') ? (IComparable)(1, (decimal)ms, "") : Comparable(expected);
            return left.CompareTo(right);
        }
        return op switch
        {
            "HAS_PROPERTY" => !string.IsNullOrEmpty(actual),
            "NOT_HAS_PROPERTY" => string.IsNullOrEmpty(actual),
            "EQ" => actual is not null && Compare(Value("value")) == 0,
            "NEQ" => actual is null || Compare(Value("value")) != 0,
            "GT" => actual is not null && Compare(Value("value")) > 0,
            "GTE" => actual is not null && Compare(Value("value")) >= 0,
            "LT" => actual is not null && Compare(Value("value")) < 0,
            "LTE" => actual is not null && Compare(Value("value")) <= 0,
            "BETWEEN" => actual is not null && Compare(Value("value")) >= 0 && Compare(Value("highValue")) <= 0,
            "IN" => actual is not null && ((filter["values"] as JsonArray) ?? []).Any(v => string.Equals(v?.ToString(), actual, StringComparison.OrdinalIgnoreCase)),
            "NOT_IN" => actual is null || !((filter["values"] as JsonArray) ?? []).Any(v => string.Equals(v?.ToString(), actual, StringComparison.OrdinalIgnoreCase)),
            "CONTAINS_TOKEN" => actual is not null && Value("value") is { } token && actual.Contains(token.Trim('*'), StringComparison.OrdinalIgnoreCase),
            "NOT_CONTAINS_TOKEN" => actual is null || Value("value") is not { } t || !actual.Contains(t.Trim('*'), StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }

    private static object WithNew(Dictionary<string, object?> json, bool isNew)
    {
        json["new"] = isNew;
        return json;
    }

    /// <summary>A record as HubSpot returns it: the requested properties (null when unset) or the type's defaults.</summary>
    public static Dictionary<string, object?> ObjectJson(HubSpotRecord r, string[]? requested, IEnumerable<string>? written = null)
    {
        var names = requested ?? DefaultReturned.Values.SelectMany(v => v).Distinct().Where(r.Properties.ContainsKey).Concat(written ?? []).Distinct().ToArray();
        var json = new Dictionary<string, object?>
        {
            ["id"] = r.Id,
            ["properties"] = names.ToDictionary(n => n, n => r.Properties.GetValueOrDefault(n)),
            ["createdAt"] = HubSpotCrmStore.Timestamp(r.CreatedAt), ["updatedAt"] = HubSpotCrmStore.Timestamp(r.UpdatedAt), ["archived"] = r.Archived,
        };
        if (r.ArchivedAt is { } at) json["archivedAt"] = HubSpotCrmStore.Timestamp(at);
        return json;
    }

    private static object PropertyJson(HubSpotProperty p) => new
    {
        updatedAt = "2024-01-10T09:00:00.000Z", createdAt = "2024-01-10T09:00:00.000Z", name = p.Name, label = p.Label, type = p.Type, fieldType = p.FieldType,
        description = "", groupName = p.GroupName, displayOrder = -1, calculated = false, externalOptions = false, hasUniqueValue = p.HasUniqueValue, hidden = false,
        hubspotDefined = p.HubSpotDefined, archived = false, formField = !p.ReadOnly,
        modificationMetadata = new { archivable = !p.HubSpotDefined, readOnlyDefinition = p.HubSpotDefined, readOnlyValue = p.ReadOnly },
        options = (p.Options ?? []).Select((o, i) => new { label = o.Label, value = o.Value, displayOrder = i, hidden = false }),
    };

    private static string[]? Requested(string? csv, string objectType) =>
        string.IsNullOrWhiteSpace(csv) ? DefaultReturned[objectType] : csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Dictionary<string, string?>? PropertiesOf(JsonNode? node) =>
        node is JsonObject properties ? properties.ToDictionary(p => p.Key, p => p.Value is null ? null : p.Value.GetValueKind() == JsonValueKind.String ? p.Value.GetValue<string>() : p.Value.ToJsonString()) : null;

    private static IResult? Invalid(HubSpotCrmStore store, string objectType, IReadOnlyDictionary<string, string?> values) =>
        store.Validate(objectType, values) is { Count: > 0 } problems
            ? Results.Json(new
            {
                status = "error", message = ProblemsText(problems), correlationId = Guid.NewGuid(), category = "VALIDATION_ERROR",
                errors = problems.Select(p => new { message = p.Message, code = p.Error, context = new { propertyName = new[] { p.Name } } }),
            }, statusCode: 400)
            : null;

    /// <summary>HubSpot's wording: the list of invalid properties as JSON inside the message.</summary>
    private static string ProblemsText(IReadOnlyList<PropertyProblem> problems) =>
        "Property values were not valid: " + JsonSerializer.Serialize(problems.Select(p => new { isValid = false, message = p.Message, error = p.Error, name = p.Name }));

    private static object BatchError(string category, string message, string? id, string? trace = null) => new
    {
        status = "error", category, message, context = id is null ? (object)new { } : new { ids = new[] { id } }, objectWriteTraceId = trace,
    };

    private static string Singular(string objectType) => objectType switch { "contacts" => "CONTACT", "companies" => "COMPANY", "deals" => "DEAL", _ => objectType.TrimEnd('s').ToUpperInvariant() };

    private static IResult NotFound(string objectType, string id) => Error(404, "OBJECT_NOT_FOUND", $"Object not found.  objectId are usually numeric. ({Singular(objectType)} {id})");

    private static async Task<JsonObject?> BodyAsync(HttpContext c)
    {
        try
        {
            return await JsonNode.ParseAsync(c.Request.Body, documentOptions: new JsonDocumentOptions { MaxDepth = 32 }) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static IResult Error(int status, string category, string message) =>
        Results.Json(new { status = "error", message, correlationId = Guid.NewGuid(), category }, statusCode: status);
}
