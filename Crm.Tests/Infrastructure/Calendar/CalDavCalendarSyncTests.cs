using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Timeline;
using Crm.Tests.TestSupport;

namespace Crm.Tests.Infrastructure.Calendar;

/// <summary>
/// An Apple-style CalDAV calendar against Radicale, a real CalDAV server: connected with an app-specific password
/// (tried first, address checked), discovery, sync-collection, Ical.Net series with overrides and EXDATEs, deletions,
/// and a meeting scheduled in the CRM written to the server.
/// </summary>
public class CalDavCalendarSyncTests : IAsyncLifetime
{
    private const string Rep = "sam@first.example";
    private const string User = "sam";
    private const string AppPassword = "abcd-efgh-ijkl-mnop";
    private RadicaleServer _radicale = default!;
    private CalendarRig _rig = default!;
    private HttpClient _dav = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _radicale = await RadicaleServer.StartAsync(new Dictionary<string, string> { [User] = AppPassword }, Ct);
        _rig = await CalendarRig.StartAsync("caldav", settings: _ => new Dictionary<string, string> { ["Integrations:CalDav:AllowedPrivateHosts:0"] = "127.0.0.1" }, ct: Ct);
        _dav = _radicale.ClientFor(User, AppPassword);
        await RadicaleServer.MakeCalendarAsync(_dav, "/sam/work/", "Work", Ct);
        await RadicaleServer.MakeCalendarAsync(_dav, "/sam/home/", "Home", Ct);
    }

    public async ValueTask DisposeAsync()
    {
        _dav.Dispose();
        await _rig.DisposeAsync();
        await _radicale.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private async Task<ConnectionRef> ConnectAsync()
    {
        var (userId, session) = await _rig.AddRepAsync(Rep);
        var response = await session.Client.SendAsync(session.SameOrigin(HttpMethod.Post, "/api/v1/integrations/caldav",
            JsonContent.Create(new { serverUrl = _radicale.Url + "/", username = User, password = AppPassword })), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        var id = JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt64();
        var connection = new ConnectionRef(_rig.Factory.FirstWorkspaceId, id, "caldav");
        _rig.Remember(Rep, connection, userId, session);
        return connection;
    }

    private static string Utc(DateTime at) => at.ToString("yyyyMMdd'T'HHmmss'Z'");

    private static DateTime Day(int days) => DateTime.UtcNow.Date.AddDays(days);

    [Fact]
    public async Task Connecting_WithAWrongPassword_Or_APrivateAddress_IsRefused_AndNothingIsSaved()
    {
        var (_, session) = await _rig.AddRepAsync(Rep);
        var wrong = await session.Client.SendAsync(session.SameOrigin(HttpMethod.Post, "/api/v1/integrations/caldav",
            JsonContent.Create(new { serverUrl = _radicale.Url + "/", username = User, password = "not-it" })), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("app-specific password", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var metadata = await session.Client.SendAsync(session.SameOrigin(HttpMethod.Post, "/api/v1/integrations/caldav",
            JsonContent.Create(new { serverUrl = "https://169.254.169.254/", username = User, password = AppPassword })), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, metadata.StatusCode);
        var plain = await session.Client.SendAsync(session.SameOrigin(HttpMethod.Post, "/api/v1/integrations/caldav",
            JsonContent.Create(new { serverUrl = "http://calendar.example/", username = User, password = AppPassword })), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Empty(await _rig.MeetingsAsync(ct: Ct));
        var list = await session.Client.SendAsync(session.SameOrigin(HttpMethod.Get, "/api/v1/integrations"), Ct);
        Assert.DoesNotContain("caldav", await list.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_ReadsTheChosenCalendar_SeriesWithOverridesAndExdates_ThenChangesAndDeletionsBySyncCollection()
    {
        var connection = await ConnectAsync();
        var start = Day(2).AddHours(9);
        await RadicaleServer.PutAsync(_dav, "/sam/work/demo.ics", $"""
            BEGIN:VCALENDAR
            VERSION:2.0
            PRODID:-//Apple Inc.//macOS 15.0//EN
            BEGIN:VEVENT
            UID:demo-1@icloud.example
            DTSTAMP:{Utc(DateTime.UtcNow)}
            DTSTART:{Utc(start)}
            DTEND:{Utc(start.AddHours(1))}
            SUMMARY:Demo for Ada
            LOCATION:https://meet.google.com/abc-defg-hij
            ORGANIZER;CN=Sam:mailto:sam@first.example
            ATTENDEE;CN=Ada Lovelace;PARTSTAT=ACCEPTED:mailto:ada@engines.example
            ATTENDEE;CUTYPE=ROOM;CN=Room 4:mailto:room4@first.example
            END:VEVENT
            END:VCALENDAR
            """, Ct);
        var series = Day(3).AddHours(16);
        await RadicaleServer.PutAsync(_dav, "/sam/work/weekly.ics", $"""
            BEGIN:VCALENDAR
            VERSION:2.0
            PRODID:-//Apple Inc.//macOS 15.0//EN
            BEGIN:VEVENT
            UID:weekly-1@icloud.example
            DTSTAMP:{Utc(DateTime.UtcNow)}
            DTSTART:{Utc(series)}
            DTEND:{Utc(series.AddMinutes(30))}
            RRULE:FREQ=WEEKLY;COUNT=4
            EXDATE:{Utc(series.AddDays(14))}
            SUMMARY:Weekly with Ada
            ORGANIZER:mailto:sam@first.example
            ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:ada@engines.example
            END:VEVENT
            BEGIN:VEVENT
            UID:weekly-1@icloud.example
            DTSTAMP:{Utc(DateTime.UtcNow)}
            RECURRENCE-ID:{Utc(series.AddDays(7))}
            DTSTART:{Utc(series.AddDays(8))}
            DTEND:{Utc(series.AddDays(8).AddMinutes(30))}
            SUMMARY:Weekly with Ada (moved)
            ORGANIZER:mailto:sam@first.example
            ATTENDEE;PARTSTAT=ACCEPTED:mailto:ada@engines.example
            END:VEVENT
            END:VCALENDAR
            """, Ct);
        // The home calendar is not chosen: its meeting is not read.
        await RadicaleServer.PutAsync(_dav, "/sam/home/dinner.ics", $"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VEVENT\nUID:dinner@x\nDTSTAMP:{Utc(DateTime.UtcNow)}\nDTSTART:{Utc(start)}\nDTEND:{Utc(start.AddHours(2))}\nSUMMARY:Dinner\nATTENDEE:mailto:ada@engines.example\nEND:VEVENT\nEND:VCALENDAR\n", Ct);

        var run = await _rig.SyncAsync(connection, ct: Ct);

        Assert.Equal(SyncRunOutcome.Succeeded, run.Outcome);
        var meetings = await _rig.MeetingsAsync(ct: Ct);
        Assert.Equal(["Demo for Ada", "Weekly with Ada", "Weekly with Ada (moved)", "Weekly with Ada"], meetings.Select(m => m.Title));
        Assert.Equal([start, series, series.AddDays(8), series.AddDays(21)], meetings.Select(m => m.StartTime.UtcDateTime));
        Assert.All(meetings, m => Assert.Equal(MeetingSource.CalDav, m.Source));
        Assert.Equal("https://meet.google.com/abc-defg-hij", meetings[0].MeetingUrl);
        Assert.DoesNotContain(meetings[0].Attendees, a => a.Email.StartsWith("room4", StringComparison.Ordinal));
        Assert.Equal("weekly-1@icloud.example/" + Utc(series.AddDays(7)), meetings[2].MeetingKey);

        // The demo is deleted by its organizer; the series loses its last occurrence (EXDATE).
        Assert.True((await _dav.DeleteAsync("/sam/work/demo.ics", Ct)).IsSuccessStatusCode);
        var weekly = await _dav.GetStringAsync("/sam/work/weekly.ics", Ct);
        await RadicaleServer.PutAsync(_dav, "/sam/work/weekly.ics", weekly.Replace($"EXDATE:{Utc(series.AddDays(14))}", $"EXDATE:{Utc(series.AddDays(14))},{Utc(series.AddDays(21))}"), Ct);
        await _rig.SyncAsync(connection, ct: Ct);

        var after = await _rig.MeetingsAsync(ct: Ct);
        Assert.Equal(4, after.Count);
        Assert.Equal(["Demo for Ada", "Weekly with Ada"], after.Where(m => m.CancelledAt is not null).Select(m => m.Title));
        Assert.Equal(series.AddDays(21), after.Single(m => m.CancelledAt is not null && m.Title == "Weekly with Ada").StartTime.UtcDateTime);
        Assert.Equal(0, (await _rig.SyncAsync(connection, ct: Ct)).WrittenIn);
    }

    [Fact]
    public async Task AMeetingScheduledInTheCrm_IsWrittenToTheCalDavCalendar()
    {
        var connection = await ConnectAsync();
        var session = _rig.Reps[Rep].Session;
        var settings = await session.Client.SendAsync(session.SameOrigin(HttpMethod.Get, $"/api/v1/integrations/{connection.IntegrationId}/calendars"), Ct);
        var calendars = JsonDocument.Parse(await settings.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("calendars").EnumerateArray()
            .Select(c => c.GetProperty("id").GetString()!).ToList();
        Assert.Equal(2, calendars.Count);
        var work = calendars.Single(c => c.EndsWith("/sam/work/", StringComparison.Ordinal));
        var saved = await session.Client.SendAsync(session.SameOrigin(HttpMethod.Put, $"/api/v1/integrations/{connection.IntegrationId}/calendars",
            JsonContent.Create(new { calendarIds = new[] { work }, meetingsOnly = true, outCalendarId = work, direction = "bidirectional" })), Ct);
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync(Ct));

        var start = new DateTimeOffset(Day(4).AddHours(11), TimeSpan.Zero);
        var scheduled = await session.Client.SendAsync(session.SameOrigin(HttpMethod.Post, "/api/v1/meetings", JsonContent.Create(new
        {
            title = "Pricing", startTime = start, endTime = start.AddHours(1), timeZone = "Europe/Paris", contactIds = new[] { _rig.AdaId },
        })), Ct);
        var body = await scheduled.Content.ReadAsStringAsync(Ct);
        Assert.True(scheduled.IsSuccessStatusCode, body);
        Assert.Contains("\"placed\":true", body, StringComparison.Ordinal);

        var listing = await _dav.SendAsync(new HttpRequestMessage(new HttpMethod("PROPFIND"), "/sam/work/") { Headers = { { "Depth", "1" } } }, Ct);
        var href = System.Text.RegularExpressions.Regex.Match(await listing.Content.ReadAsStringAsync(Ct), @"/sam/work/[^<]+\.ics").Value;
        var ics = await _dav.GetStringAsync(href, Ct);
        Assert.Contains("SUMMARY:Pricing", ics, StringComparison.Ordinal);
        Assert.Contains("mailto:ada@engines.example", ics, StringComparison.Ordinal);
        Assert.Contains("TZID=Europe/Paris", ics, StringComparison.Ordinal);

        await _rig.SyncAsync(connection, ct: Ct);
        var meeting = Assert.Single(await _rig.MeetingsAsync(ct: Ct));
        Assert.Equal(start, meeting.StartTime);
    }
}
