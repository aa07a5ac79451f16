using System.Text.Json;
using Crm.Core.Common;

namespace Crm.Core.Webhooks;

/// <summary>
/// Events that are not a record's own change (an import finished, an export ready, a connection needing its owner),
/// added to the save that records the fact — so the event exists exactly when the fact does.
/// </summary>
public static class Outbox
{
    private static readonly JsonSerializerOptions Json = CreateJson();

    public static OutboxEvent Announce(ICrmDb db, string type, string? recordKey, object data, DateTimeOffset now)
    {
        var message = new OutboxEvent
        {
            WorkspaceId = db.Actor.WorkspaceId, EventId = OutboxEvent.NewEventId(), Type = type, RecordKey = recordKey, OccurredAt = now,
            Data = JsonSerializer.Serialize(data, Json),
        };
        db.OutboxEvents.Add(message);
        return message;
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiJson.Configure(options);
        return options;
    }
}
