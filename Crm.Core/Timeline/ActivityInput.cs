using System.ComponentModel.DataAnnotations;
using Crm.Core.Common;
using static System.FormattableString;

namespace Crm.Core.Timeline;

public sealed record AttendeeInput(string Email, string? Name = null, AttendeeResponse Response = AttendeeResponse.Pending, bool IsOrganizer = false);

/// <summary>
/// One input shape for every activity type (the API's JSON and the timeline's forms); <see cref="Type"/> says which
/// fields apply, and <see cref="Validate"/> checks the ones that type needs.
/// </summary>
public sealed class ActivityInput : IValidatableObject
{
    public ActivityType Type { get; set; }
    public long? ContactId { get; set; }
    public long? AccountId { get; set; }
    public long? DealId { get; set; }
    /// <summary>Defaults to now (notes, tasks, calls), the send time (emails) or the start time (meetings).</summary>
    public DateTimeOffset? OccurredAt { get; set; }
    public long? OwnerId { get; set; }

    [MaxLength(FieldLimits.EmailBody)] public string? Body { get; set; }
    [MaxLength(FieldLimits.LongName)] public string? Title { get; set; }
    [MaxLength(FieldLimits.Body)] public string? Notes { get; set; }
    [MaxLength(FieldLimits.Body)] public string? Description { get; set; }

    public DateTimeOffset? DueAt { get; set; }
    public bool? IsDone { get; set; }

    public ActivityDirection? Direction { get; set; }
    public CallOutcome? CallOutcome { get; set; }
    [Range(0, 86_400, ErrorMessage = "Duration must be between 0 and 86,400 seconds.")] public int? DurationSeconds { get; set; }
    [MaxLength(FieldLimits.Phone), PhoneFormat] public string? PhoneNumber { get; set; }

    [MaxLength(998)] public string? Subject { get; set; }
    [MaxLength(FieldLimits.Email), EmailFormat] public string? From { get; set; }
    [ListLimits(FieldLimits.MaxRecipients, FieldLimits.Email), EmailFormat] public List<string>? To { get; set; }
    [ListLimits(FieldLimits.MaxRecipients, FieldLimits.Email), EmailFormat] public List<string>? Cc { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public EmailProvider? Provider { get; set; }
    [MaxLength(FieldLimits.ExternalId)] public string? ExternalId { get; set; }
    [MaxLength(FieldLimits.ExternalId)] public string? ThreadId { get; set; }

    public DateTimeOffset? StartTime { get; set; }
    public DateTimeOffset? EndTime { get; set; }
    [MaxLength(FieldLimits.LongName)] public string? Location { get; set; }
    [MaxLength(FieldLimits.Url), HttpUrl] public string? MeetingUrl { get; set; }
    [MaxLength(FieldLimits.MaxRecipients)] public List<AttendeeInput>? Attendees { get; set; }
    public MeetingOutcome? MeetingOutcome { get; set; }
    public MeetingSource? MeetingSource { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Type))
        {
            yield return new ValidationResult("Type must be note, task, call, email or meeting.", [nameof(Type)]);
            yield break;
        }
        if (ContactId is null && AccountId is null && DealId is null)
            yield return new ValidationResult("Link the activity to a contact, an account or a deal.", [nameof(ContactId), nameof(AccountId), nameof(DealId)]);

        switch (Type)
        {
            case ActivityType.Note when string.IsNullOrWhiteSpace(Body):
                yield return new ValidationResult("Write the note.", [nameof(Body)]);
                break;
            case ActivityType.Note when Body!.Length > FieldLimits.Body:
                yield return new ValidationResult(Invariant($"A note can be at most {FieldLimits.Body:N0} characters."), [nameof(Body)]);
                break;
            case ActivityType.Task when string.IsNullOrWhiteSpace(Title):
                yield return new ValidationResult("Give the task a title.", [nameof(Title)]);
                break;
            case ActivityType.Email:
                if (string.IsNullOrWhiteSpace(From)) yield return new ValidationResult("Enter the sender's address.", [nameof(From)]);
                if (To is null || To.Count == 0) yield return new ValidationResult("Enter at least one recipient.", [nameof(To)]);
                break;
            case ActivityType.Meeting:
                if (string.IsNullOrWhiteSpace(Title)) yield return new ValidationResult("Give the meeting a title.", [nameof(Title)]);
                if (StartTime is null) yield return new ValidationResult("Enter when the meeting starts.", [nameof(StartTime)]);
                if (EndTime is null) yield return new ValidationResult("Enter when the meeting ends.", [nameof(EndTime)]);
                if (StartTime is { } start && EndTime is { } end && end < start)
                    yield return new ValidationResult("The meeting cannot end before it starts.", [nameof(EndTime)]);
                foreach (var attendee in Attendees ?? [])
                {
                    if (attendee is null || !EmailFormatAttribute.IsEmail(attendee.Email ?? ""))
                        yield return new ValidationResult($"Attendee '{attendee?.Email}' is not a valid email address.", [nameof(Attendees)]);
                    else if (attendee.Email!.Length > FieldLimits.Email || attendee.Name?.Length > FieldLimits.Name)
                        yield return new ValidationResult("An attendee's email or name is too long.", [nameof(Attendees)]);
                }
                break;
        }
    }
}

public static class ActivityInputs
{
    /// <summary>An input holding an existing activity's values, for editing it.</summary>
    public static ActivityInput From(Activity a)
    {
        var input = new ActivityInput
        {
            Type = a.Type, ContactId = a.ContactId, AccountId = a.AccountId, DealId = a.DealId, OccurredAt = a.OccurredAt, OwnerId = a.OwnerId,
        };
        switch (a)
        {
            case NoteActivity note:
                input.Body = note.Body;
                break;
            case TaskActivity task:
                input.Title = task.Title; input.Notes = task.Notes; input.DueAt = task.DueAt; input.IsDone = task.IsDone;
                break;
            case CallActivity call:
                input.Direction = call.Direction; input.CallOutcome = call.Outcome; input.DurationSeconds = call.DurationSeconds;
                input.PhoneNumber = call.PhoneNumber; input.Notes = call.Notes;
                break;
            case EmailActivity email:
                input.Subject = email.Subject; input.Body = email.Body; input.Direction = email.Direction; input.From = email.From;
                input.To = [.. email.To]; input.Cc = [.. email.Cc]; input.SentAt = email.SentAt; input.Provider = email.Provider;
                input.ExternalId = email.ExternalId; input.ThreadId = email.ThreadId;
                break;
            case MeetingActivity meeting:
                input.Title = meeting.Title; input.Description = meeting.Description; input.StartTime = meeting.StartTime; input.EndTime = meeting.EndTime;
                input.Location = meeting.Location; input.MeetingUrl = meeting.MeetingUrl; input.MeetingOutcome = meeting.Outcome;
                input.MeetingSource = meeting.Source; input.Notes = meeting.Notes;
                input.Attendees = meeting.Attendees.Select(x => new AttendeeInput(x.Email, x.Name, x.Response, x.IsOrganizer)).ToList();
                break;
        }
        return input;
    }
}
