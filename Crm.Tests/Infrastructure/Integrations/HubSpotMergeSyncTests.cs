using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Integrations;

/// <summary>
/// Contacts merged in HubSpot (<c>POST /crm/v3/objects/contacts/merge</c>; the kept one lists the merged ids in
/// <c>hs_merged_object_ids</c>, a read of a merged id answers with it): ours follow — merged the same way when both were
/// linked here, re-linked when only the merged-away one was — over real HTTP against the sandbox.
/// </summary>
public sealed class HubSpotMergeSyncTests : HubSpotSyncTestBase
{
    private async Task<HttpResponseMessage> MergeAsync(string primary, string merged) =>
        await _hubspot.PostAsJsonAsync("/crm/v3/objects/contacts/merge", new { primaryObjectId = primary, objectIdToMerge = merged }, Ct);

    [Fact]
    public async Task Merge_InHubSpotOfTwoLinkedContacts_MergesOursTheSameWay_KeepingBothEmailsAndAnUndo()
    {
        var pat = await AddHubSpotContactAsync(new { email = "pat@acme.example", firstname = "Pat" });
        var max = await AddHubSpotContactAsync(new { email = "max@acme.example", firstname = "Max", jobtitle = "CTO" });
        await ConfirmAsync();
        await SyncAsync();
        var before = await OurContactsAsync();
        var (patHere, maxHere) = (before.Single(c => c.Email == "pat@acme.example").Id, before.Single(c => c.Email == "max@acme.example").Id);

        var merged = await MergeAsync(pat, max);
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        // HubSpot: the merged id reads as the kept record, which lists it and took the empty job title.
        var read = JsonDocument.Parse(await _hubspot.GetStringAsync($"/crm/v3/objects/contacts/{max}?properties=email,jobtitle,hs_merged_object_ids", Ct)).RootElement;
        Assert.Equal(pat, read.GetProperty("id").GetString());
        Assert.Equal((max, "CTO"), (read.GetProperty("properties").GetProperty("hs_merged_object_ids").GetString(), read.GetProperty("properties").GetProperty("jobtitle").GetString()));

        var run = await SyncAsync();
        Assert.Equal(0, run.Errors);
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
        {
            var kept = await db.Contacts.SingleAsync(c => c.Id == patHere, Ct);
            var gone = await db.Contacts.IgnoreQueryFilters().SingleAsync(c => c.Id == maxHere, Ct);
            Assert.Equal((patHere, (long?)patHere), (kept.Id, gone.MergedIntoId));
            Assert.NotNull(gone.DeletedAt);
            Assert.Contains("max@acme.example", kept.AdditionalEmails);
            Assert.Equal("CTO", kept.JobTitle);
            // One link left, to the record HubSpot kept; the merge is ours to undo like any other.
            Assert.Equal([pat], await db.SyncRecords.Where(l => l.RecordType == RecordType.Contact && (l.RecordId == patHere || l.RecordId == maxHere)).Select(l => l.ExternalId).ToListAsync(Ct));
            Assert.Equal(1, await db.MergeRecords.CountAsync(m => m.WinnerId == patHere && m.LoserId == maxHere, Ct));
        }
        // Nothing is created again on either side.
        var after = await SyncAsync();
        Assert.Equal(0, after.Errors);
        Assert.Single(await OurContactsAsync());
        Assert.Equal(1, JsonDocument.Parse(await _hubspot.GetStringAsync("/crm/v3/objects/contacts?limit=100", Ct)).RootElement.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task Merge_InHubSpotIntoAContactNotLinkedHere_RelinksOursInsteadOfCreatingAnother()
    {
        var old = await AddHubSpotContactAsync(new { email = "kim@old.example", firstname = "Kim" });
        await ConfirmAsync();
        await SyncAsync();
        var kimHere = (await OurContactsAsync()).Single().Id;

        // Between two runs: a new record in HubSpot, and the linked one merged into it.
        var fresh = await AddHubSpotContactAsync(new { email = "kim@new.example", firstname = "Kimberly" });
        Assert.Equal(HttpStatusCode.OK, (await MergeAsync(fresh, old)).StatusCode);
        var run = await SyncAsync();
        Assert.Equal(0, run.Errors);

        var ours = await OurContactsAsync();
        var kim = Assert.Single(ours);
        Assert.Equal((kimHere, "Kimberly", "kim@new.example"), (kim.Id, kim.FirstName, kim.Email));
        await using var db = Database.Create(Actor.System(_connection.WorkspaceId));
        Assert.Equal([fresh], await db.SyncRecords.Where(l => l.RecordType == RecordType.Contact).Select(l => l.ExternalId).ToListAsync(Ct));
    }

    [Fact]
    public async Task Merge_IsRefusedForTheSameRecordOrAMissingOne_WithHubSpotsError()
    {
        var one = await AddHubSpotContactAsync(new { email = "one@acme.example" });
        var self = await MergeAsync(one, one);
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
        Assert.Equal("VALIDATION_ERROR", JsonDocument.Parse(await self.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("category").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await MergeAsync(one, "999999")).StatusCode);
    }
}
