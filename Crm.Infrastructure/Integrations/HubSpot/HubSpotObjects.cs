using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Core.Integrations.Calls;
using Crm.Core.Integrations.HubSpot;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Sync;
using Crm.Infrastructure.Integrations.Calls;

namespace Crm.Infrastructure.Integrations.HubSpot;

/// <summary>
/// One HubSpot object type (contacts, companies) behind the sync's port, over CRM v3 through the provider pipeline:
/// changes by search on its modification date (<c>lastmodifieddate</c>, <c>hs_lastmodifieddate</c>; 200 a page, re-sliced from the last time seen before the 10,000-result cap), reads and
/// email lookups by batch read, creates and updates by batch (a 207's failed inputs become per-record refusals with
/// HubSpot's message), archives by batch, owners by <c>/crm/v3/owners</c>.
/// </summary>
public sealed class HubSpotObjects(HttpClient http, string objectType, string modified, FieldMap map, string? matchProperty, HubSpotOwnerCache? owners = null,
    HubSpotKeyProperty? keys = null)
    : IRemoteObjects, IRemoteOwners, IRemotePicklists, IRemoteSchema
{
    public const string ClientName = "hubspot-objects";
    /// <summary>HubSpot's search: at most 200 a page, and no paging past 10,000 results for one query.</summary>
    public const int SearchPage = 200;
    public const int SearchCap = 10_000;

    public static HubSpotObjects Contacts(HttpClient http, HubSpotOwnerCache? owners = null, HubSpotKeyProperty? keys = null) => new(http, "contacts", "lastmodifieddate", HubSpotMappings.Contacts, "email", owners, keys);
    public static HubSpotObjects Companies(HttpClient http, HubSpotOwnerCache? owners = null, HubSpotKeyProperty? keys = null) => new(http, "companies", "hs_lastmodifieddate", HubSpotMappings.Companies, "domain", owners, keys);
    public static HubSpotObjects Deals(HttpClient http, HubSpotOwnerCache? owners = null, HubSpotKeyProperty? keys = null) => new(http, "deals", "hs_lastmodifieddate", HubSpotMappings.Deals, null, owners, keys);

    /// <summary>An engagement type (notes, tasks, calls, meetings, emails) with its mapping.</summary>
    public static HubSpotObjects Engagements(string type, HttpClient http, HubSpotOwnerCache? owners = null, HubSpotKeyProperty? keys = null) => new(http, type, "hs_lastmodifieddate", type switch
    {
        "notes" => HubSpotActivityMappings.Notes,
        "tasks" => HubSpotActivityMappings.Tasks,
        "calls" => HubSpotActivityMappings.Calls,
        "meetings" => HubSpotActivityMappings.Meetings,
        "emails" => HubSpotActivityMappings.Emails,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a HubSpot engagement type."),
    }, null, owners, keys);

    private string Modified => modified;

    public string Provider => "hubspot";
    public string ObjectType => objectType;
    public FieldMap Map => map;

    public IRemoteObjects WithMap(FieldMap other) => new HubSpotObjects(http, objectType, modified, other, matchProperty, owners, keys);

    public string? KeyProperty => keys is null ? null : HubSpotKeyProperty.Name;

    private string[] Properties => [.. Map.TheirProperties, Modified, "hs_object_id", MergedIds, .. keys is null ? Array.Empty<string>() : [HubSpotKeyProperty.Name]];

    /// <summary>The ids merged into a record (semicolon-separated): a read by one of them answers with this record.</summary>
    private const string MergedIds = "hs_merged_object_ids";

    /// <summary>The associations a full list carries inline (<c>associations=</c>), so a first sync reads them without a call of their own.</summary>
    private string[] AssociatedTypes => AssociationKind.Of(objectType).Select(k => k.To).ToArray();

    public async Task<RemotePage> ChangedSinceAsync(ConnectionRef connection, DateTimeOffset since, string? page, CancellationToken ct)
    {
        var (after, sinceMs) = page is null ? (0, since.ToUnixTimeMilliseconds()) : Parse(page);
        var body = new
        {
            filterGroups = new[] { new { filters = new[] { new { propertyName = Modified, @operator = "GTE", value = sinceMs.ToString(CultureInfo.InvariantCulture) } } } },
            sorts = new[] { new { propertyName = Modified, direction = "ASCENDING" } },
            properties = Properties, limit = SearchPage, after = after.ToString(CultureInfo.InvariantCulture),
        };
        using var json = await PostAsync(connection, $"crm/v3/objects/{objectType}/search", body, ct, search: true);
        var records = json.RootElement.GetProperty("results").EnumerateArray().Select(Record).ToList();
        string? next = null;
        var total = json.RootElement.TryGetProperty("total", out var t) && t.TryGetInt32(out var count) ? count : 0;
        var reslice = records.Count > 0 ? $"0|{records[^1].ModifiedAt.ToUnixTimeMilliseconds()}" : null;
        if (json.RootElement.TryGetProperty("paging", out var paging) && int.TryParse(paging.GetProperty("next").GetProperty("after").GetString(), out var n))
            // HubSpot's search stops at 10,000 results: start a new query from the last time seen (the overlap repeats a few; hashes skip them).
            next = n + SearchPage > SearchCap && reslice is not null ? reslice : $"{n}|{sinceMs}";
        else if (after + records.Count < total && after + records.Count >= SearchCap - SearchPage)
            // No next page at the cap, though the query has more: the same re-slice.
            next = reslice;
        return new RemotePage(records, next);
    }

    /// <summary>The list endpoint (<c>GET /crm/v3/objects/{type}</c>, 100 a page by <c>after</c>): no 10,000 cap, no search limit.</summary>
    public async Task<RemotePage> AllAsync(ConnectionRef connection, string? page, CancellationToken ct)
    {
        var query = $"crm/v3/objects/{objectType}?limit=100&archived=false&properties={Uri.EscapeDataString(string.Join(',', Properties))}"
                    + (AssociatedTypes.Length > 0 ? "&associations=" + Uri.EscapeDataString(string.Join(',', AssociatedTypes)) : "")
                    + (page is null ? "" : "&after=" + Uri.EscapeDataString(page));
        using var request = new HttpRequestMessage(HttpMethod.Get, query).For(connection);
        using var response = await ProviderResponses.SendAsync(http, request, "HubSpot", ct);
        var json = await ProviderResponses.ReadAsync<JsonElement>(response, "HubSpot", ct);
        var records = json.GetProperty("results").EnumerateArray().Select(e => Record(e) with { Associations = AssociatedTypes.Length > 0 ? Inline(e) : null }).ToList();
        var next = json.TryGetProperty("paging", out var paging) && paging.TryGetProperty("next", out var n) ? n.GetProperty("after").GetString() : null;
        return new RemotePage(records, next);
    }

    public async Task<IReadOnlyList<RemoteRecord>> ReadAsync(ConnectionRef connection, IReadOnlyList<string> ids, CancellationToken ct)
    {
        var found = new List<RemoteRecord>();
        foreach (var chunk in ids.Chunk(100))
        {
            using var json = await PostAsync(connection, $"crm/v3/objects/{objectType}/batch/read", new { properties = Properties, inputs = chunk.Select(id => new { id }) }, ct);
            var records = json.RootElement.GetProperty("results").EnumerateArray().Select(Record).ToList();
            // A merged-away id answers with the record it lives on in (which lists it among its merged ids): once.
            found.AddRange(records.Where(r => found.All(f => f.Id != r.Id)).DistinctBy(r => r.Id));
            // What HubSpot could not find was archived: it comes back as gone.
            var now = DateTimeOffset.UtcNow;
            found.AddRange(chunk.Where(id => !records.Any(r => r.AnswersFor(id))).Select(id => new RemoteRecord(id, new Dictionary<string, string?>(), now, now)));
        }
        return found;
    }

    public async Task<IReadOnlyList<RemoteRecord>> FindAsync(ConnectionRef connection, string property, IReadOnlyList<string> values, CancellationToken ct)
    {
        if (property == KeyProperty) await EnsureKeyPropertyAsync(connection, ct);
        var found = new List<RemoteRecord>();
        foreach (var chunk in values.Chunk(100))
        {
            using var json = await PostAsync(connection, $"crm/v3/objects/{objectType}/batch/read", new { properties = Properties, idProperty = property, inputs = chunk.Select(id => new { id }) }, ct);
            found.AddRange(json.RootElement.GetProperty("results").EnumerateArray().Select(Record));
        }
        return found;
    }

    public async Task<IReadOnlyList<WriteResult>> WriteAsync(ConnectionRef connection, IReadOnlyList<RemoteWrite> writes, CancellationToken ct)
    {
        var results = new List<WriteResult>();
        foreach (var chunk in writes.Where(w => w.Id is null).Chunk(100))
            results.AddRange(await CreateAsync(connection, chunk, ct));
        foreach (var chunk in writes.Where(w => w.Id is not null).Chunk(100))
            results.AddRange(await UpdateAsync(connection, chunk, ct));
        return results;
    }

    private async Task<List<WriteResult>> CreateAsync(ConnectionRef connection, RemoteWrite[] chunk, CancellationToken ct)
    {
        if (chunk.Any(w => KeyProperty is { } key && w.Properties.ContainsKey(key))) await EnsureKeyPropertyAsync(connection, ct);
        using var json = await PostAsync(connection, $"crm/v3/objects/{objectType}/batch/create",
            new { inputs = chunk.Select(w => new { properties = w.Properties, objectWriteTraceId = w.Key }) }, ct, batch: true);
        var results = new List<WriteResult>();
        var refused = Errors(json.RootElement, byTrace: true);
        var created = json.RootElement.TryGetProperty("results", out var r) ? r.EnumerateArray().Select(Record).ToList() : [];
        foreach (var write in chunk)
        {
            if (refused.TryGetValue(write.Key, out var reason)) { results.Add(new WriteResult(write.Key, WriteOutcome.Refused, null, reason)); continue; }
            // Results come in no promised order: a contact is its email (a company its domain); one without takes the next unclaimed result.
            var key = matchProperty is null ? null : write.Properties.GetValueOrDefault(matchProperty);
            var record = created.FirstOrDefault(c => key is not null && string.Equals(c.Properties.GetValueOrDefault(matchProperty!), key, StringComparison.OrdinalIgnoreCase))
                         ?? created.FirstOrDefault(c => matchProperty is null || c.Properties.GetValueOrDefault(matchProperty) is null)
                         ?? (key is null ? null : created.FirstOrDefault());
            if (record is null) { results.Add(new WriteResult(write.Key, WriteOutcome.Refused, null, json.RootElement.TryGetProperty("message", out var m) ? m.GetString() : "HubSpot did not create it.")); continue; }
            created.Remove(record);
            results.Add(new WriteResult(write.Key, WriteOutcome.Created, record.Id, null, record));
        }
        return results;
    }

    private async Task<List<WriteResult>> UpdateAsync(ConnectionRef connection, RemoteWrite[] chunk, CancellationToken ct)
    {
        using var json = await PostAsync(connection, $"crm/v3/objects/{objectType}/batch/update", new { inputs = chunk.Select(w => new { id = w.Id, properties = w.Properties }) }, ct, batch: true);
        var refused = Errors(json.RootElement, byTrace: false);
        var updated = json.RootElement.TryGetProperty("results", out var r) ? r.EnumerateArray().Select(Record).ToDictionary(x => x.Id) : [];
        var whole = json.RootElement.TryGetProperty("category", out _) ? json.RootElement.GetProperty("message").GetString() : null;
        return chunk.Select(w => updated.TryGetValue(w.Id!, out var record)
            ? new WriteResult(w.Key, WriteOutcome.Updated, w.Id, null, record)
            : new WriteResult(w.Key, WriteOutcome.Refused, w.Id, refused.GetValueOrDefault(w.Id!) ?? whole ?? "HubSpot did not update it.")).ToList();
    }

    public async Task<IReadOnlyList<WriteResult>> ArchiveAsync(ConnectionRef connection, IReadOnlyList<(string Key, string Id)> records, CancellationToken ct)
    {
        var results = new List<WriteResult>();
        foreach (var chunk in records.Chunk(100))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"crm/v3/objects/{objectType}/batch/archive")
            {
                Content = JsonContent.Create(new { inputs = chunk.Select(c => new { id = c.Id }) }),
            }.For(connection, idempotent: true);
            using var response = await ProviderResponses.SendAsync(http, request, "HubSpot", ct);
            var refused = new Dictionary<string, string>();
            if ((int)response.StatusCode == 207)
            {
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                refused = Errors(json.RootElement, byTrace: false);
            }
            else if (!response.IsSuccessStatusCode) await ProviderResponses.ReadAsync<JsonElement>(response, "HubSpot", ct);
            // Already gone counts as archived.
            results.AddRange(chunk.Select(c => refused.TryGetValue(c.Id, out var reason) && !reason.Contains("not find", StringComparison.OrdinalIgnoreCase)
                ? new WriteResult(c.Key, WriteOutcome.Refused, c.Id, reason)
                : new WriteResult(c.Key, WriteOutcome.Archived, c.Id, null)));
        }
        return results;
    }

    public async Task<IReadOnlyList<(string Id, string? Email)>> OwnersAsync(ConnectionRef connection, CancellationToken ct) =>
        owners is null ? await ReadOwnersAsync(connection, ct) : await owners.GetAsync(connection.IntegrationId, () => ReadOwnersAsync(connection, ct));

    private async Task<IReadOnlyList<(string Id, string? Email)>> ReadOwnersAsync(ConnectionRef connection, CancellationToken ct)
    {
        var found = new List<(string, string?)>();
        string? after = null;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "crm/v3/owners?limit=100" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after))).For(connection);
            using var response = await ProviderResponses.SendAsync(http, request, "HubSpot", ct);
            var json = await ProviderResponses.ReadAsync<JsonElement>(response, "HubSpot", ct);
            found.AddRange(json.GetProperty("results").EnumerateArray().Select(o => (o.GetProperty("id").GetString()!, o.TryGetProperty("email", out var e) ? e.GetString() : null)));
            after = json.TryGetProperty("paging", out var paging) ? paging.GetProperty("next").GetProperty("after").GetString() : null;
        } while (after is not null);
        return found;
    }

    /// <summary>Deals' pipelines and stages (<c>/crm/v3/pipelines/deals</c>): stage ids are the <c>dealstage</c> values; other types have none.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<RemoteOption>>> PicklistsAsync(ConnectionRef connection, CancellationToken ct)
    {
        if (objectType != "deals") return new Dictionary<string, IReadOnlyList<RemoteOption>>();
        using var request = new HttpRequestMessage(HttpMethod.Get, "crm/v3/pipelines/deals").For(connection);
        using var response = await ProviderResponses.SendAsync(http, request, "HubSpot", ct);
        var json = await ProviderResponses.ReadAsync<JsonElement>(response, "HubSpot", ct);
        var pipelines = new List<RemoteOption>();
        var stages = new List<RemoteOption>();
        foreach (var pipeline in json.GetProperty("results").EnumerateArray().Where(p => !p.TryGetProperty("archived", out var a) || !a.GetBoolean()))
        {
            var id = pipeline.GetProperty("id").GetString()!;
            pipelines.Add(new RemoteOption(id, pipeline.GetProperty("label").GetString() ?? id, null, Order(pipeline)));
            foreach (var stage in pipeline.GetProperty("stages").EnumerateArray().Where(p => !p.TryGetProperty("archived", out var a) || !a.GetBoolean()))
            {
                var metadata = stage.TryGetProperty("metadata", out var m) ? m : default;
                var closed = metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("isClosed", out var c) && c.ToString() == "true";
                decimal? probability = metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("probability", out var p)
                    && decimal.TryParse(p.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
                var stageId = stage.GetProperty("id").GetString()!;
                stages.Add(new RemoteOption(stageId, stage.GetProperty("label").GetString() ?? stageId, id, Order(stage),
                    Won: closed && probability >= 1m, Lost: closed && probability is null or 0m, Percent: probability is { } f ? (int)Math.Round(f * 100m) : null));
            }
        }
        return new Dictionary<string, IReadOnlyList<RemoteOption>> { ["pipeline"] = pipelines, ["dealstage"] = stages };

        static int Order(JsonElement e) => e.TryGetProperty("displayOrder", out var o) && o.TryGetInt32(out var order) ? order : 0;
    }

    /// <summary>The type's properties (<c>/crm/v3/properties/{type}</c>): custom ones are those HubSpot did not define; read-only ones cannot be written.</summary>
    public async Task<IReadOnlyList<RemoteProperty>> PropertiesAsync(ConnectionRef connection, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"crm/v3/properties/{objectType}").For(connection);
        using var response = await ProviderResponses.SendAsync(http, request, "HubSpot", ct);
        var json = await ProviderResponses.ReadAsync<JsonElement>(response, "HubSpot", ct);
        return json.GetProperty("results").EnumerateArray()
            .Where(p => !(p.TryGetProperty("archived", out var a) && a.GetBoolean()) && !(p.TryGetProperty("hidden", out var h) && h.GetBoolean()))
            .Select(p =>
            {
                var name = p.GetProperty("name").GetString()!;
                var options = p.TryGetProperty("options", out var o) && o.ValueKind == JsonValueKind.Array
                    ? o.EnumerateArray().Where(x => !(x.TryGetProperty("hidden", out var hid) && hid.GetBoolean()))
                        .Select(x => new RemoteOption(x.GetProperty("value").GetString()!, x.GetProperty("label").GetString() ?? "")).ToList()
                    : [];
                var readOnly = p.TryGetProperty("modificationMetadata", out var m) && m.TryGetProperty("readOnlyValue", out var r) && r.GetBoolean()
                               || p.TryGetProperty("calculated", out var calc) && calc.GetBoolean();
                var custom = p.TryGetProperty("hubspotDefined", out var d) && d.ValueKind == JsonValueKind.False || !p.TryGetProperty("hubspotDefined", out _);
                return new RemoteProperty(name, p.TryGetProperty("label", out var l) ? l.GetString() ?? name : name, p.TryGetProperty("type", out var t) ? t.GetString() ?? "string" : "string",
                    options, readOnly, custom);
            }).OrderBy(p => p.Label, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The key property exists in the portal for this type (made, unique, the first time it is needed).</summary>
    private async Task EnsureKeyPropertyAsync(ConnectionRef connection, CancellationToken ct)
    {
        if (keys is null) return;
        await keys.EnsureAsync(connection.IntegrationId, objectType, async () =>
        {
            using (var get = new HttpRequestMessage(HttpMethod.Get, $"crm/v3/properties/{objectType}/{HubSpotKeyProperty.Name}").For(connection))
            using (var found = await ProviderResponses.SendAsync(http, get, "HubSpot", ct))
            {
                if (found.IsSuccessStatusCode) return;
                if (found.StatusCode != System.Net.HttpStatusCode.NotFound) await ProviderResponses.ReadAsync<JsonElement>(found, "HubSpot", ct);
            }
            var group = objectType switch { "contacts" => "contactinformation", "companies" => "companyinformation", _ => "dealinformation" };
            using var create = new HttpRequestMessage(HttpMethod.Post, $"crm/v3/properties/{objectType}")
            {
                Content = JsonContent.Create(new
                {
                    name = HubSpotKeyProperty.Name, label = HubSpotKeyProperty.Label, type = "string", fieldType = "text", groupName = group, hasUniqueValue = true,
                    description = "Set by the CRM sync on the records it creates: the record it came from. Keeps a retried create from making a second record.",
                }),
            }.For(connection, idempotent: true);
            using var made = await ProviderResponses.SendAsync(http, create, "HubSpot", ct);
            // Made meanwhile by another run: as good.
            if (!made.IsSuccessStatusCode && made.StatusCode != System.Net.HttpStatusCode.Conflict) await ProviderResponses.ReadAsync<JsonElement>(made, "HubSpot", ct);
        });
    }

    /// <summary>Posts JSON; a batch's 207 (and its all-refused 400) is an answer to read, anything else not 2xx is a provider error.</summary>
    private async Task<JsonDocument> PostAsync(ConnectionRef connection, string path, object body, CancellationToken ct, bool search = false, bool batch = false)
    {
        // Reads and searches are safe to repeat; a batch create is not (an update or archive is).
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) }
            .For(connection, search: search, idempotent: !path.EndsWith("/create", StringComparison.Ordinal));
        using var response = await ProviderResponses.SendAsync(http, request, "HubSpot", ct);
        if (response.IsSuccessStatusCode || batch && (int)response.StatusCode == 400)
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        await ProviderResponses.ReadAsync<JsonElement>(response, "HubSpot", ct);
        throw new ProviderApiException("HubSpot", (int)response.StatusCode, null, "HubSpot answered without a body.");
    }

    /// <summary>A batch's per-input errors: by the input's trace id (creates) or by the ids in their context.</summary>
    private static Dictionary<string, string> Errors(JsonElement root, bool byTrace)
    {
        var errors = new Dictionary<string, string>();
        if (!root.TryGetProperty("errors", out var list)) return errors;
        foreach (var error in list.EnumerateArray())
        {
            var message = error.TryGetProperty("message", out var m) ? m.GetString() ?? "Refused." : "Refused.";
            if (byTrace && error.TryGetProperty("objectWriteTraceId", out var trace) && trace.GetString() is { } key) errors[key] = message;
            if (error.TryGetProperty("context", out var context) && context.TryGetProperty("ids", out var ids))
                foreach (var id in ids.EnumerateArray()) if (id.GetString() is { } value) errors[value] = message;
        }
        return errors;
    }

    private RemoteRecord Record(JsonElement e)
    {
        var properties = e.GetProperty("properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.ToString());
        var modified = properties.GetValueOrDefault(Modified) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at : e.TryGetProperty("updatedAt", out var u) && u.TryGetDateTimeOffset(out var updated) ? updated : DateTimeOffset.UtcNow;
        var archived = e.TryGetProperty("archived", out var a) && a.GetBoolean() ? modified : (DateTimeOffset?)null;
        var merged = properties.GetValueOrDefault(MergedIds) is { Length: > 0 } ids ? ids.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;
        return new RemoteRecord(e.GetProperty("id").GetString()!, properties, modified, archived, merged);
    }

    /// <summary>
    /// A v3 read's inline associations per type, primary first ("contact_to_company" is the primary one,
    /// "…_unlabeled" the rest); a type with none is an empty list, as the read asked for it.
    /// </summary>
    private IReadOnlyDictionary<string, IReadOnlyList<string>> Inline(JsonElement e)
    {
        var found = AssociatedTypes.ToDictionary(t => t, _ => (IReadOnlyList<string>)[], StringComparer.Ordinal);
        if (!e.TryGetProperty("associations", out var associations) || associations.ValueKind != JsonValueKind.Object) return found;
        foreach (var type in associations.EnumerateObject())
        {
            if (!found.ContainsKey(type.Name) || !type.Value.TryGetProperty("results", out var results)) continue;
            found[type.Name] = results.EnumerateArray()
                .Select(r => (Id: r.GetProperty("id").ToString(), Primary: r.TryGetProperty("type", out var t) && t.GetString() is { } name && !name.EndsWith("_unlabeled", StringComparison.Ordinal)))
                .OrderBy(r => r.Primary ? 0 : 1).Select(r => r.Id).Distinct().ToList();
        }
        return found;
    }

    private static (int After, long SinceMs) Parse(string page)
    {
        var parts = page.Split('|');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
