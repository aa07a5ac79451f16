using System.Globalization;
using System.Text.Json.Nodes;

namespace Crm.Core.Webhooks;

/// <summary>
/// An event as receivers get it — the body of a delivery, an item of the events API: its id, type, time and
/// workspace, and its data, the record carrying its id first.
/// </summary>
public static class WebhookPayload
{
    public static JsonObject Of(OutboxEvent message)
    {
        var data = JsonNode.Parse(message.Data) as JsonObject ?? [];
        if (data["object"] is JsonObject record && message.CurrentRecordKey() is { } key && key.Split(':') is [_, var id]
            && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var recordId))
        {
            var withId = new JsonObject { ["id"] = recordId };
            foreach (var (name, value) in record.ToList())
            {
                record.Remove(name);
                withId[name] = value;
            }
            data["object"] = withId;
        }
        return new JsonObject
        {
            ["id"] = message.EventId, ["type"] = message.Type,
            ["timestamp"] = message.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["workspaceId"] = message.WorkspaceId, ["data"] = data,
        };
    }

    public static string Render(OutboxEvent message) => Of(message).ToJsonString();
}
