using Crm.Core.Sync;

namespace Crm.Core.Integrations.HubSpot;

/// <summary>
/// HubSpot's engagements (notes, tasks, calls, meetings, emails) and our timeline activities, field by field: when
/// it happened (<c>hs_timestamp</c>; a task's due date), what was said, its owner, and each type's own fields with
/// HubSpot's picklist values (call outcomes are HubSpot's disposition ids).
/// </summary>
public static class HubSpotActivityMappings
{
    /// <summary>HubSpot's default call dispositions (ids shared by every portal) and our outcomes; a live message is a voicemail here.</summary>
    public static readonly IReadOnlyList<ValuePair> CallOutcomes =
    [
        ("f240bbac-87c9-4f6e-bf70-924b57d47db7", "connected"), ("73a0d17f-1163-4015-bdd5-ec830791da20", "noanswer"),
        ("b2cf5968-551e-4856-9783-52b3da59a7d0", "leftvoicemail"), ("9d9162e7-6cf3-4944-bf63-4dff82258764", "busy"),
        ("17b47fee-58de-441e-a44c-c6300d46f273", "wrongnumber"), ("a4c4c377-d246-4b32-a13b-75a56a4cd0ff", "leftvoicemail"),
    ];

    private static readonly IReadOnlyList<ValuePair> Directions = [("INBOUND", "inbound"), ("OUTBOUND", "outbound")];

    public static FieldMap Notes { get; } = new(
    [
        new("hs_timestamp", "occurredAt", FieldDirection.Both, Kind: FieldKind.Instant),
        new("hs_note_body", "body", FieldDirection.Both, Kind: FieldKind.Html),
        new("hubspot_owner_id", "owner", FieldDirection.Both),
    ]);

    public static FieldMap Tasks { get; } = new(
    [
        new("hs_timestamp", "dueAt", FieldDirection.Both, Kind: FieldKind.Instant),
        new("hs_task_subject", "title", FieldDirection.Both),
        new("hs_task_body", "notes", FieldDirection.Both, Kind: FieldKind.Html),
        // Done or not is all we track; HubSpot's in-between states read as open, and open goes out as not started.
        new("hs_task_status", "status", FieldDirection.Both, [("NOT_STARTED", "open"), ("COMPLETED", "done"), ("IN_PROGRESS", "open"), ("WAITING", "open"), ("DEFERRED", "open")]),
        new("hubspot_owner_id", "owner", FieldDirection.Both),
    ]);

    public static FieldMap Calls { get; } = new(
    [
        new("hs_timestamp", "occurredAt", FieldDirection.Both, Kind: FieldKind.Instant),
        new("hs_call_body", "notes", FieldDirection.Both, Kind: FieldKind.Html),
        new("hs_call_direction", "direction", FieldDirection.Both, Directions),
        new("hs_call_disposition", "outcome", FieldDirection.Both, CallOutcomes),
        new("hs_call_duration", "durationMs", FieldDirection.Both, Kind: FieldKind.Number),
        new("hs_call_to_number", "phone", FieldDirection.Both),
        new("hubspot_owner_id", "owner", FieldDirection.Both),
    ]);

    public static FieldMap Meetings { get; } = new(
    [
        new("hs_timestamp", "occurredAt", FieldDirection.Both, Kind: FieldKind.Instant),
        new("hs_meeting_title", "title", FieldDirection.Both),
        new("hs_meeting_body", "description", FieldDirection.Both, Kind: FieldKind.Html),
        new("hs_meeting_start_time", "start", FieldDirection.Both, Kind: FieldKind.Instant),
        new("hs_meeting_end_time", "end", FieldDirection.Both, Kind: FieldKind.Instant),
        new("hs_meeting_location", "location", FieldDirection.Both),
        new("hs_meeting_external_url", "url", FieldDirection.Both),
        new("hs_meeting_outcome", "outcome", FieldDirection.Both,
            [("SCHEDULED", "scheduled"), ("COMPLETED", "completed"), ("NO_SHOW", "noshow"), ("RESCHEDULED", "rescheduled"), ("CANCELED", "cancelled")]),
        new("hs_internal_meeting_notes", "notes", FieldDirection.Both, Kind: FieldKind.Html),
        new("hubspot_owner_id", "owner", FieldDirection.Both),
    ]);

    public static FieldMap Emails { get; } = new(
    [
        new("hs_timestamp", "occurredAt", FieldDirection.Both, Kind: FieldKind.Instant),
        new("hs_email_subject", "subject", FieldDirection.Both),
        new("hs_email_text", "body", FieldDirection.Both),
        new("hs_email_direction", "direction", FieldDirection.Both, [("EMAIL", "outbound"), ("INCOMING_EMAIL", "inbound"), ("FORWARDED_EMAIL", "outbound")]),
        // Sender and recipients travel as HubSpot's headers ({"from":{"email"},"to":[{"email"}],"cc":[…]}).
        new("hs_email_headers", "headers", FieldDirection.Both),
        new("hubspot_owner_id", "owner", FieldDirection.Both),
    ]);
}
