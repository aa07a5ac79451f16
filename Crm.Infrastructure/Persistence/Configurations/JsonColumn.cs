using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Crm.Infrastructure.Persistence.Configurations;

/// <summary>
/// A value stored as a JSON text column. Change tracking compares and snapshots it on every save of every tracked
/// row, so lists and string-keyed dictionaries of immutable values (strings, numbers, records with init-only
/// properties) are compared element by element; anything else by its JSON, which sees every edit but costs two
/// serializations per row per comparison (a fifth of a calendar sync's CPU, measured, before this).
/// </summary>
internal static class JsonColumn
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static ValueConverter<T, string> Converter<T>() where T : new() =>
        new(v => JsonSerializer.Serialize(v, Options), s => string.IsNullOrEmpty(s) ? new T() : JsonSerializer.Deserialize<T>(s, Options) ?? new T());

    public static ValueComparer<T> Comparer<T>() where T : new()
    {
        var type = typeof(T);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) && IsImmutable(type.GetGenericArguments()[0]))
            return (ValueComparer<T>)typeof(JsonColumn).GetMethod(nameof(ListComparer), BindingFlags.Public | BindingFlags.Static)!
                .MakeGenericMethod(type.GetGenericArguments()[0]).Invoke(null, null)!;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) && type.GetGenericArguments()[0] == typeof(string) && IsImmutable(type.GetGenericArguments()[1]))
            return (ValueComparer<T>)typeof(JsonColumn).GetMethod(nameof(DictionaryComparer), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(type.GetGenericArguments()[1]).Invoke(null, null)!;
        return new((a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
            v => JsonSerializer.Serialize(v, Options).GetHashCode(),
            v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, Options), Options) ?? new T());
    }

    /// <summary>Element by element, for lists of immutable values (a primitive collection's own comparer included).</summary>
    public static ValueComparer<List<TItem>> ListComparer<TItem>() =>
        new((a, b) => ListsEqual(a, b), v => ListHash(v), v => Copy(v));

    private static ValueComparer<Dictionary<string, TValue>> DictionaryComparer<TValue>() =>
        new((a, b) => DictionariesEqual(a, b), v => DictionaryHash(v), v => Copy(v));

    private static bool ListsEqual<TItem>(List<TItem>? a, List<TItem>? b) =>
        ReferenceEquals(a, b) || (a is not null && b is not null && a.SequenceEqual(b));

    private static int ListHash<TItem>(List<TItem>? list)
    {
        if (list is null) return 0;
        var hash = new HashCode();
        foreach (var item in list) hash.Add(item);
        return hash.ToHashCode();
    }

    private static List<TItem> Copy<TItem>(List<TItem>? list) => list is null ? [] : [.. list];

    private static bool DictionariesEqual<TValue>(Dictionary<string, TValue>? a, Dictionary<string, TValue>? b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a is null || b is null || a.Count != b.Count) return false;
        foreach (var (key, value) in a)
            if (!b.TryGetValue(key, out var other) || !EqualityComparer<TValue>.Default.Equals(value, other)) return false;
        return true;
    }

    private static int DictionaryHash<TValue>(Dictionary<string, TValue>? dictionary)
    {
        if (dictionary is null) return 0;
        // Order-independent: two dictionaries with the same entries hash alike whatever their insertion order.
        var hash = 0;
        foreach (var (key, value) in dictionary) hash ^= HashCode.Combine(key, value);
        return hash;
    }

    private static Dictionary<string, TValue> Copy<TValue>(Dictionary<string, TValue>? dictionary) =>
        dictionary is null ? [] : new Dictionary<string, TValue>(dictionary, dictionary.Comparer);

    /// <summary>Values a snapshot may share with the live object: nothing about them can change after construction.</summary>
    private static bool IsImmutable(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner) return IsImmutable(inner);
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTimeOffset)
            || type == typeof(DateTime) || type == typeof(DateOnly) || type == typeof(Guid)) return true;
        // A record whose properties are all init-only and themselves immutable: its generated Equals compares them all.
        if (type.GetProperty("EqualityContract", BindingFlags.NonPublic | BindingFlags.Instance) is null) return false;
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .All(p => (p.SetMethod is null || p.SetMethod.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit))) && IsImmutable(p.PropertyType));
    }
}
