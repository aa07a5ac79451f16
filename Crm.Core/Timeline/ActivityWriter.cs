using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Timeline;

/// <summary>Validates an activity input against the workspace and copies the fields of its type.</summary>
internal static class ActivityWriter
{
    public static Activity New(ActivityType type) => type switch
    {
        ActivityType.Note => new NoteActivity(),
        ActivityType.Task => new TaskActivity(),
        ActivityType.Call => new CallActivity(),
        ActivityType.Email => new EmailActivity(),
        ActivityType.Meeting => new MeetingActivity(),
        _ => throw new ValidationFailedException(nameof(ActivityInput.Type), "Type must be note, task, call, email or meeting."),
    };

    public static async Task ApplyAsync(ICrmDb db, Activity activity, ActivityInput input, DateTimeOffset now, CancellationToken ct)
    {
        InputValidation.ThrowIfInvalid(input);
        if (input.Type != activity.Type)
            throw new ValidationFailedException(nameof(ActivityInput.Type), $"This activity is a {activity.Type.ToString().ToLowerInvariant()}; its type cannot change.");
        await CheckLinksAsync(db, input, ct);

        activity.ContactId = input.ContactId;
        activity.AccountId = input.AccountId;
        activity.DealId = input.DealId;
        activity.OwnerId = input.OwnerId ?? (activity.Id == 0 ? db.Actor.UserId : activity.OwnerId);
        switch (activity)
        {
            case NoteActivity note:
                note.Body = input.Body!.Trim();
                activity.OccurredAt = input.OccurredAt ?? (activity.Id == 0 ? now : activity.OccurredAt);
                break;
            case TaskActivity task:
                task.Title = input.Title!.Trim();
                task.Notes = Text.Clean(input.Notes);
                task.DueAt = input.DueAt;
                var done = input.IsDone ?? task.IsDone;
                if (done && !task.IsDone) task.CompletedAt = now;
                if (!done) task.CompletedAt = null;
                task.IsDone = done;
                activity.OccurredAt = input.OccurredAt ?? (activity.Id == 0 ? now : activity.OccurredAt);
                break;
            case CallActivity call:
                call.Direction = input.Direction ?? ActivityDirection.Outbound;
                call.Outcome = input.CallOutcome ?? CallOutcome.Connected;
                call.DurationSeconds = input.DurationSeconds;
                call.PhoneNumber = Text.Clean(input.PhoneNumber);
                call.Notes = Text.Clean(input.Notes);
                activity.OccurredAt = input.OccurredAt ?? (activity.Id == 0 ? now : activity.OccurredAt);
                break;
            case EmailActivity email:
                email.Subject = Text.Clean(input.Subject) ?? "";
                email.Body = input.Body;
                email.Direction = input.Direction ?? ActivityDirection.Outbound;
                email.From = Text.CleanEmail(input.From)!;
                email.To = CleanList(input.To);
                email.Cc = CleanList(input.Cc);
                email.Provider = input.Provider ?? EmailProvider.Manual;
                email.ExternalId = Text.Clean(input.ExternalId);
                email.ThreadId = Text.Clean(input.ThreadId);
                email.SentAt = input.SentAt ?? input.OccurredAt ?? (activity.Id == 0 ? now : email.SentAt);
                activity.OccurredAt = input.OccurredAt ?? email.SentAt ?? now;
                break;
            case MeetingActivity meeting:
                meeting.Title = input.Title!.Trim();
                meeting.Description = Text.Clean(input.Description);
                meeting.StartTime = input.StartTime!.Value;
                meeting.EndTime = input.EndTime!.Value;
                meeting.Location = Text.Clean(input.Location);
                meeting.MeetingUrl = Text.Clean(input.MeetingUrl);
                meeting.Attendees = (input.Attendees ?? [])
                    .Select(a => new MeetingAttendee(a.Email.Trim().ToLowerInvariant(), Text.Clean(a.Name), a.Response, a.IsOrganizer))
                    .ToList();
                meeting.Source = input.MeetingSource ?? MeetingSource.Manual;
                meeting.Outcome = input.MeetingOutcome;
                meeting.Notes = Text.Clean(input.Notes);
                activity.OccurredAt = input.OccurredAt ?? meeting.StartTime;
                break;
        }
    }

    private static List<string> CleanList(List<string>? values) =>
        (values ?? []).Select(Text.CleanEmail).OfType<string>().Distinct().ToList();

    private static async Task CheckLinksAsync(ICrmDb db, ActivityInput input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (input.ContactId is { } contactId && !await db.Contacts.AnyAsync(c => c.Id == contactId, ct))
            errors[nameof(input.ContactId)] = [$"Contact {contactId} was not found."];
        if (input.AccountId is { } accountId && !await db.Accounts.AnyAsync(a => a.Id == accountId, ct))
            errors[nameof(input.AccountId)] = [$"Account {accountId} was not found."];
        if (input.DealId is { } dealId && !await db.Deals.AnyAsync(d => d.Id == dealId, ct))
            errors[nameof(input.DealId)] = [$"Deal {dealId} was not found."];
        if (input.OwnerId is { } ownerId && !await db.Users.AnyAsync(u => u.Id == ownerId && u.IsActive, ct))
            errors[nameof(input.OwnerId)] = [$"Owner {ownerId} is not an active user of this workspace."];
        if (errors.Count > 0) throw new ValidationFailedException(errors);
    }
}
