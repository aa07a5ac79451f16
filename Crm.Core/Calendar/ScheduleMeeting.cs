using System.ComponentModel.DataAnnotations;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Timeline;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Calendar;

public sealed class ScheduleMeetingInput
{
    [Required, MaxLength(FieldLimits.LongName)]
    public string? Title { get; set; }
    [MaxLength(FieldLimits.Body)]
    public string? Description { get; set; }
    [MaxLength(FieldLimits.LongName)]
    public string? Location { get; set; }
    [Required]
    public DateTimeOffset? StartTime { get; set; }
    [Required]
    public DateTimeOffset? EndTime { get; set; }
    /// <summary>The zone it is held in (IANA or Windows name); the rep's own zone when not given.</summary>
    [MaxLength(64)]
    public string? TimeZone { get; set; }
    /// <summary>The contacts invited (each needs an email address).</summary>
    [Required, MinLength(1), MaxLength(50)]
    public List<long>? ContactIds { get; set; }
    public long? DealId { get; set; }
    /// <summary>Which of the rep's calendar connections takes it; the one with a chosen calendar when not given.</summary>
    public long? ConnectionId { get; set; }
}

public sealed record ScheduledMeeting(ActivityDto Meeting, CalendarPlacement Calendar);

/// <summary>
/// A meeting scheduled on a contact's page: on the contacts', their accounts' and the deal's timelines at once, and
/// (when the rep's calendar connection sends meetings out) created in the rep's chosen calendar with the contacts invited.
/// </summary>
public sealed class ScheduleMeetingHandler(ICrmDbFactory dbFactory, MeetingCalendarWriter calendars, TimeProvider time)
{
    public static readonly TimeSpan LongestMeeting = TimeSpan.FromDays(14);

    public async Task<ScheduledMeeting> HandleAsync(ScheduleMeetingInput input, CancellationToken ct = default)
    {
        InputValidation.ThrowIfInvalid(input);
        var (start, end) = (input.StartTime!.Value, input.EndTime!.Value);
        if (end <= start) throw new ValidationFailedException("EndTime", "The meeting must end after it starts.");
        if (end - start > LongestMeeting) throw new ValidationFailedException("EndTime", "A meeting lasts at most 14 days.");
        if (start < time.GetUtcNow().AddYears(-1) || start > time.GetUtcNow().AddYears(5)) throw new ValidationFailedException("StartTime", "Schedule a meeting within a year back and five years ahead.");
        await using var db = await dbFactory.CreateAsync(ct);
        var userId = db.Actor.UserId ?? throw new ForbiddenException("Meetings are scheduled by a person.");
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, ct);
        var zone = input.TimeZone ?? user.TimeZone ?? "UTC";
        if (CalendarTimes.IanaOf(zone) is not { } iana) throw new ValidationFailedException("TimeZone", $"'{zone}' is not a time zone.");
        var ids = input.ContactIds!.Distinct().ToList();
        var contacts = await db.Contacts.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.AccountId, c.Email, c.FirstName, c.LastName }).ToListAsync(ct);
        if (contacts.Count != ids.Count) throw new ValidationFailedException("ContactIds", "Some of these contacts are not in this workspace.");
        var noEmail = contacts.Where(c => string.IsNullOrWhiteSpace(c.Email)).ToList();
        if (noEmail.Count > 0)
            throw new ValidationFailedException("ContactIds", $"{string.Join(", ", noEmail.Select(c => ContactNames.Display(c.FirstName, c.LastName, null)))} cannot be invited: no email address.");
        if (input.DealId is { } dealId && !await db.Deals.AnyAsync(d => d.Id == dealId, ct)) throw new ValidationFailedException("DealId", "No such deal in this workspace.");
        var connection = await MeetingCalendarWriter.OutConnectionAsync(db, userId, input.ConnectionId, ct);
        if (input.ConnectionId is not null && connection is null)
            throw new ValidationFailedException("ConnectionId", "That calendar connection is not yours, or it only syncs into the CRM.");

        var meeting = new MeetingActivity
        {
            Title = Text.Clean(input.Title)!, Description = Text.Clean(input.Description), Location = Text.Clean(input.Location),
            StartTime = start, EndTime = end, OccurredAt = start, TimeZone = iana, Source = MeetingSource.Manual, OwnerId = userId,
            MeetingKey = $"crm-{Guid.NewGuid():N}@crm.local",
            ContactId = contacts[0].Id, AccountId = contacts[0].AccountId, DealId = input.DealId,
            Attendees = [new MeetingAttendee(user.Email.ToLowerInvariant(), user.Name, AttendeeResponse.Accepted, true),
                .. contacts.Select(c => new MeetingAttendee(c.Email!.ToLowerInvariant(), ContactNames.Display(c.FirstName, c.LastName, null), AttendeeResponse.Pending, false, c.Id))],
        };
        meeting.MeetingUrl = MeetingLinks.Find(null, meeting.Location, meeting.Description);
        db.Activities.Add(meeting);
        foreach (var contact in contacts) db.ActivityLinks.Add(new ActivityLink { Activity = meeting, ContactId = contact.Id });
        foreach (var account in contacts.Where(c => c.AccountId is not null).Select(c => c.AccountId).Distinct()) db.ActivityLinks.Add(new ActivityLink { Activity = meeting, AccountId = account });
        if (input.DealId is { } deal) db.ActivityLinks.Add(new ActivityLink { Activity = meeting, DealId = deal });
        await db.SaveChangesAsync(ct);

        var placement = connection is null ? CalendarPlacement.NotConnected : await calendars.PlaceAsync(db, meeting, connection, ct);
        await db.SaveChangesAsync(ct);
        return new ScheduledMeeting(ActivityDto.Of(meeting), placement);
    }
}
