using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Timeline;
using Crm.Tests.TestSupport;

namespace Crm.Tests.Infrastructure.Persistence;

public class TimelineTests : WorkspaceTests
{
    [Fact]
    public async Task Timeline_IsNewestFirst_AndPagesWithoutGapsOrRepeats()
    {
        var contact = await Host.RunAsync<CreateContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(new ContactInput { FirstName = "Ada" }));
        var start = new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 45; i++)
        {
            var at = start.AddHours(i % 15 == 0 ? 0 : i); // some share a timestamp: the id breaks the tie
            await Host.RunAsync<CreateActivityHandler, ActivityDto>(Ws.Admin(), h => h.HandleAsync(new ActivityInput { Type = ActivityType.Note, ContactId = contact.Id, Body = $"note {i}", OccurredAt = at }));
        }

        var seen = new List<TimelineEntry>();
        TimelineCursor? cursor = null;
        do
        {
            var page = await Host.RunAsync<GetTimelineHandler, TimelinePage>(Ws.Admin(), h => h.HandleAsync(RecordType.Contact, contact.Id, cursor, pageSize: 20));
            seen.AddRange(page.Entries);
            cursor = page.Next;
        } while (cursor is not null);

        Assert.Equal(45, seen.Count);
        Assert.Equal(45, seen.Select(e => e.Activity.Id).Distinct().Count());
        Assert.Equal(seen.OrderByDescending(e => e.Activity.OccurredAt).ThenByDescending(e => e.Activity.Id).Select(e => e.Activity.Id), seen.Select(e => e.Activity.Id));
    }

    [Fact]
    public async Task AccountTimeline_IncludesWhatHappenedWithItsContacts_WithNames()
    {
        var account = await Host.RunAsync<CreateAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(new AccountInput { Name = "Acme" }));
        var contact = await Host.RunAsync<CreateContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(new ContactInput { FirstName = "Ada", AccountId = account.Id }));
        await Host.RunAsync<CreateActivityHandler, ActivityDto>(Ws.Admin(), h => h.HandleAsync(new ActivityInput { Type = ActivityType.Call, ContactId = contact.Id, CallOutcome = CallOutcome.LeftVoicemail }));
        await Host.RunAsync<CreateActivityHandler, ActivityDto>(Ws.Admin(), h => h.HandleAsync(new ActivityInput { Type = ActivityType.Task, AccountId = account.Id, Title = "Renewal" }));

        var page = await Host.RunAsync<GetTimelineHandler, TimelinePage>(Ws.Admin(), h => h.HandleAsync(RecordType.Account, account.Id));

        Assert.Equal(2, page.Entries.Count);
        var call = Assert.Single(page.Entries, e => e.Activity is CallActivity);
        Assert.Equal("Ada", call.ContactName);
        Assert.Equal("Admin of Acme", call.OwnerName);
    }

    [Fact]
    public async Task Task_CanBeTickedOffAndReopened()
    {
        var contact = await Host.RunAsync<CreateContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(new ContactInput { FirstName = "Ada" }));
        var task = await Host.RunAsync<CreateActivityHandler, ActivityDto>(Ws.Admin(), h => h.HandleAsync(new ActivityInput { Type = ActivityType.Task, ContactId = contact.Id, Title = "Call back" }));

        var done = await Host.RunAsync<SetTaskDoneHandler, ActivityDto>(Ws.Admin(), h => h.HandleAsync(task.Id, true));
        var reopened = await Host.RunAsync<SetTaskDoneHandler, ActivityDto>(Ws.Admin(), h => h.HandleAsync(task.Id, false));

        Assert.True(done.IsDone);
        Assert.NotNull(done.CompletedAt);
        Assert.False(reopened.IsDone);
        Assert.Null(reopened.CompletedAt);
        Assert.Equal(2, reopened.Version);
    }

    [Fact]
    public async Task Activity_TypeCannotChangeOnUpdate()
    {
        var contact = await Host.RunAsync<CreateContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(new ContactInput { FirstName = "Ada" }));
        var note = await Host.RunAsync<CreateActivityHandler, ActivityDto>(Ws.Admin(), h => h.HandleAsync(new ActivityInput { Type = ActivityType.Note, ContactId = contact.Id, Body = "x" }));

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Host.RunAsync<UpdateActivityHandler, ActivityDto>(Ws.Admin(), h => h.HandleAsync(note.Id, new ActivityInput { Type = ActivityType.Task, ContactId = contact.Id, Title = "x" }, null)));
        Assert.Contains("Type", error.Errors.Keys);
    }
}
