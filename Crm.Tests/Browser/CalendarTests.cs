using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Crm.Tests.Browser;

/// <summary>A rep's calendar: connected, two of its calendars chosen, a meeting with a contact on the timeline, its outcome set.</summary>
[Collection(LiveAppCollection.Name)]
public class CalendarTests(LiveAppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARep_ConnectsGoogleCalendar_ChoosesTwoCalendars_SeesAMeetingWithAContact_AndSetsItsOutcome()
    {
        const string account = "riley.calendar@gmail.test";
        var page = await app.Browser.NewPageAsync();
        await page.SignInAsync(app.Web.BaseUrl, "rep@example.com", "rep-password-1", "/me/connections");
        var contacts = await page.APIRequest.GetAsync($"{app.Web.BaseUrl}/api/v1/contacts?pageSize=1&sort=name");
        var contact = (await contacts.JsonAsync())!.Value.GetProperty("items")[0];
        var (contactId, contactEmail) = (contact.GetProperty("id").GetInt64(), contact.GetProperty("email").GetString()!);

        // The account has its own calendar and a team calendar; yesterday's meeting with the contact is in the team one.
        var title = $"Quarterly review {Guid.NewGuid():N}"[..26];
        using (var sandbox = new HttpClient { BaseAddress = new Uri(app.Sandbox.BaseUrl) })
        {
            (await sandbox.PostAsJsonAsync($"/_sandbox/google/calendar/{account}/calendars", new { id = "team@group.calendar.google.com", summary = "Team" }, Ct)).EnsureSuccessStatusCode();
            var start = DateTimeOffset.UtcNow.AddDays(-1);
            (await sandbox.PostAsJsonAsync($"/_sandbox/google/calendar/{account}/calendars/team@group.calendar.google.com/events", new JsonObject
            {
                ["summary"] = title, ["location"] = "https://meet.google.com/abc-defg-hij",
                ["start"] = new JsonObject { ["dateTime"] = start.ToString("yyyy-MM-dd'T'HH:mm:ssK") },
                ["end"] = new JsonObject { ["dateTime"] = start.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ssK") },
                ["organizer"] = new JsonObject { ["email"] = account },
                ["attendees"] = new JsonArray(new JsonObject { ["email"] = account, ["organizer"] = true }, new JsonObject { ["email"] = contactEmail, ["responseStatus"] = "accepted" }),
            }, Ct)).EnsureSuccessStatusCode();
        }

        await page.ClickAsync("#connect-google-calendar");
        await page.FillAsync("#account", account);
        await page.ClickAsync("#grant");
        await page.WaitForURLAsync(url => url.EndsWith("/me/connections", StringComparison.Ordinal));
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("#status-google-calendar")).ToHaveTextAsync("Connected");

        await page.ClickAsync("#calendars-google-calendar");
        await page.WaitForURLAsync(url => url.Contains("/calendars", StringComparison.Ordinal));
        await page.WaitForInteractiveAsync();
        var primary = page.GetByLabel($"{account} (primary)");
        var team = page.GetByLabel("Team");
        await Expect(primary).ToBeCheckedAsync();
        await Expect(team).Not.ToBeCheckedAsync();
        await team.CheckAsync();
        await page.ClickAsync("#save-calendars");
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Saved");

        await page.GotoAsync($"{app.Web.BaseUrl}/me/connections");
        await page.WaitForInteractiveAsync();
        await page.ClickAsync("#sync-now-google-calendar");
        var timeline = await page.WaitForTimelineAsync(app.Web.BaseUrl, contactId, title, Ct);
        var entry = timeline.Locator(".timeline-entry[data-type=meeting]", new() { HasText = title });
        await Expect(entry).ToBeVisibleAsync();
        await Expect(entry).ToContainTextAsync("Join link");

        await entry.Locator(".meeting-outcome-select").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "Completed" }).ClickAsync();
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Marked completed");
        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        await Expect(timeline.Locator(".timeline-entry[data-type=meeting]", new() { HasText = title }).Locator(".meeting-outcome")).ToContainTextAsync("Completed");
    }
}
