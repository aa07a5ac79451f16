using System.Text.Json;
using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Deals;
using Crm.Core.Timeline;
using Crm.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Crm.Infrastructure.Persistence;

/// <summary>
/// The events a write announces, part of the one definition of a write (<see cref="RecordWrites"/>): a contact,
/// account or deal created, updated (each changed field before and after), deleted or restored, a deal moved to
/// another stage, an activity logged. Added to the same save as the change, so both commit or neither does; every path
/// that writes rows (the record-keeping interceptor, the bulk timeline writer) asks here.
/// </summary>
internal static class OutboxWrites
{
    /// <summary>Longer text values are cut in an event's snapshot (an email's body): the record is one API call away.</summary>
    private const int SnapshotTextChars = 4000;

    private static readonly JsonSerializerOptions Json = ApiJsonOptions();

    /// <summary>The events for one tracked entry about to be saved; none for rows that announce nothing.</summary>
    public static IEnumerable<OutboxEvent> For(EntityEntry entry, DateTimeOffset now)
    {
        var kind = KindOf(entry.Entity);
        if (kind is null) yield break;
        if (entry.State == EntityState.Added)
        {
            yield return New(entry, kind == "activity" ? WebhookEventTypes.ActivityLogged : $"{kind}.created", now, new Dictionary<string, object?> { ["object"] = Snapshot(entry) });
            yield break;
        }
        if (entry.State != EntityState.Modified || kind == "activity") yield break;
        var deletedAt = entry.Property(nameof(ISoftDeletable.DeletedAt));
        if (deletedAt.IsModified && (deletedAt.OriginalValue is null) != (deletedAt.CurrentValue is null))
        {
            yield return New(entry, deletedAt.CurrentValue is null ? $"{kind}.restored" : $"{kind}.deleted", now, new Dictionary<string, object?> { ["object"] = Snapshot(entry) });
            yield break;
        }
        var changes = entry.Properties
            .Where(p => p.IsModified && !RecordWrites.Bookkeeping.Contains(p.Metadata.Name) && ValueText.Format(p.OriginalValue) != ValueText.Format(p.CurrentValue))
            .ToDictionary(p => Camel(p.Metadata.Name), p => (object?)new Dictionary<string, object?> { ["before"] = Value(p.OriginalValue), ["after"] = Value(p.CurrentValue) });
        if (changes.Count == 0) yield break;
        yield return New(entry, $"{kind}.updated", now, new Dictionary<string, object?> { ["object"] = Snapshot(entry), ["changes"] = changes });
        if (entry.Entity is Deal && entry.Property(nameof(Deal.StageId)) is { IsModified: true } stage && !Equals(stage.OriginalValue, stage.CurrentValue))
            yield return New(entry, WebhookEventTypes.DealStageChanged, now, new Dictionary<string, object?>
            {
                ["object"] = Snapshot(entry), ["previousStageId"] = stage.OriginalValue, ["stageId"] = stage.CurrentValue,
            });
    }

    /// <summary>
    /// A record written without a change tracker (the SQLite import): created, or updated with the changes the import
    /// planned. Its id is known; null when the event type is not wanted.
    /// </summary>
    public static OutboxEvent? ForImported(IModel model, ITrackedRecord record, long id, IReadOnlyList<(string Field, string? Before, string? After)>? changes,
        IReadOnlySet<string> wanted, DateTimeOffset now)
    {
        var kind = KindOf(record);
        var type = changes is null ? $"{kind}.created" : $"{kind}.updated";
        if (kind is null or "activity" || !wanted.Contains(type)) return null;
        var entity = model.FindEntityType(record.GetType())!;
        var snapshot = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in entity.GetProperties())
        {
            if (property.IsShadowProperty() || property.IsPrimaryKey() || property.Name == nameof(IWorkspaceOwned.WorkspaceId) || property.PropertyInfo is null) continue;
            snapshot[Camel(property.Name)] = Value(property.PropertyInfo.GetValue(record));
        }
        var data = new Dictionary<string, object?> { ["object"] = snapshot };
        if (changes is not null)
            data["changes"] = changes.ToDictionary(c => Camel(c.Field), c => (object?)new Dictionary<string, object?> { ["before"] = c.Before, ["after"] = c.After });
        var message = new OutboxEvent { WorkspaceId = record.WorkspaceId, EventId = OutboxEvent.NewEventId(), Type = type, OccurredAt = now, Data = JsonSerializer.Serialize(data, Json) };
        switch (record)
        {
            case Contact: message.ContactId = id; break;
            case Account: message.AccountId = id; break;
            case Deal: message.DealId = id; break;
        }
        message.RecordKey = message.CurrentRecordKey();
        return message;
    }

    private static string? KindOf(object entity) => entity switch
    {
        Contact => "contact",
        Account => "account",
        Deal => "deal",
        Activity => "activity",
        _ => null,
    };

    private static OutboxEvent New(EntityEntry entry, string type, DateTimeOffset now, Dictionary<string, object?> data)
    {
        var message = new OutboxEvent
        {
            WorkspaceId = ((IWorkspaceOwned)entry.Entity).WorkspaceId, EventId = OutboxEvent.NewEventId(), Type = type, OccurredAt = now,
            Data = JsonSerializer.Serialize(data, Json),
        };
        // By navigation: a record created in this save gets its id when it is inserted, and EF fills the key in then.
        switch (entry.Entity)
        {
            case Contact contact: message.Contact = contact; break;
            case Account account: message.Account = account; break;
            case Deal deal: message.Deal = deal; break;
            case Activity activity: message.Activity = activity; break;
        }
        return message;
    }

    /// <summary>The record's stored fields as the API names them (its id is added when the event is sent).</summary>
    private static Dictionary<string, object?> Snapshot(EntityEntry entry)
    {
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (entry.Entity is Activity activity) fields["type"] = activity.Type;
        foreach (var property in entry.Properties)
        {
            var name = property.Metadata.Name;
            if (property.Metadata.IsShadowProperty() || property.Metadata.IsPrimaryKey() || name is nameof(IWorkspaceOwned.WorkspaceId)) continue;
            fields[Camel(name)] = Value(property.CurrentValue);
        }
        return fields;
    }

    private static object? Value(object? value) => value is string { Length: > SnapshotTextChars } text ? text[..SnapshotTextChars] : value;

    private static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];

    private static JsonSerializerOptions ApiJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiJson.Configure(options);
        return options;
    }
}
