using System.Text.Json;
using Crm.Core.Common;

namespace Crm.Web.Endpoints;

public static class ApiEnums
{
    /// <summary>Parses a query-string enum the way the JSON spells it ("noAnswer", "mql"), with a clear 400 otherwise.</summary>
    public static T? Parse<T>(string? value, string parameter) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (Enum.TryParse<T>(value.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(value.Trim()[0])) return parsed;
        var allowed = string.Join(", ", Enum.GetNames<T>().Select(JsonNamingPolicy.CamelCase.ConvertName));
        throw new ValidationFailedException(parameter, $"'{value}' is not a valid {parameter}. Use one of: {allowed}.");
    }
}
