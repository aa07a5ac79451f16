using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Crm.Core.Common;
using Crm.Core.Timeline;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Sync;

/// <summary>
/// Timeline activities of one type as the sync sees them: when (or, for a task, by when), what was said, the owner and
/// each type's own fields, as text in the sync's keys; written within the columns' limits. Activities are never
/// matched on a first meeting: each side's are created on the other. Their contact, company and deal travel as
/// associations.
/// </summary>
public sealed class SyncedActivities<T> : ISyncedRecords<T> where T : Activity, new()
{
    public RecordType RecordType => RecordType.Activity;
    public string? MatchField => null;

    public IReadOnlySet<string> Supported { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "occurredAt", "owner", "body", "dueAt", "title", "notes", "status", "direction", "outcome", "durationMs", "phone", "description", "start", "end",
        "location", "url", "subject", "headers",
    };

    public Task<IReadOnlyList<OurField>> FieldsAsync(ICrmDb db, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<OurField>>(Supported.Select(f => new OurField(f, f)).ToList());

    public IQueryable<T> Query(ICrmDb db) => db.Activities.OfType<T>();
    public T New() => new();
    public void Add(ICrmDb db, T record) => db.Activities.Add(record);
    public Task<T?> MatchAsync(ICrmDb db, string value, IQueryable<long> linked, CancellationToken ct) => Task.FromResult<T?>(null);

    /// <summary>Activities are not merged here: the one merged away there is deleted (restorable).</summary>
    public async Task MergeAsync(ICrmDb db, long winnerId, long loserId, DateTimeOffset now, CancellationToken ct)
    {
        var loser = await db.Activities.SingleOrDefaultAsync(a => a.Id == loserId, ct) ?? throw new NotFoundException("Activity", loserId);
        loser.DeletedAt = now;
        await db.SaveChangesAsync(ct);
    }

    public Dictionary<string, string?> Read(T activity)
    {
        var fields = new Dictionary<string, string?> { ["owner"] = activity.OwnerId is { } owner ? owner.ToString(CultureInfo.InvariantCulture) : null };
        switch (activity)
        {
            case NoteActivity note:
                fields["occurredAt"] = FieldMap.Instant(note.OccurredAt);
                fields["body"] = SyncSide.Normal(note.Body);
                break;
            case TaskActivity task:
                fields["dueAt"] = task.DueAt is { } due ? FieldMap.Instant(due) : null;
                fields["title"] = SyncSide.Normal(task.Title);
                fields["notes"] = task.Notes;
                fields["status"] = task.IsDone ? "done" : "open";
                break;
            case CallActivity call:
                fields["occurredAt"] = FieldMap.Instant(call.OccurredAt);
                fields["notes"] = call.Notes;
                fields["direction"] = call.Direction.ToString().ToLowerInvariant();
                fields["outcome"] = call.Outcome.ToString().ToLowerInvariant();
                fields["durationMs"] = call.DurationSeconds is { } seconds ? FieldMap.Number(seconds * 1000m) : null;
                fields["phone"] = call.PhoneNumber;
                break;
            case MeetingActivity meeting:
                fields["occurredAt"] = FieldMap.Instant(meeting.OccurredAt);
                fields["title"] = SyncSide.Normal(meeting.Title);
                fields["description"] = meeting.Description;
                fields["start"] = FieldMap.Instant(meeting.StartTime);
                fields["end"] = FieldMap.Instant(meeting.EndTime);
                fields["location"] = meeting.Location;
                fields["url"] = meeting.MeetingUrl;
                fields["outcome"] = meeting.Outcome?.ToString().ToLowerInvariant() ?? "scheduled";
                fields["notes"] = meeting.Notes;
                break;
            case EmailActivity email:
                fields["occurredAt"] = FieldMap.Instant(email.OccurredAt);
                fields["subject"] = SyncSide.Normal(email.Subject);
                fields["body"] = email.Body;
                fields["direction"] = email.Direction.ToString().ToLowerInvariant();
                fields["headers"] = Headers(email.From, email.To, email.Cc);
                break;
        }
        return fields;
    }

    public async Task WriteAsync(ICrmDb db, T activity, IReadOnlyDictionary<string, string?> values, CancellationToken ct)
    {
        string? Text(string key, int max) => SyncSide.Normal(values.GetValueOrDefault(key)) is { } v ? v.Length > max ? v[..max] : v : null;
        DateTimeOffset? At(string key) => SyncSide.Normal(values.GetValueOrDefault(key)) is { } v
            ? DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : throw Invalid(key, $"\"{v}\" is not a date and time.")
            : null;
        if (values.ContainsKey("owner"))
        {
            var owner = SyncSide.Normal(values["owner"]);
            activity.OwnerId = owner is null ? null : long.TryParse(owner, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && await db.Users.AnyAsync(u => u.Id == id, ct)
                ? id : throw Invalid("owner", $"\"{owner}\" is not a user here.");
        }
        if (values.ContainsKey("occurredAt")) activity.OccurredAt = At("occurredAt") ?? activity.OccurredAt;
        switch (activity)
        {
            case NoteActivity note:
                if (values.ContainsKey("body")) note.Body = Text("body", FieldLimits.EmailBody) ?? "";
                break;
            case TaskActivity task:
                if (values.ContainsKey("dueAt")) task.DueAt = At("dueAt");
                if (values.ContainsKey("title")) task.Title = Text("title", FieldLimits.LongName) ?? "";
                if (values.ContainsKey("notes")) task.Notes = Text("notes", FieldLimits.Body);
                if (values.ContainsKey("status"))
                {
                    var done = Text("status", 20) == "done";
                    if (done && !task.IsDone) task.CompletedAt = DateTimeOffset.UtcNow;
                    if (!done) task.CompletedAt = null;
                    task.IsDone = done;
                }
                if (task.Id == 0 && task.OccurredAt == default) task.OccurredAt = task.DueAt ?? DateTimeOffset.UtcNow;
                break;
            case CallActivity call:
                if (values.ContainsKey("notes")) call.Notes = Text("notes", FieldLimits.Body);
                if (values.ContainsKey("direction")) call.Direction = Text("direction", 20) == "inbound" ? ActivityDirection.Inbound : ActivityDirection.Outbound;
                if (values.ContainsKey("outcome"))
                    call.Outcome = Text("outcome", 40) is { } outcome ? Enum.TryParse<CallOutcome>(outcome, true, out var o) ? o : throw Invalid("outcome", $"\"{outcome}\" is not a call outcome.") : CallOutcome.Connected;
                if (values.ContainsKey("durationMs"))
                    call.DurationSeconds = Text("durationMs", 30) is { } ms
                        ? decimal.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 && d < int.MaxValue * 1000m ? (int)Math.Round(d / 1000m) : throw Invalid("durationMs", $"\"{ms}\" is not a duration.")
                        : null;
                if (values.ContainsKey("phone")) call.PhoneNumber = Text("phone", FieldLimits.Phone);
                break;
            case MeetingActivity meeting:
                if (values.ContainsKey("title")) meeting.Title = Text("title", FieldLimits.LongName) ?? "";
                if (values.ContainsKey("description")) meeting.Description = Text("description", FieldLimits.Body);
                if (values.ContainsKey("start")) meeting.StartTime = At("start") ?? meeting.StartTime;
                if (values.ContainsKey("end")) meeting.EndTime = At("end") ?? meeting.EndTime;
                if (values.ContainsKey("location")) meeting.Location = Text("location", FieldLimits.LongName);
                if (values.ContainsKey("url")) meeting.MeetingUrl = Text("url", FieldLimits.Url);
                if (values.ContainsKey("outcome"))
                    meeting.Outcome = Text("outcome", 40) is { } outcome && outcome != "scheduled"
                        ? Enum.TryParse<MeetingOutcome>(outcome, true, out var m) ? m : throw Invalid("outcome", $"\"{outcome}\" is not a meeting outcome.") : null;
                if (values.ContainsKey("notes")) meeting.Notes = Text("notes", FieldLimits.Body);
                // A meeting has a time: HubSpot's start, else its activity date; half an hour when it gives no end.
                if (meeting.StartTime == default) meeting.StartTime = meeting.OccurredAt != default ? meeting.OccurredAt : DateTimeOffset.UtcNow;
                if (meeting.EndTime < meeting.StartTime) meeting.EndTime = meeting.StartTime.AddMinutes(30);
                if (meeting.OccurredAt == default) meeting.OccurredAt = meeting.StartTime;
                break;
            case EmailActivity email:
                if (values.ContainsKey("subject")) email.Subject = Text("subject", 998) ?? "";
                if (values.ContainsKey("body")) email.Body = Text("body", FieldLimits.EmailBody);
                if (values.ContainsKey("direction")) email.Direction = Text("direction", 20) == "inbound" ? ActivityDirection.Inbound : ActivityDirection.Outbound;
                if (values.ContainsKey("headers")) (email.From, email.To, email.Cc) = ParseHeaders(values["headers"]);
                email.SentAt ??= email.OccurredAt != default ? email.OccurredAt : null;
                break;
        }
        if (activity.OccurredAt == default) activity.OccurredAt = DateTimeOffset.UtcNow;
    }

    /// <summary>HubSpot's email headers in one canonical form, so the same addresses read the same both ways.</summary>
    public static string? Headers(string from, IReadOnlyList<string> to, IReadOnlyList<string> cc)
    {
        if (from.Length == 0 && to.Count == 0 && cc.Count == 0) return null;
        var json = new JsonObject
        {
            ["from"] = new JsonObject { ["email"] = from },
            ["to"] = new JsonArray(to.Select(e => (JsonNode)new JsonObject { ["email"] = e }).ToArray()),
            ["cc"] = new JsonArray(cc.Select(e => (JsonNode)new JsonObject { ["email"] = e }).ToArray()),
        };
        return json.ToJsonString();
    }

    private static (string From, List<string> To, List<string> Cc) ParseHeaders(string? headers)
    {
        if (SyncSide.Normal(headers) is not { } text) return ("", [], []);
        try
        {
            var json = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 8 });
            static List<string> Emails(JsonNode? list) => (list as JsonArray ?? []).Select(e => e?["email"]?.GetValue<string>()?.Trim().ToLowerInvariant())
                .OfType<string>().Where(e => e.Length is > 0 and <= FieldLimits.Email).Take(FieldLimits.MaxRecipients).ToList();
            var from = json?["from"]?["email"]?.GetValue<string>()?.Trim().ToLowerInvariant() ?? "";
            return (from.Length > FieldLimits.Email ? "" : from, Emails(json?["to"]), Emails(json?["cc"]));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw Invalid("headers", "The email's headers are not readable JSON.");
        }
    }

    private static ValidationFailedException Invalid(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}
