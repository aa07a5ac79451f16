using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Crm.Core.Integrations.Sync;
using Crm.Core.Timeline;
using Crm.Tests.TestSupport;

namespace Crm.Tests.Infrastructure.Calendar;

/// <summary>A rep's Outlook calendar through the Microsoft Graph SDK against the sandbox over real HTTP.</summary>
public class OutlookCalendarSyncTests : IAsyncLifetime
{
    private const string Rep = "riley@first.example";
    private CalendarRig _rig = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _rig = await CalendarRig.StartAsync("microsoft", ct: Ct);

    public async ValueTask DisposeAsync()
    {
        await _rig.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static DateTime Day(int daysFromNow) => DateTime.UtcNow.Date.AddDays(daysFromNow);

    [Fact]
    public async Task MeetingInAWindowsTimeZone_IsLoggedAtTheRightInstant_WithItsTeamsLink()
    {
        var connection = await _rig.ConnectAsync(Rep, Rep, ct: Ct);
        var wall = DateTime.SpecifyKind(Day(5).AddHours(9), DateTimeKind.Unspecified);
        var meeting = CalendarRig.GraphEvent("Security review", wall, "Pacific Standard Time", Rep, ["ada@engines.example", "lee@first.example"]);
        meeting["onlineMeeting"] = new JsonObject { ["joinUrl"] = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%7d" };
        meeting["attendees"]!.AsArray().Add(new JsonObject { ["type"] = "resource", ["emailAddress"] = new JsonObject { ["address"] = "room-4@first.example" } });
        await _rig.ImportGraphAsync(Rep, meeting, ct: Ct);

        var run = await _rig.SyncAsync(connection, ct: Ct);

        Assert.Equal(SyncRunOutcome.Succeeded, run.Outcome);
        var logged = Assert.Single(await _rig.MeetingsAsync(ct: Ct));
        var pacific = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
        Assert.Equal(new DateTimeOffset(wall, pacific.GetUtcOffset(wall)), logged.StartTime);
        Assert.Equal("America/Los_Angeles", logged.TimeZone);
        Assert.Equal(MeetingSource.Outlook, logged.Source);
        Assert.StartsWith("https://teams.microsoft.com/l/meetup-join/", logged.MeetingUrl);
        Assert.DoesNotContain(logged.Attendees, a => a.Email.StartsWith("room-4", StringComparison.Ordinal));
        Assert.Equal(_rig.AdaId, logged.ContactId);
    }

    [Fact]
    public async Task RecurringSeries_MovedAndDeletedOccurrences_ThenAnOrganizersCancellation_FollowOnTheTimeline()
    {
        var connection = await _rig.ConnectAsync(Rep, Rep, ct: Ct);
        var series = CalendarRig.GraphEvent("Weekly sync", Day(1).AddHours(15), "UTC", "ada@engines.example", [Rep, "ada@engines.example"]);
        series["recurrence"] = new JsonObject
        {
            ["pattern"] = new JsonObject { ["type"] = "weekly", ["interval"] = 1, ["daysOfWeek"] = new JsonArray(Day(1).DayOfWeek.ToString().ToLowerInvariant()) },
            ["range"] = new JsonObject { ["type"] = "numbered", ["startDate"] = Day(1).ToString("yyyy-MM-dd"), ["numberOfOccurrences"] = 4 },
        };
        var id = await _rig.ImportGraphAsync(Rep, series, ct: Ct);
        string Occurrence(int week) => $"{id}_occ_{Day(1 + 7 * week).AddHours(15):yyyyMMdd'T'HHmmss'Z'}";
        await _rig.ChangeGraphAsync(Rep, Occurrence(1), new JsonObject
        {
            ["start"] = new JsonObject { ["dateTime"] = Day(9).AddHours(11).ToString("yyyy-MM-dd'T'HH:mm:ss"), ["timeZone"] = "UTC" },
            ["end"] = new JsonObject { ["dateTime"] = Day(9).AddHours(12).ToString("yyyy-MM-dd'T'HH:mm:ss"), ["timeZone"] = "UTC" },
        }, Ct);
        await _rig.DeleteGraphAsync(Rep, Occurrence(2), Ct);

        await _rig.SyncAsync(connection, ct: Ct);
        Assert.Equal([Day(1).AddHours(15), Day(9).AddHours(11), Day(22).AddHours(15)], (await _rig.MeetingsAsync(ct: Ct)).Select(m => m.StartTime.UtcDateTime));

        // Ada cancels the last one: Outlook marks the rep's copy cancelled.
        await _rig.ChangeGraphAsync(Rep, Occurrence(3), new JsonObject { ["isCancelled"] = true, ["subject"] = "Canceled: Weekly sync" }, Ct);
        await _rig.SyncAsync(connection, ct: Ct);

        var meetings = await _rig.MeetingsAsync(ct: Ct);
        Assert.Equal(3, meetings.Count);
        var cancelled = Assert.Single(meetings, m => m.CancelledAt is not null);
        Assert.Equal(Day(22).AddHours(15), cancelled.StartTime.UtcDateTime);
        Assert.Equal(MeetingOutcome.Cancelled, cancelled.Outcome);
    }

    [Fact]
    public async Task ExpiredDeltaToken_StartsANewRound_WithoutDoubles_AndNoticesTheDeletion()
    {
        var connection = await _rig.ConnectAsync(Rep, Rep, ct: Ct);
        await _rig.ImportGraphAsync(Rep, CalendarRig.GraphEvent("Kick-off", Day(2).AddHours(10), "W. Europe Standard Time", Rep, ["ada@engines.example"]), ct: Ct);
        var drop = await _rig.ImportGraphAsync(Rep, CalendarRig.GraphEvent("Follow-up", Day(3).AddHours(10), "W. Europe Standard Time", Rep, ["ada@engines.example"]), ct: Ct);
        await _rig.SyncAsync(connection, ct: Ct);
        Assert.Equal(2, (await _rig.MeetingsAsync(ct: Ct)).Count);

        await _rig.Control.PostAsync($"/_sandbox/microsoft/calendar/{Rep}/expire-delta", null, Ct);
        await _rig.DeleteGraphAsync(Rep, drop, Ct);
        await _rig.ImportGraphAsync(Rep, CalendarRig.GraphEvent("Contract", Day(4).AddHours(10), "W. Europe Standard Time", Rep, ["ada@engines.example"]), ct: Ct);
        var run = await _rig.SyncAsync(connection, ct: Ct);

        Assert.Equal(SyncRunOutcome.Succeeded, run.Outcome);
        var meetings = await _rig.MeetingsAsync(ct: Ct);
        Assert.Equal(["Kick-off", "Follow-up", "Contract"], meetings.Select(m => m.Title));
        Assert.NotNull(meetings.Single(m => m.Title == "Follow-up").CancelledAt);
        Assert.Equal(0, (await _rig.SyncAsync(connection, ct: Ct)).WrittenIn);
    }

    [Fact]
    public async Task AMeetingScheduledInTheCrm_IsCreatedInOutlook_WithTheContactInvited()
    {
        var connection = await _rig.ConnectAsync(Rep, Rep, ct: Ct);
        await _rig.SyncAsync(connection, ct: Ct);
        var session = _rig.Reps[Rep].Session;
        var start = new DateTimeOffset(Day(6).AddHours(14), TimeSpan.Zero);
        var response = await session.Client.SendAsync(session.SameOrigin(HttpMethod.Post, "/api/v1/meetings", JsonContent.Create(new
        {
            title = "Onboarding", startTime = start, endTime = start.AddHours(1), timeZone = "Pacific Standard Time", contactIds = new[] { _rig.AdaId },
        })), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, body);
        Assert.Contains("\"placed\":true", body, StringComparison.Ordinal);

        var events = (await _rig.Control.GetFromJsonAsync<JsonArray>($"/_sandbox/microsoft/calendar/{Rep}/calendars/default/events", Ct))!;
        var created = Assert.Single(events)!.AsObject();
        Assert.Equal("Onboarding", created["subject"]!.GetValue<string>());
        Assert.Contains(created["attendees"]!.AsArray(), a => a!["emailAddress"]!["address"]!.GetValue<string>() == "ada@engines.example");

        await _rig.SyncAsync(connection, ct: Ct);
        var meeting = Assert.Single(await _rig.MeetingsAsync(ct: Ct));
        Assert.Equal(start, meeting.StartTime);
        Assert.Equal("America/Los_Angeles", meeting.TimeZone);
    }
}
