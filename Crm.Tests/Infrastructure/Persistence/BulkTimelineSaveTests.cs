using System.Data.Common;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Timeline;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Persistence;

/// <summary>
/// A save that adds many timeline rows at once goes through prepared SQLite statements instead of EF's batches
/// (SqliteAddedRows). It must leave exactly the rows EF would, links pointing at the right meetings, stamps and
/// workspace included — and, when a row is refused, nothing at all.
/// </summary>
public class BulkTimelineSaveTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Columns holding generated ids or the workspace's own id: they differ between two workspaces by design.</summary>
    private static readonly HashSet<string> Ids = ["Id", "WorkspaceId", "ActivityId", "ContactId", "OwnerId", "CreatedByUserId", "CalendarUserIds"];

    [Fact]
    public async Task ManyNewMeetings_SavedTogether_LeaveTheSameRowsAsSavedFewAtATime()
    {
        await using var host = await CrmTestHost.StartAsync();
        host.Time.AutoAdvanceAmount = TimeSpan.Zero;
        host.Time.SetUtcNow(Now);
        var bulk = await host.CreateWorkspaceAsync("Bulk");
        var few = await host.CreateWorkspaceAsync("Few");

        // 80 meetings and 80 links: 160 new rows in one save, well over the bulk threshold.
        await SaveMeetingsAsync(host, bulk, count: 80, perSave: 80);
        // The same meetings five at a time: 10 rows a save, EF's own path.
        await SaveMeetingsAsync(host, few, count: 80, perSave: 5);

        Assert.Equal(await RowsAsync(host, few, "Activities"), await RowsAsync(host, bulk, "Activities"));
        Assert.Equal(await RowsAsync(host, few, "ActivityLinks"), await RowsAsync(host, bulk, "ActivityLinks"));
        var links = await LinkedTitlesAsync(host, bulk);
        Assert.Equal(80, links.Count);
        // Each link points at its own meeting (the ids EF handed out in memory were replaced by the real ones).
        Assert.All(links, l => Assert.Equal(l.Title, $"Meeting {l.Index}"));
        await using var db = host.Database.Create(bulk.Admin());
        var meeting = await db.Activities.OfType<MeetingActivity>().SingleAsync(m => m.MeetingKey == "key-7");
        Assert.Equal((bulk.Id, Now, Now, 0), (meeting.WorkspaceId, meeting.CreatedAt, meeting.UpdatedAt, meeting.Version));
        Assert.Equal("ada@example.com", Assert.Single(meeting.Attendees).Email);
    }

    [Fact]
    public async Task ManyNewMeetings_OneRefusedByAUniqueIndex_SaveNothing_AndTheContextIsNotUsedAgain()
    {
        await using var host = await CrmTestHost.StartAsync();
        var ws = await host.CreateWorkspaceAsync("Acme");
        var contact = await ContactAsync(host, ws);
        await using (var db = host.Database.Create(ws.Admin()))
        {
            for (var i = 0; i < 80; i++)
                db.Activities.Add(Meeting(i, contact, i == 79 ? "key-3" : null));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        }

        await using var check = host.Database.Create(ws.Admin());
        Assert.Equal(0, await check.Activities.CountAsync());
        Assert.Equal(0, await check.ActivityLinks.CountAsync());
    }

    [Fact]
    public async Task ManyNewMeetings_ChangedAfterTheirSave_AreUpdatedThroughTheSameContext()
    {
        await using var host = await CrmTestHost.StartAsync();
        var ws = await host.CreateWorkspaceAsync("Acme");
        var contact = await ContactAsync(host, ws);
        await using (var db = host.Database.Create(ws.Admin()))
        {
            var meetings = Enumerable.Range(0, 70).Select(i => Meeting(i, contact)).ToList();
            db.Activities.AddRange(meetings);
            await db.SaveChangesAsync();
            // Tracked as saved: an edit is an update of that row (attendees compared element by element), not a second insert.
            meetings[0].Title = "Moved";
            meetings[1].Attendees = [.. meetings[1].Attendees, new MeetingAttendee("grace@example.com", "Grace", AttendeeResponse.Accepted, false)];
            await db.SaveChangesAsync();
        }

        await using var check = host.Database.Create(ws.Admin());
        var stored = await check.Activities.OfType<MeetingActivity>().OrderBy(m => m.Id).ToListAsync();
        Assert.Equal(70, stored.Count);
        Assert.Equal(("Moved", 1), (stored[0].Title, stored[0].Version));
        Assert.Equal(2, stored[1].Attendees.Count);
        Assert.Equal(0, stored[2].Version);
    }

    [Fact]
    public async Task ManyNewMeetings_SavedForOneWorkspace_AreNotSeenFromAnother()
    {
        await using var host = await CrmTestHost.StartAsync();
        var acme = await host.CreateWorkspaceAsync("Acme");
        var other = await host.CreateWorkspaceAsync("Other");
        await SaveMeetingsAsync(host, acme, count: 70, perSave: 70);

        await using var db = host.Database.Create(other.Admin());
        Assert.Equal(0, await db.Activities.CountAsync());
        Assert.Equal(0, await db.ActivityLinks.CountAsync());
        await using var own = host.Database.Create(acme.Admin());
        Assert.Equal(70, await own.ActivityLinks.CountAsync());
    }

    private static async Task SaveMeetingsAsync(CrmTestHost host, TestWorkspace ws, int count, int perSave)
    {
        var contact = await ContactAsync(host, ws);
        foreach (var chunk in Enumerable.Range(0, count).Chunk(perSave))
        {
            await using var db = host.Database.Create(ws.Admin());
            foreach (var i in chunk)
            {
                var meeting = Meeting(i, contact);
                db.Activities.Add(meeting);
                db.ActivityLinks.Add(new ActivityLink { Activity = meeting, ContactId = contact.Id });
            }
            await db.SaveChangesAsync();
        }
    }

    private static MeetingActivity Meeting(int i, ContactDetails contact, string? key = null) => new()
    {
        Title = $"Meeting {i}",
        MeetingKey = key ?? $"key-{i}",
        StartTime = Now.AddHours(i),
        EndTime = Now.AddHours(i).AddMinutes(30),
        OccurredAt = Now.AddHours(i),
        Source = MeetingSource.Google,
        ContactId = contact.Id,
        Attendees = [new MeetingAttendee("ada@example.com", "Ada", AttendeeResponse.Accepted, false)],
    };

    private static Task<ContactDetails> ContactAsync(CrmTestHost host, TestWorkspace ws) =>
        host.RunAsync<CreateContactHandler, ContactDetails>(ws.Admin(), h => h.HandleAsync(new ContactInput { FirstName = "Ada", Email = "ada@example.com" }));

    /// <summary>Every column but ids of the workspace's rows, in insertion order.</summary>
    private static async Task<List<string>> RowsAsync(CrmTestHost host, TestWorkspace ws, string table)
    {
        await using var db = host.Database.Create(Actor.System(ws.Id));
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\" WHERE \"WorkspaceId\" = {ws.Id} ORDER BY \"Id\"";
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join("; ", Enumerable.Range(0, reader.FieldCount).Where(i => !Ids.Contains(reader.GetName(i)))
                .Select(i => $"{reader.GetName(i)}={(reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))}")));
        Assert.NotEmpty(rows);
        return rows;
    }

    private static async Task<List<(int Index, string Title)>> LinkedTitlesAsync(CrmTestHost host, TestWorkspace ws)
    {
        await using var db = host.Database.Create(ws.Admin());
        var rows = await db.ActivityLinks.Join(db.Activities.OfType<MeetingActivity>(), l => l.ActivityId, m => m.Id, (l, m) => new { l.Id, m.Title, m.MeetingKey }).ToListAsync();
        return rows.Select(r => (int.Parse(r.MeetingKey!["key-".Length..], System.Globalization.CultureInfo.InvariantCulture), r.Title)).ToList();
    }
}
