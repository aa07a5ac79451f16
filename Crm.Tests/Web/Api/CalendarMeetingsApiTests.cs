using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Crm.Core.Common;
using Crm.Core.Timeline;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Web.Api;

/// <summary>
/// A rep's calendar settings and meetings through the API, the calendar being Google's (the sandbox, over real HTTP):
/// two calendars chosen, a meeting scheduled here and found in Google, changed and cancelled there through the CRM,
/// its outcome; nobody else's connection or private meeting, nothing of another workspace.
/// </summary>
public class CalendarMeetingsApiTests : IAsyncLifetime
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

    private async Task<HttpResponseMessage> SendAsync(string rep, HttpMethod method, string path, object? body = null)
    {
        var session = _rig.Reps[rep].Session;
        return await session.Client.SendAsync(session.SameOrigin(method, path, body is null ? null : JsonContent.Create(body)), Ct);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private async Task<List<JsonObject>> GoogleEventsAsync(string calendarId) =>
        (await _rig.Control.GetFromJsonAsync<JsonArray>($"/_sandbox/google/calendar/{Rep}/calendars/{Uri.EscapeDataString(calendarId)}/events", Ct))!.OfType<JsonObject>().ToList();

    [Fact]
    public async Task RepChoosesTwoCalendars_SchedulesAMeeting_ItIsInGoogle_ChangesAndCancellationFollow_AndSyncDoesNotLogItTwice()
    {
        var sales = await _rig.Control.PostAsJsonAsync($"/_sandbox/google/calendar/{Rep}/calendars", new { id = "sales@group.calendar.google.com", summary = "Sales", timeZone = "Europe/Berlin" }, Ct);
        sales.EnsureSuccessStatusCode();
        var connection = await _rig.ConnectAsync(Rep, Rep, ct: Ct);
        var path = $"/api/v1/integrations/{connection.IntegrationId}/calendars";

        var listed = await JsonAsync(await SendAsync(Rep, HttpMethod.Get, path));
        var calendars = listed.GetProperty("calendars").EnumerateArray().ToList();
        Assert.Equal([Rep, "sales@group.calendar.google.com"], calendars.Select(c => c.GetProperty("id").GetString()));
        Assert.Equal([true, false], calendars.Select(c => c.GetProperty("selected").GetBoolean()));

        var unknown = await SendAsync(Rep, HttpMethod.Put, path, new { calendarIds = new[] { "nope@group.calendar.google.com" }, meetingsOnly = true });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var saved = await JsonAsync(await SendAsync(Rep, HttpMethod.Put, path,
            new { calendarIds = new[] { Rep, "sales@group.calendar.google.com" }, meetingsOnly = true, outCalendarId = "sales@group.calendar.google.com", direction = "bidirectional" }));
        Assert.All(saved.GetProperty("calendars").EnumerateArray(), c => Assert.True(c.GetProperty("selected").GetBoolean()));

        var start = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(3).AddHours(13), TimeSpan.Zero);
        var scheduled = await SendAsync(Rep, HttpMethod.Post, "/api/v1/meetings", new
        {
            title = "Renewal call", location = "https://meet.google.com/abc-defg-hij", startTime = start, endTime = start.AddMinutes(45), timeZone = "Europe/Berlin",
            contactIds = new[] { _rig.AdaId },
        });
        Assert.Equal(HttpStatusCode.Created, scheduled.StatusCode);
        var result = await JsonAsync(scheduled);
        Assert.True(result.GetProperty("calendar").GetProperty("placed").GetBoolean());
        Assert.Equal("Sales", result.GetProperty("calendar").GetProperty("calendar").GetString());
        var meetingId = result.GetProperty("meeting").GetProperty("id").GetInt64();
        Assert.Equal("https://meet.google.com/abc-defg-hij", result.GetProperty("meeting").GetProperty("meetingUrl").GetString());

        var placed = Assert.Single(await GoogleEventsAsync("sales@group.calendar.google.com"));
        Assert.Equal("Renewal call", placed["summary"]!.GetValue<string>());
        Assert.Equal("Europe/Berlin", placed["start"]!["timeZone"]!.GetValue<string>());
        Assert.Equal(start, DateTimeOffset.Parse(placed["start"]!["dateTime"]!.GetValue<string>()));
        Assert.Contains(placed["attendees"]!.AsArray(), a => a!["email"]!.GetValue<string>() == "ada@engines.example");

        // The next sync reads both calendars and recognises the meeting it placed.
        await _rig.SyncAsync(connection, ct: Ct);
        var meeting = Assert.Single(await _rig.MeetingsAsync(ct: Ct));
        Assert.Equal(meetingId, meeting.Id);
        Assert.Equal([_rig.Reps[Rep].UserId], meeting.CalendarUserIds);

        var moved = await JsonAsync(await SendAsync(Rep, HttpMethod.Patch, $"/api/v1/meetings/{meetingId}", new { startTime = start.AddHours(2) }));
        Assert.True(moved.GetProperty("calendar").GetProperty("placed").GetBoolean());
        var inGoogle = Assert.Single(await GoogleEventsAsync("sales@group.calendar.google.com"));
        Assert.Equal(start.AddHours(2), DateTimeOffset.Parse(inGoogle["start"]!["dateTime"]!.GetValue<string>()));
        Assert.Equal(start.AddHours(2).AddMinutes(45), DateTimeOffset.Parse(inGoogle["end"]!["dateTime"]!.GetValue<string>()));

        // Not yet held: "completed" is refused, "rescheduled" is fine.
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(Rep, HttpMethod.Put, $"/api/v1/meetings/{meetingId}/outcome", new { outcome = "completed" })).StatusCode);

        var cancelled = await JsonAsync(await SendAsync(Rep, HttpMethod.Post, $"/api/v1/meetings/{meetingId}/cancel"));
        Assert.Equal("cancelled", cancelled.GetProperty("meeting").GetProperty("meetingOutcome").GetString());
        Assert.Equal("cancelled", Assert.Single(await GoogleEventsAsync("sales@group.calendar.google.com"))["status"]!.GetValue<string>());
        await _rig.SyncAsync(connection, ct: Ct);
        Assert.Single(await _rig.MeetingsAsync(ct: Ct));
    }

    [Fact]
    public async Task OutcomeAfterTheMeeting_IsSaved_WithNotes_AndUpcomingListsOnlyWhatIsToCome()
    {
        await _rig.ConnectAsync(Rep, Rep, ct: Ct);
        var past = DateTimeOffset.UtcNow.AddDays(-1);
        var held = await JsonAsync(await SendAsync(Rep, HttpMethod.Post, "/api/v1/meetings",
            new { title = "Discovery", startTime = past, endTime = past.AddHours(1), contactIds = new[] { _rig.AdaId } }));
        var soon = DateTimeOffset.UtcNow.AddDays(2);
        await JsonAsync(await SendAsync(Rep, HttpMethod.Post, "/api/v1/meetings",
            new { title = "Proposal", startTime = soon, endTime = soon.AddHours(1), contactIds = new[] { _rig.AdaId } }));
        var id = held.GetProperty("meeting").GetProperty("id").GetInt64();

        var outcome = await JsonAsync(await SendAsync(Rep, HttpMethod.Put, $"/api/v1/meetings/{id}/outcome", new { outcome = "noShow", notes = "Ada did not join; rebook." }));
        Assert.Equal("noShow", outcome.GetProperty("meetingOutcome").GetString());
        var bad = await SendAsync(Rep, HttpMethod.Put, $"/api/v1/meetings/{id}/outcome", new { outcome = "great" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var upcoming = await JsonAsync(await SendAsync(Rep, HttpMethod.Get, $"/api/v1/meetings/upcoming?recordType=contact&recordId={_rig.AdaId}"));
        Assert.Equal(["Proposal"], upcoming.EnumerateArray().Select(m => m.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task AnotherRep_CannotReadMyCalendarConnection_NorSeeMyPrivateMeeting_AndAnotherWorkspaceSeesNothing()
    {
        const string other = "kim@first.example";
        var mine = await _rig.ConnectAsync(Rep, Rep, ct: Ct);
        await _rig.ConnectAsync(other, other, ct: Ct);
        var secret = CalendarRig.GoogleEvent("Acquisition talks", DateTimeOffset.UtcNow.AddDays(1), Rep, ["ada@engines.example"]);
        secret["visibility"] = "private";
        secret["location"] = "https://acme.zoom.us/j/98765432109";
        await _rig.ImportGoogleAsync(Rep, secret, ct: Ct);
        await _rig.SyncAsync(mine, ct: Ct);

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(other, HttpMethod.Get, $"/api/v1/integrations/{mine.IntegrationId}/calendars")).StatusCode);
        var theirs = await JsonAsync(await SendAsync(other, HttpMethod.Get, $"/api/v1/meetings/upcoming?recordType=contact&recordId={_rig.AdaId}"));
        var shown = Assert.Single(theirs.EnumerateArray());
        Assert.Equal("Private meeting", shown.GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Null, shown.GetProperty("meetingUrl").ValueKind);
        var timeline = await (await SendAsync(other, HttpMethod.Get, $"/api/v1/activities?contactId={_rig.AdaId}")).Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("Acquisition", timeline, StringComparison.Ordinal);
        var own = await JsonAsync(await SendAsync(Rep, HttpMethod.Get, $"/api/v1/meetings/upcoming?recordType=contact&recordId={_rig.AdaId}"));
        Assert.Equal("Acquisition talks", Assert.Single(own.EnumerateArray()).GetProperty("title").GetString());
        var meetingId = Assert.Single(await _rig.MeetingsAsync(ct: Ct)).Id;
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(other, HttpMethod.Put, $"/api/v1/meetings/{meetingId}/outcome", new { outcome = "cancelled" })).StatusCode);

        var stranger = await _rig.Factory.ClientWithKeyAsync(await _rig.Factory.CreateWorkspaceAsync("Other"));
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/integrations/{mine.IntegrationId}/calendars", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PutAsJsonAsync($"/api/v1/meetings/{meetingId}/outcome", new { outcome = "cancelled" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/meetings/upcoming?recordType=contact&recordId={_rig.AdaId}", Ct)).StatusCode);
    }
}
