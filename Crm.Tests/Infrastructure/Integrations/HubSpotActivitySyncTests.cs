using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Timeline;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Integrations;

/// <summary>
/// Activities both ways over real HTTP against the sandbox's HubSpot: its notes and calls onto our timelines with their
/// contact, our tasks and meetings out as engagements associated with the contact's record there; then edits,
/// completion and deletion each way, and a quiet run after.
/// </summary>
public sealed class HubSpotActivitySyncTests : HubSpotSyncTestBase
{
    // Every run syncs activities here (the app's default is hourly).
    protected override IEnumerable<KeyValuePair<string, string>> MoreSettings() => [new("Integrations:HubSpot:ActivitiesEvery", "00:00:00")];

    /// <summary>An engagement made in HubSpot and associated with a contact there (<paramref name="typeId"/>: HubSpot's association type).</summary>
    private async Task<string> AddEngagementAsync(string type, object properties, string contact, int typeId)
    {
        var id = await AddHubSpotAsync(type, properties);
        Assert.Equal(HttpStatusCode.Created, (await _hubspot.PutAsJsonAsync($"/crm/v4/objects/{type}/{id}/associations/contacts/{contact}",
                new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = typeId } }, Ct)).StatusCode);
        return id;
    }

    private async Task<JsonElement> TheirAsync(string type, string id, string properties) =>
        JsonDocument.Parse(await _hubspot.GetStringAsync($"/crm/v3/objects/{type}/{id}?properties={properties}&associations=contacts", Ct)).RootElement.Clone();

    private async Task<string> TheirIdAsync(RecordType type, long id)
    {
        await using var db = Database.Create(Actor.System(_connection.WorkspaceId));
        return await db.SyncRecords.Where(l => l.RecordType == type && l.RecordId == id).Select(l => l.ExternalId).SingleAsync(Ct);
    }

    [Fact]
    public async Task Activities_TravelBothWaysWithTheirContacts_ThenEditsCompletionAndDeletesFollow_AndAQuietRunWritesNothing()
    {
        var hanna = await AddHubSpotContactAsync(new { email = "hanna@acme.example", firstname = "Hanna" });
        var note = await AddEngagementAsync("notes", new { hs_timestamp = "2026-11-20T10:15:00.000Z", hs_note_body = "<p>Called about the <b>renewal</b>.</p><p>Follow up &amp; send terms</p>" }, hanna, 202);
        var call = await AddEngagementAsync("calls", new
        {
            hs_timestamp = "2026-11-21T09:00:00.000Z", hs_call_body = "Pricing questions", hs_call_direction = "OUTBOUND",
            hs_call_disposition = "f240bbac-87c9-4f6e-bf70-924b57d47db7", hs_call_duration = "125000", hs_call_to_number = "+49 30 1234567",
        }, hanna, 194);
        long otto, task, meeting;
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId, ChangeSource.User)))
        {
            var contact = new Contact { Email = "otto@globex.example", FirstName = "Otto" };
            db.Contacts.Add(contact);
            await db.SaveChangesAsync(Ct);
            var t = new TaskActivity { ContactId = contact.Id, Title = "Send proposal", Notes = "Two options", DueAt = new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero), OccurredAt = DateTimeOffset.UtcNow };
            var m = new MeetingActivity
            {
                ContactId = contact.Id, Title = "Kick-off", StartTime = new DateTimeOffset(2026, 12, 8, 14, 0, 0, TimeSpan.Zero), EndTime = new DateTimeOffset(2026, 12, 8, 15, 0, 0, TimeSpan.Zero),
                Location = "Berlin office", OccurredAt = new DateTimeOffset(2026, 12, 8, 14, 0, 0, TimeSpan.Zero),
            };
            db.Activities.AddRange(t, m);
            await db.SaveChangesAsync(Ct);
            (otto, task, meeting) = (contact.Id, t.Id, m.Id);
        }

        await ConfirmAsync();
        var first = await SyncAsync();
        Assert.Equal(0, first.Errors);

        long hannaHere;
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
        {
            hannaHere = await db.Contacts.Where(c => c.Email == "hanna@acme.example").Select(c => c.Id).SingleAsync(Ct);
            var theirNote = await db.Activities.OfType<NoteActivity>().SingleAsync(Ct);
            Assert.Equal((hannaHere, "Called about the renewal.\nFollow up & send terms"), (theirNote.ContactId!.Value, theirNote.Body));
            Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 15, 0, TimeSpan.Zero), theirNote.OccurredAt);
            var theirCall = await db.Activities.OfType<CallActivity>().SingleAsync(Ct);
            Assert.Equal((hannaHere, CallOutcome.Connected, ActivityDirection.Outbound, (int?)125, "+49 30 1234567"),
                (theirCall.ContactId!.Value, theirCall.Outcome, theirCall.Direction, theirCall.DurationSeconds, theirCall.PhoneNumber));
        }
        // Ours went out, about Otto's record there.
        var ottoThere = await TheirIdAsync(RecordType.Contact, otto);
        var taskThere = await TheirIdAsync(RecordType.Activity, task);
        var t1 = await TheirAsync("tasks", taskThere, "hs_task_subject,hs_task_body,hs_task_status,hs_timestamp");
        Assert.Equal(("Send proposal", "Two options", "NOT_STARTED", "2026-12-05T09:00:00.000Z"),
            (t1.GetProperty("properties").GetProperty("hs_task_subject").GetString(), t1.GetProperty("properties").GetProperty("hs_task_body").GetString(),
             t1.GetProperty("properties").GetProperty("hs_task_status").GetString(), t1.GetProperty("properties").GetProperty("hs_timestamp").GetString()));
        Assert.Equal(ottoThere, t1.GetProperty("associations").GetProperty("contacts").GetProperty("results")[0].GetProperty("id").GetString());
        var meetingThere = await TheirIdAsync(RecordType.Activity, meeting);
        var m1 = await TheirAsync("meetings", meetingThere, "hs_meeting_title,hs_meeting_start_time,hs_meeting_end_time,hs_meeting_location");
        Assert.Equal(("Kick-off", "2026-12-08T14:00:00.000Z", "Berlin office"),
            (m1.GetProperty("properties").GetProperty("hs_meeting_title").GetString(), m1.GetProperty("properties").GetProperty("hs_meeting_start_time").GetString(),
             m1.GetProperty("properties").GetProperty("hs_meeting_location").GetString()));

        await SyncAsync();
        var quiet = await SyncAsync();
        Assert.Equal((0, 0, 0), (quiet.WrittenIn, quiet.WrittenOut, quiet.Errors));

        // There: the task is completed. Here: the note is corrected and the meeting deleted.
        (await _hubspot.PatchAsJsonAsync($"/crm/v3/objects/tasks/{taskThere}", new { properties = new { hs_task_status = "COMPLETED" } }, Ct)).EnsureSuccessStatusCode();
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId, ChangeSource.User)))
        {
            (await db.Activities.OfType<NoteActivity>().SingleAsync(Ct)).Body = "Called about the renewal; terms sent.";
            (await db.Activities.SingleAsync(a => a.Id == meeting, Ct)).DeletedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync(Ct);
        }
        var changes = await SyncAsync();
        Assert.Equal(0, changes.Errors);
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
            Assert.True((await db.Activities.OfType<TaskActivity>().SingleAsync(a => a.Id == task, Ct)).IsDone);
        Assert.Equal("Called about the renewal; terms sent.", (await TheirAsync("notes", note, "hs_note_body")).GetProperty("properties").GetProperty("hs_note_body").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _hubspot.GetAsync($"/crm/v3/objects/meetings/{meetingThere}", Ct)).StatusCode);
        Assert.Equal("Pricing questions", (await TheirAsync("calls", call, "hs_call_body")).GetProperty("properties").GetProperty("hs_call_body").GetString());

        await SyncAsync();
        var settled = await SyncAsync();
        Assert.Equal((0, 0, 0), (settled.WrittenIn, settled.WrittenOut, settled.Errors));
    }
}
