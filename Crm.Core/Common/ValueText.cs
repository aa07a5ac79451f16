using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Crm.Core.Common;

/// <summary>
/// The one invariant text form of field values, used by history, import before-images and rollback: what is
/// written with <see cref="Format"/> reads back with <see cref="Parse"/> to the same value.
/// </summary>
public static class ValueText
{
    public static string? Format(object? value) => value switch
    {
        null => null,
        string s => s,
        DateTimeOffset d => d.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        Enum e => e.ToString().ToLowerInvariant(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable list => JsonSerializer.Serialize(list),
        _ => value.ToString(),
    };

    public static object? Parse(Type type, string? text)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (text is null) return type.IsValueType && Nullable.GetUnderlyingType(type) is null ? Activator.CreateInstance(type) : null;
        if (target == typeof(string)) return text;
        if (target.IsEnum) return Enum.Parse(target, text, ignoreCase: true);
        if (target == typeof(int)) return int.Parse(text, CultureInfo.InvariantCulture);
        if (target == typeof(long)) return long.Parse(text, CultureInfo.InvariantCulture);
        if (target == typeof(decimal)) return decimal.Parse(text, CultureInfo.InvariantCulture);
        if (target == typeof(bool)) return text == "true";
        if (target == typeof(DateOnly)) return DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (target == typeof(DateTimeOffset)) return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        return JsonSerializer.Deserialize(text, target);
    }
}
