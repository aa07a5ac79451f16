using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Crm.Core.Common;

/// <summary>
/// RFC 7396 JSON merge patch over an input model: members given replace the current value, objects merge member by
/// member, null removes. Returns the merged input and the fields the patch named, so the writer changes only those.
/// </summary>
public static class JsonMergePatch
{
    /// <summary>Nesting a patch may have; the inputs are two levels deep (custom fields), so more is refused, not walked.</summary>
    public const int MaxDepth = 4;

    public static (T Merged, WrittenFields Fields) Apply<T>(T current, JsonNode? patch) where T : class
    {
        if (patch is not JsonObject changes)
            throw new ValidationFailedException("", "The body must be a JSON object of the fields to change (a JSON merge patch).");

        var info = ApiJson.Options.GetTypeInfo(typeof(T));
        var properties = info.Properties.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        var errors = new Dictionary<string, string[]>();
        var named = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in changes)
        {
            if (!properties.TryGetValue(key, out var property))
                errors[key] = [$"'{key}' is not a field of this object."];
            else if (!named.TryAdd(property.Name, value))
                errors[property.Name] = [$"'{property.Name}' is given twice."];
            else if (value is null && property.PropertyType.IsValueType && Nullable.GetUnderlyingType(property.PropertyType) is null)
                errors[property.Name] = [$"'{property.Name}' cannot be removed; give it a value."];
            else if (DepthOf(value) > MaxDepth)
                errors[property.Name] = [$"'{property.Name}' is nested too deeply."];
        }
        if (errors.Count > 0) throw new ValidationFailedException(errors);

        var target = JsonSerializer.SerializeToNode(current, ApiJson.Options)!.AsObject();
        foreach (var (name, value) in named)
        {
            var existing = target[name];
            target.Remove(name);
            if (value is not null) target[name] = Merge(existing, value);
        }

        T merged;
        try
        {
            merged = target.Deserialize<T>(ApiJson.Options) ?? throw new ValidationFailedException("", "The body must be a JSON object of the fields to change.");
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : e.Path.StartsWith("$.", StringComparison.Ordinal) ? e.Path[2..] : e.Path.TrimStart('$');
            throw new ValidationFailedException(field, $"'{field}' has a value of the wrong type or format.");
        }
        return (merged, WrittenFields.Only(named.Keys.Select(n => ((MemberInfo)properties[n].AttributeProvider!).Name)));
    }

    /// <summary>The merge of RFC 7396 §2: a non-object patch replaces; an object patch merges into the target's members.</summary>
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject members) return patch?.DeepClone();
        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in members)
        {
            var existing = result[key];
            result.Remove(key);
            if (value is not null) result[key] = Merge(existing, value);
        }
        return result;
    }

    private static int DepthOf(JsonNode? node) => node switch
    {
        JsonObject o => 1 + (o.Count == 0 ? 0 : o.Max(p => DepthOf(p.Value))),
        JsonArray a => 1 + (a.Count == 0 ? 0 : a.Max(DepthOf)),
        _ => 0,
    };
}
