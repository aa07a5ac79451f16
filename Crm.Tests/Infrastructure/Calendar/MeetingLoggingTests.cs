using Crm.Core.Accounts;
using Crm.Core.Calendar;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Deals;
using Crm.Core.Timeline;
using Crm.Core.Users;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Calendar;

/// <summary>The meeting log on real SQLite files: workspaces kept apart, events without contacts kept to their owner, the one open deal suggested.</summary>
public class MeetingLoggingTests : WorkspaceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private long _rep;
    private long _teammate;
    private long _ada;
    private long _calendar;

    private async Task SeedAsync()
    {
        await using var db = Host.Database.Create(Ws.Admin());
        var rep = new User { Email = "riley@acme.example", Name = "Riley Rep", Role = UserRole.Rep, IsActive = true };
        var teammate = new User { Email = "tess@acme.example", Name = "Tess Teammate", Role = UserRole.Rep, IsActive = true };
        db.CrmUsers.AddRange(rep, teammate);
        var account = new Account { Name = "Analytical Engines", Domain = "engines.example" };
        db.Accounts.Add(account);
        await db.SaveChangesAsync(Ct);
        var ada = new Contact { FirstName = "Ada", Email = "ada@engines.example", AccountId = account.Id };
        db.Contacts.Add(ada);
        await db.SaveChangesAsync(Ct);
        (_rep, _teammate, _ada) = (rep.Id, teammate.Id, ada.Id);
        _calendar = await CalendarConnectionAsync(Ws.Id, rep.Id);
    }

    /// <summary>A user's Google calendar connection (the entries' rows belong to one).</summary>
    private async Task<long> CalendarConnectionAsync(long workspaceId, long userId)
    {
        await using var db = Host.Database.Create(Actor.System(workspaceId));
        var connection = new Crm.Core.Integrations.Connections.Integration
        {
            Provider = "google", Type = Crm.Core.Integrations.Connections.IntegrationType.Calendar, Name = "Google Calendar", OwnerUserId = userId,
        };
        db.Integrations.Add(connection);
        await db.SaveChangesAsync(Ct);
        return connection.Id;
    }

    private Actor Sync(long workspaceId) => Actor.System(workspaceId, ChangeSource.Sync);

    private DateTimeOffset Now => Host.Time.GetUtcNow();

    private CalendarEvent Event(string id, string uid, params string[] attendees) =>
        new("primary", id, uid, null, EventState.Confirmed, "Planning", null, null, Now.AddDays(1), Now.AddDays(1).AddHours(1), false, "UTC", null,
            attendees.Select((a, i) => new EventAttendee(a, null, AttendeeResponse.Accepted, i == 0)).ToList(), Version: "1");

    private Task<IReadOnlyList<MeetingLogResult>> LogAsync(long workspaceId, long userId, CalendarEvent e, bool meetingsOnly = true, long? integrationId = null) =>
        Host.RunAsync<LogMeetingsHandler, IReadOnlyList<MeetingLogResult>>(Sync(workspaceId),
            h => h.HandleAsync([new MeetingToLog(integrationId ?? _calendar, userId, "riley@acme.example", MeetingSource.Google, e)], new MeetingLogOptions(meetingsOnly, Now.AddDays(90)), Ct));

    [Fact]
    public async Task TheSameInvitation_InTwoWorkspaces_IsAMeetingInEach_AndNeitherSeesTheOthers()
    {
        await SeedAsync();
        var other = await Host.CreateWorkspaceAsync("Other");
        await using (var db = Host.Database.Create(other.Admin()))
        {
            db.Contacts.Add(new Contact { FirstName = "Ada", Email = "ada@engines.example" });
            await db.SaveChangesAsync(Ct);
        }
        await LogAsync(Ws.Id, _rep, Event("e1", "shared-uid@x", "riley@acme.example", "ada@engines.example"));
        await LogAsync(other.Id, other.AdminId, Event("e1", "shared-uid@x", "riley@acme.example", "ada@engines.example"),
            integrationId: await CalendarConnectionAsync(other.Id, other.AdminId));

        await using var mine = Host.Database.Create(Ws.Admin());
        await using var theirs = Host.Database.Create(other.Admin());
        var a = Assert.Single(await mine.Activities.OfType<MeetingActivity>().ToListAsync(Ct));
        var b = Assert.Single(await theirs.Activities.OfType<MeetingActivity>().ToListAsync(Ct));
        Assert.NotEqual(a.Id, b.Id);
        Assert.Equal(_ada, a.ContactId);
        Assert.NotEqual(_ada, b.ContactId);
        Assert.Single(await mine.CalendarEventLinks.ToListAsync(Ct));
        Assert.Single(await theirs.CalendarEventLinks.ToListAsync(Ct));
    }

    [Fact]
    public async Task WithMeetingsOnlyOff_AnEventWithoutContacts_IsLogged_ButOnlyItsOwnerSeesIt()
    {
        await SeedAsync();
        var result = Assert.Single(await LogAsync(Ws.Id, _rep, Event("dentist", "dentist@x", "riley@acme.example", "someone@clinic.example"), meetingsOnly: false));
        Assert.Equal(CalendarEntryOutcome.Logged, result.Outcome);
        var skipped = Assert.Single(await LogAsync(Ws.Id, _rep, Event("gym", "gym@x", "riley@acme.example", "coach@gym.example")));
        Assert.Equal(CalendarSkipReasons.NoContact, skipped.Reason);

        var asOwner = await Host.RunAsync<ListActivitiesHandler, PagedResult<ActivityDto>>(new Actor(Ws.Id, _rep, UserRole.Rep, ChangeSource.User),
            h => h.HandleAsync(new ListActivitiesQuery(), Ct));
        var asTeammate = await Host.RunAsync<ListActivitiesHandler, PagedResult<ActivityDto>>(new Actor(Ws.Id, _teammate, UserRole.Rep, ChangeSource.User),
            h => h.HandleAsync(new ListActivitiesQuery(), Ct));
        var asAdmin = await Host.RunAsync<ListActivitiesHandler, PagedResult<ActivityDto>>(Ws.Admin(), h => h.HandleAsync(new ListActivitiesQuery(), Ct));
        Assert.Single(asOwner.Items);
        Assert.Empty(asTeammate.Items);
        Assert.Empty(asAdmin.Items);
    }

    [Fact]
    public async Task TheContactsOneOpenDeal_IsSuggested_ButNotWhenThereAreTwo()
    {
        await SeedAsync();
        await using (var db = Host.Database.Create(Ws.Admin()))
        {
            var open = (await db.PipelineStages.ToListAsync(Ct)).First(s => !s.IsClosed);
            var deal = new Deal { Name = "Engine 1", PipelineId = open.PipelineId, StageId = open.Id };
            db.Deals.Add(deal);
            await db.SaveChangesAsync(Ct);
            db.DealContacts.Add(new DealContact { DealId = deal.Id, ContactId = _ada });
            await db.SaveChangesAsync(Ct);
        }
        await LogAsync(Ws.Id, _rep, Event("one", "one@x", "riley@acme.example", "ada@engines.example"));
        await using (var db = Host.Database.Create(Ws.Admin()))
        {
            var meeting = await db.Activities.OfType<MeetingActivity>().SingleAsync(Ct);
            Assert.NotNull(meeting.DealId);
            Assert.True(await db.ActivityLinks.AnyAsync(l => l.ActivityId == meeting.Id && l.DealId == meeting.DealId, Ct));
            var open = (await db.PipelineStages.ToListAsync(Ct)).First(s => !s.IsClosed);
            var second = new Deal { Name = "Engine 2", PipelineId = open.PipelineId, StageId = open.Id };
            db.Deals.Add(second);
            await db.SaveChangesAsync(Ct);
            db.DealContacts.Add(new DealContact { DealId = second.Id, ContactId = _ada });
            await db.SaveChangesAsync(Ct);
        }
        await LogAsync(Ws.Id, _rep, Event("two", "two@x", "riley@acme.example", "ada@engines.example"));
        await using var check = Host.Database.Create(Ws.Admin());
        Assert.Null((await check.Activities.OfType<MeetingActivity>().SingleAsync(m => m.MeetingKey == "two@x", Ct)).DealId);
    }
}
