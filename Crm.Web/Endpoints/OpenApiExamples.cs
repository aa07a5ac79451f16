using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Crm.Web.Endpoints;

/// <summary>
/// An example on every operation of the OpenAPI document: each JSON request and answer, and each parameter. They are
/// built from the types the endpoints really read and write (serialized with the API's own JSON options, so names,
/// enums and formats are what the wire carries), with values that read like a CRM's (an email looks like one, an
/// amount like money); a few bodies a type cannot say (a merge patch) are written by hand.
/// </summary>
public static class OpenApiExamples
{
    private const int MaxDepth = 6;

    public static void Add(OpenApiOptions options) => options.AddOperationTransformer((operation, context, _) =>
    {
        var json = context.ApplicationServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var description = context.Description;

        if (operation.RequestBody?.Content is { } requestContent)
        {
            var bodyType = description.ParameterDescriptions.FirstOrDefault(p => p.Source == BindingSource.Body)?.Type;
            foreach (var (mediaType, media) in requestContent)
            {
                if (media.Example is not null || !IsJson(mediaType)) continue;
                media.Example = HandWritten(operation.OperationId) ?? (bodyType is null ? null : For(bodyType, json));
            }
        }

        if (operation.Responses is { } responses)
        {
            foreach (var answer in description.SupportedResponseTypes)
            {
                if (!responses.TryGetValue(answer.StatusCode.ToString(), out var response) || response.Content is not { } content) continue;
                foreach (var (mediaType, media) in content)
                {
                    if (media.Example is not null || !IsJson(mediaType)) continue;
                    media.Example = mediaType.Contains("problem", StringComparison.OrdinalIgnoreCase) || answer.Type == typeof(ProblemDetails)
                        ? Problem(answer.StatusCode)
                        : HandWrittenAnswer(operation.OperationId, answer.StatusCode) ?? (answer.Type is { } type && type != typeof(void) ? For(type, json) : null);
                }
            }
        }

        foreach (var parameter in operation.Parameters ?? [])
        {
            if (parameter is OpenApiParameter { Example: null } concrete && concrete.Name is { } name)
                concrete.Example = ParameterExample(name, description.ParameterDescriptions.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.Type);
        }
        return Task.CompletedTask;
    });

    private static bool IsJson(string mediaType) => mediaType.Contains("json", StringComparison.OrdinalIgnoreCase);

    /// <summary>An example of <paramref name="type"/> as the API writes it.</summary>
    public static JsonNode? For(Type type, JsonSerializerOptions options) => Build(type, null, null, options, 0);

    private static JsonNode? Build(Type type, string? name, Type? owner, JsonSerializerOptions options, int depth)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return Text(name ?? "", owner);
        if (type == typeof(char)) return JsonValue.Create(Text(name ?? "", owner).GetValue<string>()[..1]);
        if (type == typeof(bool)) return name is not null && (name.StartsWith("is", StringComparison.OrdinalIgnoreCase) || name.Contains("Active", StringComparison.OrdinalIgnoreCase) || name == "Default");
        if (type == typeof(int) || type == typeof(long) || type == typeof(short)) return Whole(name ?? "");
        if (type == typeof(decimal) || type == typeof(double) || type == typeof(float)) return Fraction(name ?? "");
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime)) return JsonValue.Create(Moment(name ?? "").ToString("yyyy-MM-ddTHH:mm:ssK"));
        if (type == typeof(DateOnly)) return JsonValue.Create("2026-12-15");
        if (type == typeof(TimeOnly)) return JsonValue.Create("14:30:00");
        if (type == typeof(TimeSpan)) return JsonValue.Create("00:30:00");
        if (type == typeof(Guid)) return JsonValue.Create("5f0c6b0e-7a52-4f3b-9d0e-2c1a3b4d5e6f");
        if (type == typeof(Uri)) return JsonValue.Create("https://analytical-engines.example/");
        if (type.IsEnum) return JsonSerializer.SerializeToNode(EnumValue(type), type, options);
        if (type == typeof(JsonElement) || type == typeof(JsonNode) || type == typeof(JsonObject) || type == typeof(object)) return new JsonObject();
        if (typeof(IFormFile).IsAssignableFrom(type) || typeof(Stream).IsAssignableFrom(type)) return null;
        if (depth >= MaxDepth) return null;

        if (DictionaryValueType(type) is { } valueType)
            return new JsonObject { [name is "customFields" or "CustomFields" ? "contract_tier" : "key"] = Build(valueType, "value", owner, options, depth + 1) };
        if (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type))
            // Deep in a recursive shape (a tree of previews) the list is empty rather than a list of nulls.
            return Build(ElementType(type) ?? typeof(object), Singular(name), owner, options, depth + 1) is { } item ? new JsonArray(item) : new JsonArray();

        var info = options.GetTypeInfo(type);
        if (info.Kind != JsonTypeInfoKind.Object) return JsonSerializer.SerializeToNode(Activator.CreateInstance(type), type, options);
        var result = new JsonObject();
        foreach (var property in info.Properties)
        {
            if (property.Get is null) continue;
            var value = Build(property.PropertyType, property.Name, type, options, depth + 1);
            if (value is not null || IsNullable(property)) result[property.Name] = value;
        }
        return result;
    }

    private static bool IsNullable(JsonPropertyInfo property) =>
        Nullable.GetUnderlyingType(property.PropertyType) is not null || !property.PropertyType.IsValueType && property.IsGetNullable;

    private static object EnumValue(Type type)
    {
        var values = Enum.GetValues(type);
        // The first named value that is not a "none": what a record usually has.
        foreach (var value in values)
        {
            var label = value.ToString() ?? "";
            if (label is not ("None" or "Unknown")) return value;
        }
        return values.GetValue(0)!;
    }

    private static Type? DictionaryValueType(Type type)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>) || d == typeof(Dictionary<,>))
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        return dictionary?.GetGenericArguments()[1];
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>) ? type : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)))
            ?.GetGenericArguments()[0];

    private static string? Singular(string? name) => name is { Length: > 1 } && name.EndsWith('s') ? name[..^1] : name;

    private static bool Has(string name, params string[] parts) => parts.Any(p => name.Contains(p, StringComparison.OrdinalIgnoreCase));

    private static JsonNode Whole(string name) => JsonValue.Create(
        Has(name, "version") ? 3
        : Has(name, "page") && !Has(name, "size") ? 1
        : Has(name, "pageSize", "limit", "size") ? 25
        : Has(name, "probability", "percent", "score") ? 40
        : Has(name, "index", "line", "row") && !Has(name, "rows") ? 2
        : Has(name, "status") ? 200
        : Has(name, "duration", "ms") ? 120
        : Has(name, "id") ? 42
        : 12);

    private static JsonNode Fraction(string name) => JsonValue.Create(
        Has(name, "amount", "total", "value", "forecast", "weighted") ? 12000.00m
        : Has(name, "probability", "ratio", "utilisation", "confidence") ? 0.4m
        : Has(name, "perSecond", "rate") ? 950.5m
        : 1.5m);

    private static DateTimeOffset Moment(string name) =>
        Has(name, "end", "due", "expires", "next", "until", "close") ? new DateTimeOffset(2026, 12, 15, 15, 0, 0, TimeSpan.Zero)
        : Has(name, "created", "last", "at", "start", "occurred", "updated", "sent") ? new DateTimeOffset(2026, 11, 30, 14, 30, 0, TimeSpan.Zero)
        : new DateTimeOffset(2026, 11, 30, 14, 30, 0, TimeSpan.Zero);

    private static JsonNode Text(string name, Type? owner)
    {
        var of = owner?.Name ?? "";
        string value =
            name.ToLowerInvariant() is "from" or "to" or "cc" or "bcc" or "replyto" ? "ada.lovelace@analytical-engines.example"
            : Has(name, "street", "address1", "line1") && !Has(name, "email") ? "12 St James's Square"
            : Has(name, "region", "state") && !Has(name, "status") ? "Greater London"
            : Has(name, "postalCode", "zip") ? "SW1Y 4JH"
            : Has(name, "scoreTier", "tier") ? "Warm"
            : Has(name, "reason", "error", "problem") ? "Failing since 27 Nov 2026: 503 Service Unavailable"
            : Has(name, "location") ? "Room 4, 12 St James's Square"
            : Has(name, "eventId") ? "evt_0193d8a4f1c27b6e9a4c5d2e1f0a9b8c"
            : Has(name, "recordKey", "record") && !Has(name, "id") ? "contact:42"
            : Has(name, "email") ? "ada.lovelace@analytical-engines.example"
            : Has(name, "firstName") ? "Ada"
            : Has(name, "lastName") ? "Lovelace"
            : Has(name, "phone", "mobile") ? "+44 20 7946 0958"
            : Has(name, "domain") ? "analytical-engines.example"
            : Has(name, "url", "website", "link", "href") && !Has(name, "meeting") ? "https://analytical-engines.example/"
            : Has(name, "meetingUrl") ? "https://meet.google.com/abc-defg-hij"
            : Has(name, "jobTitle", "title") && !Has(of, "Deal", "Activity", "Task", "Meeting", "Problem") ? "Head of Operations"
            : Has(name, "title") ? "Quarterly review"
            : Has(name, "currency") ? "EUR"
            : Has(name, "industry") ? "Manufacturing"
            : Has(name, "city") ? "London"
            : Has(name, "country") ? "GB"
            : Has(name, "timeZone", "zone") ? "Europe/London"
            : Has(name, "culture", "locale") ? "en-GB"
            : Has(name, "secret") ? "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
            : Has(name, "prefix") ? "crm_3f9a"
            : Has(name, "etag") ? "\"3\""
            : Has(name, "fileName") ? "trade-show-leads.csv"
            : Has(name, "contentType") ? "text/csv"
            : Has(name, "delimiter") ? ","
            : Has(name, "encoding") ? "utf-8"
            : Has(name, "header") ? "Email"
            : Has(name, "field", "key") ? "email"
            : Has(name, "subject") ? "Proposal for 2027"
            : Has(name, "body", "notes", "description", "summary", "message", "detail") ? "Called about the renewal; they want a proposal by Friday."
            : Has(name, "search", "query") ? "lovelace"
            : Has(name, "stage") ? "Proposal"
            : Has(name, "pipeline") ? "Sales"
            : Has(name, "type", "kind") ? "contact.updated"
            : Has(name, "provider") ? "hubspot"
            : Has(name, "source") ? "import"
            : Has(name, "status") ? "active"
            : Has(name, "role") ? "rep"
            : Has(name, "owner", "createdBy", "actor", "user") ? "Grace Hopper"
            : Has(name, "account", "company") ? "Analytical Engines Ltd"
            : Has(name, "contact") ? "Ada Lovelace"
            : Has(name, "value", "old", "new", "before", "after") ? "Manufacturing"
            : Has(name, "name") && Has(of, "Account", "Company") ? "Analytical Engines Ltd"
            : Has(name, "name") && Has(of, "Deal", "Card") ? "Analytical Engines — 2027 licence"
            : Has(name, "name") && Has(of, "Template", "FieldSet", "Key") ? "Trade show leads"
            : Has(name, "name") ? "Ada Lovelace"
            : Has(name, "id", "ref", "cursor", "token") ? "c2e9f1"
            : "Example";
        return JsonValue.Create(value);
    }

    private static JsonNode ParameterExample(string name, Type? type)
    {
        var underlying = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(bool)) return JsonValue.Create(false);
        if (underlying == typeof(int) || underlying == typeof(long)) return Whole(name);
        if (underlying == typeof(DateTimeOffset)) return JsonValue.Create(Moment(name).ToString("yyyy-MM-ddTHH:mm:ssK"));
        return name switch
        {
            "action" => JsonValue.Create("retry"),
            "objectType" or "recordType" or "type" when type is not null && underlying == typeof(string) => JsonValue.Create("contact"),
            "sort" => JsonValue.Create("-updatedAt"),
            "lifecycle" => JsonValue.Create("lead"),
            _ => Text(name, null),
        };
    }

    /// <summary>The problem answers the API gives (RFC 9457), one for each status it documents.</summary>
    private static JsonNode Problem(int status) => status switch
    {
        400 => new JsonObject
        {
            ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.1", ["title"] = "One or more validation errors occurred.", ["status"] = 400,
            ["errors"] = new JsonObject { ["email"] = new JsonArray("'ada.lovelace@' is not an email address.") },
        },
        401 => new JsonObject { ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.2", ["title"] = "Unauthorized", ["status"] = 401, ["detail"] = "Send a workspace API key: 'Authorization: Bearer crm_…'." },
        403 => new JsonObject { ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.4", ["title"] = "Forbidden", ["status"] = 403, ["detail"] = "Only admins can do this." },
        404 => new JsonObject { ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.5", ["title"] = "Not found", ["status"] = 404, ["detail"] = "Contact 42 was not found." },
        409 => new JsonObject { ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.10", ["title"] = "Conflict", ["status"] = 409, ["detail"] = "The export is still being written." },
        410 => new JsonObject { ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.11", ["title"] = "Gone", ["status"] = 410, ["detail"] = "The export expired and its file was deleted." },
        412 => new JsonObject
        {
            ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.13", ["title"] = "The record changed since you read it", ["status"] = 412,
            ["detail"] = "Contact 42 is at version 4; read it again and retry with If-Match: \"4\".",
        },
        _ => new JsonObject { ["title"] = "An error occurred", ["status"] = status },
    };

    /// <summary>Answers a type cannot describe: the events feed's items are the webhook bodies themselves.</summary>
    private static JsonNode? HandWrittenAnswer(string? operationId, int status) => (operationId, status) switch
    {
        ("ListWebhookEvents", 200) => new JsonObject
        {
            ["events"] = new JsonArray(new JsonObject
            {
                ["id"] = "evt_0193d8a4f1c27b6e9a4c5d2e1f0a9b8c", ["type"] = "contact.updated", ["timestamp"] = "2026-11-30T14:30:00.000Z", ["workspaceId"] = 1,
                ["data"] = new JsonObject
                {
                    ["object"] = new JsonObject
                    {
                        ["id"] = 42, ["firstName"] = "Ada", ["lastName"] = "Lovelace", ["email"] = "ada.lovelace@analytical-engines.example",
                        ["jobTitle"] = "VP Operations", ["lifecycle"] = "customer", ["version"] = 4,
                    },
                    ["changes"] = new JsonObject { ["jobTitle"] = new JsonObject { ["before"] = "Head of Operations", ["after"] = "VP Operations" } },
                },
            }),
            ["next"] = 1041,
        },
        _ => null,
    };

    /// <summary>
    /// Bodies a type cannot describe: JSON merge patches (only the fields given change, null clears one), and an
    /// activity, whose type says which of its fields apply.
    /// </summary>
    private static JsonNode? HandWritten(string? operationId) => operationId switch
    {
        "CreateActivity" => new JsonObject
        {
            ["type"] = "call", ["contactId"] = 42, ["dealId"] = 7, ["occurredAt"] = "2026-11-30T14:30:00+00:00", ["direction"] = "outbound",
            ["callOutcome"] = "connected", ["durationSeconds"] = 540, ["phoneNumber"] = "+44 20 7946 0958",
            ["notes"] = "Called about the renewal; they want a proposal by Friday.",
        },
        "UpdateActivity" => new JsonObject
        {
            ["type"] = "task", ["contactId"] = 42, ["title"] = "Send the 2027 proposal", ["dueAt"] = "2026-12-04T17:00:00+00:00", ["isDone"] = false,
        },
        "PatchContact" => new JsonObject { ["jobTitle"] = "VP Operations", ["phone"] = null },
        "PatchAccount" => new JsonObject { ["industry"] = "Manufacturing", ["website"] = null },
        "PatchDeal" => new JsonObject { ["amount"] = 15000.00m, ["closeDate"] = "2027-01-31" },
        _ => null,
    };
}
