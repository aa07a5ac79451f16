using Bunit;
using Crm.Core.Timeline;
using Crm.Web.Components.Shared;
using MudBlazor;

namespace Crm.Tests.Web.Components;

public class TimelineEntryViewTests : ComponentTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private IRenderedComponent<MudTimeline> RenderEntries(params TimelineEntry[] entries) =>
        Render<MudTimeline>(p => p.AddChildContent(builder =>
        {
            foreach (var entry in entries)
            {
                builder.OpenComponent<TimelineEntryView>(0);
                builder.AddAttribute(1, nameof(TimelineEntryView.Entry), entry);
                builder.AddAttribute(2, nameof(TimelineEntryView.Now), Now);
                builder.AddAttribute(3, nameof(TimelineEntryView.ShowContact), true);
                builder.CloseComponent();
            }
        }));

    private static TimelineEntry Entry(Activity activity, long id)
    {
        activity.Id = id;
        activity.OccurredAt = Now.AddHours(-id);
        return new TimelineEntry(activity, "Ada Lovelace", id == 3 ? "Engine deal" : null, "Riley Rep");
    }

    [Fact]
    public void EveryActivityType_RendersItsOwnDetails()
    {
        var timeline = RenderEntries(
            Entry(new NoteActivity { Body = "Prefers email." }, 1),
            Entry(new TaskActivity { Title = "Send proposal", DueAt = Now.AddDays(-1) }, 2),
            Entry(new CallActivity { Direction = ActivityDirection.Inbound, Outcome = CallOutcome.LeftVoicemail, DurationSeconds = 95, PhoneNumber = "+44 20 7946 0958" }, 3),
            Entry(new EmailActivity { Subject = "Pricing for 2027", From = "me@crm.example", To = ["ada@example.com"], Cc = ["boss@example.com"], Provider = EmailProvider.Gmail, OpenCount = 2, Body = "Hi Ada" }, 4),
            Entry(new MeetingActivity
            {
                Title = "Product demo", StartTime = Now.AddDays(1), EndTime = Now.AddDays(1).AddMinutes(45), Location = "Video call",
                MeetingUrl = "https://meet.example/abc", Outcome = MeetingOutcome.Completed,
                Attendees = [new MeetingAttendee("ada@example.com", "Ada Lovelace", AttendeeResponse.Accepted, false), new MeetingAttendee("me@crm.example", "Me", AttendeeResponse.Accepted, true)],
            }, 5));

        var items = timeline.FindAll(".timeline-entry");
        Assert.Equal(["note", "task", "call", "email", "meeting"], items.Select(i => i.GetAttribute("data-type")));

        Assert.Contains("Prefers email.", items[0].TextContent);
        Assert.Contains("Send proposal", items[1].TextContent);
        Assert.Contains("overdue", items[1].TextContent);
        Assert.Contains("Inbound call · Left voicemail", items[2].TextContent);
        Assert.Contains("1m 35s", items[2].TextContent);
        Assert.Contains("deal: Engine deal", items[2].TextContent);
        Assert.Contains("Pricing for 2027", items[3].TextContent);
        Assert.Contains("cc boss@example.com", items[3].TextContent);
        Assert.Contains("Gmail", items[3].TextContent);
        Assert.Contains("opened 2×", items[3].TextContent);
        Assert.Contains("Product demo", items[4].TextContent);
        Assert.Contains("Me (organizer)", items[4].TextContent);
        Assert.Contains("Completed", items[4].TextContent);
        Assert.Equal("https://meet.example/abc", items[4].QuerySelector("a[href^='https://meet']")?.GetAttribute("href"));
        Assert.All(items, i => Assert.Contains("with Ada Lovelace", i.TextContent));
        Assert.All(items, i => Assert.Contains("Riley Rep", i.TextContent));
    }

    [Fact]
    public void DoneTask_IsStruckThroughAndNotOverdue()
    {
        var timeline = RenderEntries(Entry(new TaskActivity { Title = "Call back", DueAt = Now.AddDays(-3), IsDone = true }, 1));

        var entry = timeline.Find(".timeline-entry");
        Assert.DoesNotContain("overdue", entry.TextContent);
        Assert.Contains("line-through", entry.InnerHtml);
    }

    [Fact]
    public void ATasksDueDate_AndWhenItWasAdded_AreTwoLines_NeverOneRunOfDates()
    {
        var timeline = RenderEntries(Entry(new TaskActivity { Title = "Send terms", DueAt = Now.AddDays(2), OccurredAt = Now.AddDays(-1) }, 1));

        var due = timeline.Find(".timeline-entry .task-due");
        var meta = timeline.Find(".timeline-entry .entry-meta");
        Assert.Equal(("DIV", "DIV"), (due.TagName, meta.TagName));
        Assert.StartsWith("Due ", due.TextContent.Trim());
        Assert.StartsWith("Added ", meta.TextContent.Trim());
    }

    [Fact]
    public void LongEmailBody_IsShortenedUntilExpanded()
    {
        var body = string.Concat(Enumerable.Repeat("word ", 100)) + "THE-END";
        var timeline = RenderEntries(Entry(new EmailActivity { Subject = "Long", From = "a@b.example", To = ["c@d.example"], Body = body }, 1));

        Assert.DoesNotContain("THE-END", timeline.Markup);
        timeline.Find(".timeline-entry .mud-link").Click();
        Assert.Contains("THE-END", timeline.Markup);
    }

    [Fact]
    public void AnEmailsFormattedBody_ShowsOnExpanding_AsStoredSanitised()
    {
        var timeline = RenderEntries(Entry(new EmailActivity
        {
            Subject = "Formatted", From = "a@b.example", To = ["c@d.example"], Provider = EmailProvider.LoggingAddress,
            Body = "Hello in plain text", HtmlBody = "<p>Hello in <b>bold</b></p>", AttachmentCount = 2,
        }, 1));

        Assert.Contains("Hello in plain text", timeline.Markup);
        Assert.Contains("BCC / forward", timeline.Markup);
        Assert.Contains("2 attachments", timeline.Markup);
        timeline.Find(".timeline-entry .mud-link").Click();
        Assert.Contains("<b>bold</b>", timeline.Find(".crm-email-html").InnerHtml);
    }

    [Fact]
    public void AnEmailWhoseBodyTheViewerMayNotRead_SaysSo_AndShowsSubjectAndParticipants()
    {
        var email = new EmailActivity { Id = 1, Subject = "Private", From = "a@b.example", To = ["c@d.example"], OccurredAt = Now };
        var timeline = RenderEntries(new TimelineEntry(email, "Ada Lovelace", null, "Riley Rep", BodyHidden: true));

        Assert.Contains("Private", timeline.Markup);
        Assert.Contains("c@d.example", timeline.Markup);
        Assert.Contains("Only the people whose mailbox had this email can read it.", timeline.Find(".email-body-hidden").TextContent);
    }

    [Fact]
    public void AMeeting_OffersItsOutcome_OnlyOnceItHasStarted_AndNotWhenCancelled_AndAnAllDayOneShowsItsDate()
    {
        Render<MudPopoverProvider>();
        var timeline = RenderEntries(
            Entry(new MeetingActivity { Title = "Held", StartTime = Now.AddHours(-2), EndTime = Now.AddHours(-1) }, 1),
            Entry(new MeetingActivity { Title = "To come", StartTime = Now.AddDays(2), EndTime = Now.AddDays(2).AddHours(1) }, 2),
            Entry(new MeetingActivity { Title = "Called off", StartTime = Now.AddHours(-5), EndTime = Now.AddHours(-4), CancelledAt = Now.AddDays(-1), Outcome = MeetingOutcome.Cancelled }, 3),
            Entry(new MeetingActivity { Title = "Offsite", StartTime = new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero), EndTime = new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero),
                IsAllDay = true, TimeZone = "America/Los_Angeles" }, 4));

        var items = timeline.FindAll(".timeline-entry");
        Assert.Single(items[0].QuerySelectorAll(".meeting-outcome-select"));
        Assert.Empty(items[1].QuerySelectorAll(".meeting-outcome-select"));
        Assert.Empty(items[2].QuerySelectorAll(".meeting-outcome-select"));
        Assert.Contains("cancelled", items[2].TextContent);
        Assert.Contains("5 Dec 2026 (all day)", items[3].TextContent);
    }
}
