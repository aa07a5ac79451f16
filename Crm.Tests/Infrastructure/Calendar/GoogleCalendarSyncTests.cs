using System.Text.Json.Nodes;
using Crm.Core.Calendar;
using Crm.Core.Common;
using Crm.Core.Integrations.Sync;
using Crm.Core.Timeline;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Infrastructure.Calendar;

/// <summary>A rep's Google calendar synced through the sandbox over real HTTP: meetings with contacts logged, series, zones, cancellations, full resyncs.</summary>
public class GoogleCalendarSyncTests : IAsyncLifetime
{
    private const string Rep = "sam@first.example";
    private CalendarRig _rig = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _rig = await CalendarRig.StartAsync("google", ct: Ct);

    public async ValueTask DisposeAsync()
    {
        await _rig.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static DateTimeOffset Hour(int daysFromNow, int hour) => new DateTimeOffset(DateTime.UtcNow.Date.AddDays(daysFromNow).AddHours(hour), TimeSpan.Zero);

    [Fact]
    public async Task FirstSync_LogsMeetingWithContact_AndSkipsOnesWithoutContacts()
    {
        var connection = await _rig.ConnectAsync(Rep, Rep, ct: Ct);
        var demo = CalendarRig.GoogleEvent("Demo for Ada", Hour(-2, 14), Rep, ["ada@engines.example", "lee@first.example", "unknown@else.example"]);
        demo["description"] = "Agenda\nJoin Zoom Meeting\nhttps://us02web.zoom.us/j/12341234123?pwd=THBLWExVS0QyYnV1Z1nZTDJGYVI2QT09\n\nMeeting ID: 123 1234 1234";
        demo["location"] = "Room 4";
        await _rig.ImportGoogleAsync(Rep, demo, ct: Ct);
        await _rig.ImportGoogleAsync(Rep, CalendarRig.GoogleEvent("Team standup", Hour(-1, 9), Rep, ["lee@first.example"]), ct: Ct);
        var alone = CalendarRig.GoogleEvent("Dentist", Hour(1, 9), Rep, []);
        alone.Remove("attendees");
        await _rig.ImportGoogleAsync(Rep, alone, ct: Ct);

        var run = await _rig.SyncAsync(connection, ct: Ct);

        Assert.Equal(SyncRunOutcome.Succeeded, run.Outcome);
        var meeting = Assert.Single(await _rig.MeetingsAsync(ct: Ct));
        Assert.Equal("Demo for Ada", meeting.Title);
        Assert.Equal(MeetingSource.Google, meeting.Source);
        Assert.Equal(Hour(-2, 14), meeting.StartTime);
        Assert.Equal("https://us02web.zoom.us/j/12341234123?pwd=THBLWExVS0QyYnV1Z1nZTDJGYVI2QT09", meeting.MeetingUrl);
        Assert.Equal("Room 4", meeting.Location);
        Assert.Equal(_rig.AdaId, meeting.ContactId);
        Assert.Contains(meeting.Attendees, a => a.Email == "ada@engines.example" && a.ContactId == _rig.AdaId && a.Response == AttendeeResponse.Pending);
        Assert.Contains(meeting.Attendees, a => a.Email == Rep && a.IsOrganizer);
        Assert.Equal(_rig.Reps[Rep].UserId, meeting.OwnerId);
        await using var db = _rig.Database.Create(Actor.System(_rig.Factory.FirstWorkspaceId));
        var entries = await db.CalendarEventLinks.ToListAsync(Ct);
        Assert.Equal(3, entries.Count);
        Assert.Equal(2, entries.Count(e => e.Outcome == CalendarEntryOutcome.Skipped));
        Assert.Contains(entries, e => e.Reason == CalendarSkipReasons.Internal);
        Assert.Contains(entries, e => e.Reason == CalendarSkipReasons.Free);
        // The primary calendar was chosen for the rep on the first sync.
        var settings = CalendarSettings.Parse((await db.Integrations.SingleAsync(i => i.Id == connection.IntegrationId, Ct)).CalendarSettings);
        Assert.Equal(Rep, Assert.Single(settings.SelectedCalendars).Id);
    }

    [Fact]
    public async Task RecurringSeries_WithAMovedAndACancelledOccurrence_LogsEachOccurrence_AndLaterCancellationUpdatesTheTimeline()
    {
        var connection = await _rig.ConnectAsync(Rep, Rep, ct: Ct);
        var series = CalendarRig.GoogleEvent("Weekly check-in", Hour(1, 10), Rep, ["ada@engines.example"]);
        series["recurrence"] = new JsonArray("RRULE:FREQ=WEEKLY;COUNT=4");
        var id = await _rig.ImportGoogleAsync(Rep, series, ct: Ct);
        var second = Hour(8, 10);
        var third = Hour(15, 10);
        await _rig.ChangeGoogleAsync(Rep, $"{id}_{second.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}", new JsonObject
        {
            ["start"] = new JsonObject { ["dateTime"] = Hour(9, 15).ToString("yyyy-MM-dd'T'HH:mm:sszzz"), ["timeZone"] = "UTC" },
            ["end"] = new JsonObject { ["dateTime"] = Hour(9, 16).ToString("yyyy-MM-dd'T'HH:mm:sszzz"), ["timeZone"] = "UTC" },
        }, ct: Ct);
        await _rig.DeleteGoogleAsync(Rep, $"{id}_{third.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}", ct: Ct);

        await _rig.SyncAsync(connection, ct: Ct);

        var meetings = await _rig.MeetingsAsync(ct: Ct);
        Assert.Equal([Hour(1, 10), Hour(9, 15), Hour(22, 10)], meetings.Select(m => m.StartTime));
        Assert.All(meetings, m => Assert.StartsWith(id + "@google.com/", m.MeetingKey));
        Assert.Equal(3, meetings.Select(m => m.MeetingKey).Distinct().Count());

        // The organizer cancels the last one; the next (incremental) sync marks it cancelled.
        await _rig.DeleteGoogleAsync(Rep, $"{id}_{Hour(22, 10).UtcDateTime:yyyyMMdd'T'HHmmss'Z'}", ct: Ct);
        await _rig.SyncAsync(connection, ct: Ct);

        var after = await _rig.MeetingsAsync(ct: Ct);
        Assert.Equal(3, after.Count);
        var cancelled = Assert.Single(after, m => m.CancelledAt is not null);
        Assert.Equal(Hour(22, 10), cancelled.StartTime);
        Assert.Equal(MeetingOutcome.Cancelled, cancelled.Outcome);
    }

    [Fact]
    public async Task AllDayEvent_IsLoggedAsAllDay_FromMidnightInTheCalendarsZone()
    {
        await _rig.Control.PatchAsync($"/_sandbox/google/calendar/{Rep}/calendars/{Rep}", System.Net.Http.Json.JsonContent.Create(new { timeZone = "America/New_York" }), Ct);
        var connection = await _rig.ConnectAsync(Rep, Rep, ct: Ct);
        var day = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(3));
        await _rig.ImportGoogleAsync(Rep, new JsonObject
        {
            ["summary"] = "Offsite with Ada",
            ["start"] = new JsonObject { ["date"] = day.ToString("yyyy-MM-dd") },
            ["end"] = new JsonObject { ["date"] = day.AddDays(1).ToString("yyyy-MM-dd") },
            ["attendees"] = new JsonArray(new JsonObject { ["email"] = "ada@engines.example" }),
        }, ct: Ct);

        await _rig.SyncAsync(connection, ct: Ct);

        var meeting = Assert.Single(await _rig.MeetingsAsync(ct: Ct));
        Assert.True(meeting.IsAllDay);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var midnight = day.ToDateTime(TimeOnly.MinValue);
        Assert.Equal(new DateTimeOffset(midnight, zone.GetUtcOffset(midnight)), meeting.StartTime);
        Assert.Equal(TimeSpan.FromDays(1), meeting.EndTime - meeting.StartTime);
        Assert.Equal("America/New_York", meeting.TimeZone);
    }

    [Fact]
    public async Task WeeklyMeeting_AcrossADstChange_KeepsItsLocalTime()
    {
        var connection = await _rig.ConnectAsync(Rep, Rep, ct: Ct);
        // London leaves summer time on the last Sunday of October: a 10:00 meeting moves from 09:00 to 10:00 UTC.
        var year = DateTime.UtcNow.Month >= 10 ? DateTime.UtcNow.Year + 1 : DateTime.UtcNow.Year;
        var lastSunday = new DateTime(year, 10, 31);
        while (lastSunday.DayOfWeek != DayOfWeek.Sunday) lastSunday = lastSunday.AddDays(-1);
        var before = lastSunday.AddDays(-6);
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        var first = new DateTimeOffset(before.AddHours(10), london.GetUtcOffset(before.AddHours(10)));
        var series = CalendarRig.GoogleEvent("Pipeline review", first, Rep, ["ada@engines.example"], zone: "Europe/London");
        series["recurrence"] = new JsonArray("RRULE:FREQ=WEEKLY;COUNT=2");
        await _rig.ImportGoogleAsync(Rep, series, ct: Ct);

        // The window must reach the autumn: a year either way.
        var settings = _rig.Factory.Services.GetRequiredService<Crm.Core.Integrations.Google.GoogleAppSettings>();
        settings.CalendarFutureDays = 400;
        settings.CalendarPastDays = 400;
        await _rig.SyncAsync(connection, ct: Ct);

        var meetings = await _rig.MeetingsAsync(ct: Ct);
        Assert.Equal(2, meetings.Count);
        Assert.Equal(9, meetings[0].StartTime.UtcDateTime.Hour);
        Assert.Equal(10, meetings[1].StartTime.UtcDateTime.Hour);
        Assert.All(meetings, m => Assert.Equal(10, TimeZoneInfo.ConvertTime(m.StartTime, london).Hour));
        Assert.All(meetings, m => Assert.Equal("Europe/London", m.TimeZone));
    }

    [Fact]
    public async Task SameInvitation_InTwoRepsCalendars_IsOneMeeting_OnBothCalendars()
    {
        const string other = "kim@first.example";
        var sam = await _rig.ConnectAsync(Rep, Rep, ct: Ct);
        var kim = await _rig.ConnectAsync(other, other, ct: Ct);
        var invitation = CalendarRig.GoogleEvent("Pricing call", Hour(2, 16), "ada@engines.example", [Rep, other], uid: "pricing-call-1@engines.example");
        await _rig.ImportGoogleAsync(Rep, invitation, ct: Ct);
        var kimsCopy = await _rig.ImportGoogleAsync(other, (JsonObject)invitation.DeepClone(), ct: Ct);

        await _rig.SyncAsync(sam, ct: Ct);
        await _rig.SyncAsync(kim, ct: Ct);

        var meeting = Assert.Single(await _rig.MeetingsAsync(ct: Ct));
        Assert.Equal("pricing-call-1@engines.example", meeting.MeetingKey);
        Assert.Equal([_rig.Reps[Rep].UserId, _rig.Reps[other].UserId], meeting.CalendarUserIds.Order());
        Assert.Contains(meeting.Attendees, a => a.Email == "ada@engines.example" && a.IsOrganizer);

        // Kim takes it off her calendar: the meeting stays (Ada organizes it, and Sam still has it), no longer on Kim's calendar.
        await _rig.DeleteGoogleAsync(other, kimsCopy, ct: Ct);
        await _rig.SyncAsync(kim, ct: Ct);
        var after = Assert.Single(await _rig.MeetingsAsync(ct: Ct));
        Assert.Null(after.CancelledAt);
        Assert.Equal([_rig.Reps[Rep].UserId], after.CalendarUserIds);
    }

    [Fact]
    public async Task ExpiredSyncToken_ReadsTheCalendarAgain_WithoutDoubles_AndNoticesWhatWasDeleted()
    {
        var connection = await _rig.ConnectAsync(Rep, Rep, ct: Ct);
        var keep = await _rig.ImportGoogleAsync(Rep, CalendarRig.GoogleEvent("Kick-off", Hour(3, 10), Rep, ["ada@engines.example"]), ct: Ct);
        var drop = await _rig.ImportGoogleAsync(Rep, CalendarRig.GoogleEvent("Follow-up", Hour(4, 10), Rep, ["ada@engines.example"]), ct: Ct);
        await _rig.SyncAsync(connection, ct: Ct);
        Assert.Equal(2, (await _rig.MeetingsAsync(ct: Ct)).Count);

        await _rig.Control.PostAsync($"/_sandbox/google/calendar/{Rep}/expire-sync-tokens", null, Ct);
        await _rig.DeleteGoogleAsync(Rep, drop, ct: Ct);
        await _rig.ImportGoogleAsync(Rep, CalendarRig.GoogleEvent("Contract review", Hour(5, 10), Rep, ["ada@engines.example"]), ct: Ct);
        var run = await _rig.SyncAsync(connection, ct: Ct);

        Assert.Equal(SyncRunOutcome.Succeeded, run.Outcome);
        var meetings = await _rig.MeetingsAsync(ct: Ct);
        Assert.Equal(["Kick-off", "Follow-up", "Contract review"], meetings.Select(m => m.Title));
        // The organizer's deleting a meeting still to come cancels it.
        Assert.NotNull(meetings.Single(m => m.Title == "Follow-up").CancelledAt);
        Assert.Null(meetings.Single(m => m.Title == "Kick-off").CancelledAt);
        Assert.Equal(keep, meetings.Single(m => m.Title == "Kick-off").ExternalEventId);

        // Nothing changed since: the next sync logs nothing again.
        var quiet = await _rig.SyncAsync(connection, ct: Ct);
        Assert.Equal(0, quiet.WrittenIn);
    }
}
