using System.Text.Json;
using System.Text.Json.Serialization;

namespace Crm.Core.Common;

/// <summary>How the API reads and writes JSON, shared by the HTTP pipeline and the use cases that read JSON themselves (merge patches).</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = Create();

    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        // A misspelt field is an error, not silently ignored data.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    }

    private static JsonSerializerOptions Create()
    {
        // The web defaults, as ASP.NET Core starts from: case-insensitive names, numbers as numbers.
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
