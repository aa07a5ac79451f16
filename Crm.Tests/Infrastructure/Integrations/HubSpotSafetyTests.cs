using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Integrations;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Sync;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Integrations;

/// <summary>
/// What keeps a two-way sync from doing damage or drifting: the mass-change guard stops a run that would archive or
/// overwrite too much before it writes anything, and the nightly reconcile compares both sides in full and repairs what
/// incremental runs cannot see (a change without a new modification date, an archive without a webhook).
/// </summary>
public sealed class HubSpotSafetyTests : HubSpotSyncTestBase
{
    private async Task<List<long>> AddContactsAsync(int count, string prefix)
    {
        await using var db = Database.Create(Actor.System(_connection.WorkspaceId, ChangeSource.User));
        var contacts = Enumerable.Range(0, count).Select(i => new Contact { Email = $"{prefix}{i}@example.com", FirstName = $"{prefix} {i}" }).ToList();
        db.Contacts.AddRange(contacts);
        await db.SaveChangesAsync(Ct);
        return contacts.Select(c => c.Id).ToList();
    }

    private async Task<int> HubSpotContactCountAsync()
    {
        var count = 0;
        string? after = null;
        do
        {
            var page = JsonDocument.Parse(await _hubspot.GetStringAsync("/crm/v3/objects/contacts?limit=100" + (after is null ? "" : "&after=" + after), Ct)).RootElement;
            count += page.GetProperty("results").GetArrayLength();
            after = page.TryGetProperty("paging", out var paging) ? paging.GetProperty("next").GetProperty("after").GetString() : null;
        } while (after is not null);
        return count;
    }

    [Fact]
    public async Task ARunThatWouldArchiveMoreThanTheLimit_StopsBeforeWriting_ListsTheRecords_AndGoesOnlyWhenAnAdminLetsItThrough()
    {
        await ConfirmAsync();
        var ids = await AddContactsAsync(40, "guarded");
        Assert.Equal(40, (await SyncAsync()).WrittenOut);

        // 12 of 40 deleted here (30%, over the 10% default and over the floor of 10): the run holds.
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId, ChangeSource.User)))
        {
            foreach (var contact in await db.Contacts.Where(c => ids.Take(12).Contains(c.Id)).ToListAsync(Ct)) contact.DeletedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync(Ct);
        }
        var held = await SyncAsync();
        Assert.Equal((SyncRunOutcome.Failed, 0), (held.Outcome, held.WrittenOut));
        Assert.Contains("would change 12 of 40 synced contacts", held.Error, StringComparison.Ordinal);
        Assert.Equal(40, await HubSpotContactCountAsync());
        var view = JsonDocument.Parse(await _admin.Client.GetStringAsync("/api/v1/integrations", Ct)).RootElement.EnumerateArray().Single();
        Assert.Equal("error", view.GetProperty("status").GetString());
        var change = Crm.Core.Sync.HeldChange.FromJson(view.GetProperty("heldChange").GetString())!;
        Assert.Equal(12, change.Items.Count);
        Assert.All(change.Items, i => Assert.Equal("deleted here: would be archived there", i.Action));
        Assert.Contains(change.Items, i => i.Name == "guarded 0 <guarded0@example.com>");

        // Held again on the next scheduled run, until an admin decides; a rep cannot.
        Assert.Equal(SyncRunOutcome.Failed, (await SyncAsync()).Outcome);
        await _factory.CreateUserAsync(_connection.WorkspaceId, "rep@first.example", "rep-password-123");
        var rep = await TestSupport.BrowserSession.SignInAsync(_factory, "rep@first.example", "rep-password-123");
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.SendAsync(rep.SameOrigin(HttpMethod.Post, $"/api/v1/integrations/{_connection.IntegrationId}/mass-change/approve"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _admin.Client.SendAsync(_admin.SameOrigin(HttpMethod.Post, $"/api/v1/integrations/{_connection.IntegrationId}/mass-change/approve"), Ct)).StatusCode);
        var approved = await SyncAsync();
        Assert.Equal((SyncRunOutcome.Succeeded, 12), (approved.Outcome, approved.WrittenOut));
        Assert.Equal(28, await HubSpotContactCountAsync());
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
            Assert.Null(await db.Integrations.Select(i => i.HeldChange).SingleAsync(Ct));
        // Approving is once: nothing is waiting now.
        Assert.Equal(HttpStatusCode.Conflict, (await _admin.Client.SendAsync(_admin.SameOrigin(HttpMethod.Post, $"/api/v1/integrations/{_connection.IntegrationId}/mass-change/approve"), Ct)).StatusCode);

        // A smaller change goes through; a raised limit lets a bigger one through too.
        var patched = await _admin.Client.SendAsync(_admin.SameOrigin(HttpMethod.Patch, $"/api/v1/integrations/{_connection.IntegrationId}",
            JsonContent.Create(new { massChangePercent = 80 })), Ct);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId, ChangeSource.User)))
        {
            foreach (var contact in await db.Contacts.Where(c => ids.Skip(12).Take(14).Contains(c.Id)).ToListAsync(Ct)) contact.JobTitle = "Renamed";
            await db.SaveChangesAsync(Ct);
        }
        Assert.Equal((SyncRunOutcome.Succeeded, 14), ((await SyncAsync()).Outcome, (await LastRunAsync()).WrittenOut));
    }

    private async Task<SyncRun> LastRunAsync()
    {
        await using var db = Database.Create(Actor.System(_connection.WorkspaceId));
        return await db.SyncRuns.OrderByDescending(r => r.Id).FirstAsync(Ct);
    }

    [Fact]
    public async Task TheNightlyReconcile_RepairsDriftIncrementalRunsCannotSee_OnBothSides()
    {
        await ConfirmAsync();
        var ids = await AddContactsAsync(5, "drift");
        await SyncAsync();
        Dictionary<long, string> there;
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
            there = await db.SyncRecords.Where(l => l.RecordType == RecordType.Contact).ToDictionaryAsync(l => l.RecordId, l => l.ExternalId, Ct);

        // Planted: our job title changed without a new modification time; theirs changed without one either; one archived there without a webhook.
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
            await db.Database.ExecuteSqlRawAsync("UPDATE Contacts SET JobTitle = 'Drifted here' WHERE Id = {0}", [ids[0]], Ct);
        _sandbox.HubSpotStore.Get("contacts", there[ids[1]])!.Properties["jobtitle"] = "Drifted there";
        Assert.Equal(HttpStatusCode.NoContent, (await _hubspot.DeleteAsync($"/crm/v3/objects/contacts/{there[ids[2]]}", Ct)).StatusCode);

        // Later than the incremental run's overlap window (which would catch a drift this fresh): its cursor moves on 10 minutes.
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
        {
            var state = await db.SyncStates.SingleAsync(s => s.IntegrationId == _connection.IntegrationId && s.ObjectType == "contacts", Ct);
            var later = DateTimeOffset.UtcNow.AddMinutes(10);
            state.Cursor = JsonSerializer.Serialize(new { Remote = later, Local = later });
            await db.SaveChangesAsync(Ct);
        }
        var incremental = await SyncAsync();
        Assert.Equal((0, 0), (incremental.WrittenIn, incremental.WrittenOut));

        var nightly = await SyncAsync(SyncConnectionHandler.Reconcile);
        Assert.Equal(SyncRunOutcome.Succeeded, nightly.Outcome);
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
        {
            var contacts = await db.Contacts.IgnoreQueryFilters().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, Ct);
            Assert.Equal("Drifted there", contacts[ids[1]].JobTitle);
            Assert.NotNull(contacts[ids[2]].DeletedAt);
            Assert.Null(contacts[ids[3]].DeletedAt);
        }
        var first = JsonDocument.Parse(await _hubspot.GetStringAsync($"/crm/v3/objects/contacts/{there[ids[0]]}?properties=jobtitle", Ct)).RootElement;
        Assert.Equal("Drifted here", first.GetProperty("properties").GetProperty("jobtitle").GetString());

        // Repaired: the next full comparison finds nothing to do.
        var again = await SyncAsync(SyncConnectionHandler.Reconcile);
        Assert.Equal((0, 0), (again.WrittenIn, again.WrittenOut));
    }
}
