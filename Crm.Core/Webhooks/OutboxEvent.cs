using Crm.Core.Common;

namespace Crm.Core.Webhooks;

/// <summary>
/// A change others may want to hear about, written in the same transaction as the change itself: a crash after the
/// commit loses nothing (the row is there for the dispatcher), and a rolled-back change leaves no event. Its id orders
/// events; <see cref="RecordKey"/> keeps deliveries about one record in that order.
/// </summary>
public sealed class OutboxEvent : Entity, IWorkspaceOwned
{
    public long WorkspaceId { get; set; }
    /// <summary>The id receivers see (<c>webhook-id</c>, the body's <c>id</c>): the same on every retry and redelivery.</summary>
    public string EventId { get; set; } = "";
    public string Type { get; set; } = "";
    /// <summary>"contact:42": what the event is about, for ordering per record and for searching the delivery log.</summary>
    public string? RecordKey { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    /// <summary>The event's <c>data</c> object as JSON.</summary>
    public string Data { get; set; } = "{}";
    /// <summary>
    /// The record, for one created in the same save: its id exists only once the row is inserted, in the same
    /// transaction, and EF fills these in. <see cref="RecordKey"/> and the body's id are completed from them when dispatched.
    /// </summary>
    public long? ContactId { get; set; }
    public Contacts.Contact? Contact { get; set; }
    public long? AccountId { get; set; }
    public Accounts.Account? Account { get; set; }
    public long? DealId { get; set; }
    public Deals.Deal? Deal { get; set; }
    public long? ActivityId { get; set; }
    public Timeline.Activity? Activity { get; set; }
    /// <summary>Set once deliveries were made for the subscriptions that wanted it.</summary>
    public DateTimeOffset? DispatchedAt { get; set; }

    public static string NewEventId() => "evt_" + Guid.CreateVersion7().ToString("N");

    public static string KeyOf(string recordType, long id) => $"{recordType}:{id}";

    /// <summary>"contact:42" from whichever record the event is about.</summary>
    public string? CurrentRecordKey() => RecordKey ?? (ContactId is { } c ? KeyOf("contact", c) : AccountId is { } a ? KeyOf("account", a)
        : DealId is { } d ? KeyOf("deal", d) : ActivityId is { } x ? KeyOf("activity", x) : null);
}
