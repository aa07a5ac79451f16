using System.Text.Json;
using System.Text.Json.Serialization;

namespace Crm.Core.Sync;

/// <summary>
/// A connection's own field mappings per object type ("contacts", "deals"), saved by the mapping editor: each replaces
/// the provider's default map for its type. Types it does not name keep the defaults.
/// </summary>
public sealed record ConnectionMappings(IReadOnlyDictionary<string, IReadOnlyList<FieldMapEntry>> Objects)
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) }, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static readonly ConnectionMappings Empty = new(new Dictionary<string, IReadOnlyList<FieldMapEntry>>());

    public FieldMap? For(string objectType) => Objects.TryGetValue(objectType, out var entries) ? new FieldMap(entries) : null;

    public ConnectionMappings With(string objectType, IReadOnlyList<FieldMapEntry> entries) =>
        new(new Dictionary<string, IReadOnlyList<FieldMapEntry>>(Objects) { [objectType] = entries });

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ConnectionMappings FromJson(string? json) => json is null ? Empty : JsonSerializer.Deserialize<ConnectionMappings>(json, Json) ?? Empty;
}
