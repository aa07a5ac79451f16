using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Crm.Tests.Web.Api;

/// <summary>
/// The published OpenAPI document read back by an OpenAPI reader and checked with its validation rules: what Make,
/// Zapier's schema import or a generated client reads must be a valid document, every operation named, described and
/// shown by example — and every use case a page offers reachable through it.
/// </summary>
public class OpenApiDocumentTests : ApiTestBase
{
    [Fact]
    public async Task TheOpenApiDocument_IsValid_AndEveryOperationHasAnIdAndASummary()
    {
        var document = await ReadDocumentAsync();
        var problems = document.Validate(ValidationRuleSet.GetDefaultRuleSet())?.ToList() ?? [];
        Assert.True(problems.Count == 0, string.Join("\n", problems.Select(p => $"{p.Pointer}: {p.Message}")));

        var operations = Operations(document);
        Assert.True(operations.Count > 80, $"only {operations.Count} operations");
        var unnamed = operations.Where(o => string.IsNullOrWhiteSpace(o.Operation.OperationId) || string.IsNullOrWhiteSpace(o.Operation.Summary))
            .Select(o => $"{o.Method} {o.Path}").ToList();
        Assert.True(unnamed.Count == 0, "Operations without an operationId or summary:\n" + string.Join("\n", unnamed));
        Assert.Contains(document.Paths.Keys, p => p == "/api/v1/webhooks/subscriptions");
        Assert.Contains(document.Paths.Keys, p => p == "/api/v1/webhooks/zapier");
        // Anonymous answers of the same shape share one generated schema name, so a client reads one answer with another's fields.
        Assert.DoesNotContain(document.Components?.Schemas?.Keys ?? [], name => name.StartsWith("AnonymousType", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryOperation_SaysWhatItAnswers_AndShowsEachJsonBodyAndParameterByAnExample_ThatFitsItsSchema()
    {
        var document = await ReadDocumentAsync();
        var problems = new List<string>();
        foreach (var (path, method, operation) in Operations(document))
        {
            var where = $"{method} {path}";
            if (!(operation.Responses ?? []).Keys.Any(code => code.StartsWith('2')))
                problems.Add($"{where}: no success answer documented");
            foreach (var (mediaType, media) in operation.RequestBody?.Content ?? new Dictionary<string, OpenApiMediaType>())
                CheckExample($"{where} request {mediaType}", mediaType, media, problems);
            foreach (var (status, response) in operation.Responses ?? [])
            foreach (var (mediaType, media) in response.Content ?? new Dictionary<string, OpenApiMediaType>())
                CheckExample($"{where} {status} {mediaType}", mediaType, media, problems);
            foreach (var parameter in operation.Parameters ?? [])
            {
                if (parameter.Example is null) problems.Add($"{where} parameter {parameter.Name}: no example");
                else if (parameter.Schema is { } schema) Fits(parameter.Example, schema, $"{where} parameter {parameter.Name}", problems, parameter: true);
            }
        }
        Assert.True(problems.Count == 0, $"{problems.Count} problems:\n" + string.Join("\n", problems.Take(60)));
    }

    [Fact]
    public async Task EveryRequestExample_ReadsIntoTheTypeItsEndpointBinds_WithTheApisOwnJsonRules()
    {
        // The API refuses unknown fields, so an example with a misspelt or stale field name fails here as it would for a user.
        var document = await ReadDocumentAsync();
        var examples = Operations(document)
            .SelectMany(o => (o.Operation.RequestBody?.Content ?? new Dictionary<string, OpenApiMediaType>())
                .Where(c => c.Key.Contains("json") && c.Value.Example is not null)
                .Select(c => (Id: o.Operation.OperationId!, c.Value.Example)))
            .GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.First().Example!);
        var descriptions = Factory.Services.GetRequiredService<IApiDescriptionGroupCollectionProvider>().ApiDescriptionGroups.Items.SelectMany(g => g.Items);
        var read = 0;
        var problems = new List<string>();
        foreach (var description in descriptions)
        {
            var id = description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName;
            var bodyType = description.ParameterDescriptions.FirstOrDefault(p => p.Source == BindingSource.Body)?.Type;
            if (id is null || bodyType is null || !examples.TryGetValue(id, out var example)) continue;
            try
            {
                JsonSerializer.Deserialize(example.ToJsonString(), bodyType, Crm.Core.Common.ApiJson.Options);
                read++;
            }
            catch (JsonException e)
            {
                problems.Add($"{id} ({bodyType.Name}): {e.Message}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(read > 30, $"only {read} request examples were read");
    }

    /// <summary>
    /// "Every object and action the UI offers is in the API": a use case a page injects must also be reached by an
    /// endpoint, except the few that belong to a browser session by nature (each says why).
    /// </summary>
    [Fact]
    public void EveryUseCaseAPageOffers_IsReachableThroughTheApi()
    {
        var browserOnly = new Dictionary<string, string>
        {
            // Signing in with a password, choosing a workspace and the CalDAV form exist for a person at a browser; the API authenticates by key.
            ["PasswordSignIn"] = "a browser sign-in",
        };
        var pages = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(ComponentBase).IsAssignableFrom(t) && !t.IsAbstract)
            .SelectMany(t => t.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                .Where(p => p.GetCustomAttribute<InjectAttribute>() is not null && IsUseCase(p.PropertyType))
                .Select(p => (Page: t.Name, UseCase: p.PropertyType)))
            .ToList();
        Assert.True(pages.Count > 50, $"only {pages.Count} use cases found on pages");

        var endpoints = Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Where(e => e is RouteEndpoint { RoutePattern.RawText: { } pattern } && pattern.StartsWith("/api/v1", StringComparison.Ordinal))
            .Select(e => e.Metadata.GetMetadata<MethodInfo>())
            .OfType<MethodInfo>()
            .SelectMany(m => m.GetParameters().Select(p => p.ParameterType))
            .Where(IsUseCase)
            .ToHashSet();

        var missing = pages.Where(p => !endpoints.Contains(p.UseCase) && !browserOnly.ContainsKey(p.UseCase.Name))
            .GroupBy(p => p.UseCase.Name).Select(g => $"{g.Key} (on {string.Join(", ", g.Select(p => p.Page).Distinct())})").Order().ToList();
        Assert.True(missing.Count == 0, "Use cases the pages offer that no API endpoint reaches:\n" + string.Join("\n", missing));
    }

    private static bool IsUseCase(Type type) =>
        type.Namespace?.StartsWith("Crm.Core", StringComparison.Ordinal) == true && type.Name.EndsWith("Handler", StringComparison.Ordinal);

    private async Task<OpenApiDocument> ReadDocumentAsync()
    {
        var client = Factory.CreateClient();
        var json = await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        var read = await OpenApiDocument.LoadAsync(stream, "json", new OpenApiReaderSettings(), TestContext.Current.CancellationToken);
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        return Assert.IsType<OpenApiDocument>(read.Document);
    }

    private static List<(string Path, HttpMethod Method, OpenApiOperation Operation)> Operations(OpenApiDocument document) =>
        document.Paths.SelectMany(path => (path.Value.Operations ?? []).Select(op => (Path: path.Key, Method: op.Key, Operation: op.Value))).ToList();

    private static void CheckExample(string where, string mediaType, OpenApiMediaType media, List<string> problems)
    {
        if (!mediaType.Contains("json")) return;
        if (media.Example is null && (media.Examples?.Count ?? 0) == 0)
        {
            problems.Add($"{where}: no example");
            return;
        }
        if (media.Example is { } example && media.Schema is { } schema) Fits(example, schema, where, problems);
    }

    /// <summary>
    /// Whether a JSON value fits a schema the way a client generated from the document would read it: types, enums,
    /// required properties present, no property the schema does not name.
    /// </summary>
    private static void Fits(JsonNode? node, IOpenApiSchema schema, string where, List<string> problems, bool parameter = false, int depth = 0)
    {
        if (depth > 12) return;
        var alternatives = (schema.OneOf ?? []).Concat(schema.AnyOf ?? []).ToList();
        if (alternatives.Count > 0)
        {
            if (!alternatives.Any(a => FitsQuietly(node, a, parameter, depth))) problems.Add($"{where}: fits none of its {alternatives.Count} alternatives: {node?.ToJsonString()}");
            return;
        }
        foreach (var all in schema.AllOf ?? []) Fits(node, all, where, problems, parameter, depth + 1);
        var type = schema.Type;
        if (node is null)
        {
            if (type is { } t && !t.HasFlag(JsonSchemaType.Null)) problems.Add($"{where}: null where the schema says {t}");
            return;
        }
        if (schema.Enum is { Count: > 0 } values && !values.Any(v => JsonNode.DeepEquals(v, node)))
        {
            problems.Add($"{where}: {node.ToJsonString()} is not one of {string.Join(", ", values.Select(v => v?.ToJsonString()))}");
            return;
        }
        if (type is null) return;
        switch (node)
        {
            case JsonObject obj when type.Value.HasFlag(JsonSchemaType.Object):
                foreach (var required in schema.Required ?? new HashSet<string>())
                    if (!obj.ContainsKey(required)) problems.Add($"{where}: required '{required}' missing");
                foreach (var (name, value) in obj)
                {
                    if (schema.Properties?.TryGetValue(name, out var property) == true) Fits(value, property, $"{where}.{name}", problems, false, depth + 1);
                    else if (schema.AdditionalProperties is { } additional) Fits(value, additional, $"{where}.{name}", problems, false, depth + 1);
                    else if (schema.Properties is { Count: > 0 } || !schema.AdditionalPropertiesAllowed) problems.Add($"{where}: '{name}' is not a property of the schema");
                }
                break;
            case JsonArray array when type.Value.HasFlag(JsonSchemaType.Array):
                if (schema.Items is { } items)
                    foreach (var item in array) Fits(item, items, $"{where}[]", problems, false, depth + 1);
                break;
            case JsonValue value:
                var kind = value.GetValueKind();
                var fits = kind switch
                {
                    JsonValueKind.String => type.Value.HasFlag(JsonSchemaType.String)
                                            || parameter && (type.Value.HasFlag(JsonSchemaType.Integer) || type.Value.HasFlag(JsonSchemaType.Number)) && decimal.TryParse(value.GetValue<string>(), out _),
                    JsonValueKind.Number => type.Value.HasFlag(JsonSchemaType.Number)
                                            || type.Value.HasFlag(JsonSchemaType.Integer) && decimal.Truncate(value.GetValue<decimal>()) == value.GetValue<decimal>(),
                    JsonValueKind.True or JsonValueKind.False => type.Value.HasFlag(JsonSchemaType.Boolean),
                    _ => false,
                };
                if (!fits) problems.Add($"{where}: {value.ToJsonString()} where the schema says {type}");
                break;
            default:
                problems.Add($"{where}: a {node.GetValueKind()} where the schema says {type}");
                break;
        }
    }

    private static bool FitsQuietly(JsonNode? node, IOpenApiSchema schema, bool parameter, int depth)
    {
        var problems = new List<string>();
        Fits(node, schema, "", problems, parameter, depth + 1);
        return problems.Count == 0;
    }
}
