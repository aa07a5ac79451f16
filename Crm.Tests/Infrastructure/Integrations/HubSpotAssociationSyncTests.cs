using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Deals;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Integrations;

/// <summary>
/// Associations v4 both ways over real HTTP against the sandbox's HubSpot: a contact's company and a deal's company
/// (their primary one) and a deal's contacts — brought together on a first sync, then each side's additions and
/// removals carried to the other, without echoes.
/// </summary>
public sealed class HubSpotAssociationSyncTests : HubSpotSyncTestBase
{
    /// <summary>As a person in HubSpot would: an association with the given types (1 = a contact's primary company, 5 = a deal's).</summary>
    private async Task AssociateAsync(string from, string fromId, string to, string toId, params int[] types)
    {
        var response = await _hubspot.PutAsJsonAsync($"/crm/v4/objects/{from}/{fromId}/associations/{to}/{toId}",
            types.Select(t => new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = t }), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>HubSpot's associations of a record: to id → its type ids.</summary>
    private async Task<Dictionary<string, int[]>> TheirAssociationsAsync(string from, string id, string to)
    {
        var json = JsonDocument.Parse(await _hubspot.GetStringAsync($"/crm/v4/objects/{from}/{id}/associations/{to}", Ct)).RootElement;
        return json.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("toObjectId").ToString(),
            r => r.GetProperty("associationTypes").EnumerateArray().Select(t => t.GetProperty("typeId").GetInt32()).Order().ToArray());
    }

    private async Task<string> TheirIdAsync(RecordType type, long id)
    {
        await using var db = Database.Create(Actor.System(_connection.WorkspaceId));
        return await db.SyncRecords.Where(l => l.RecordType == type && l.RecordId == id).Select(l => l.ExternalId).SingleAsync(Ct);
    }

    private async Task<long> OurIdAsync(RecordType type, string externalId)
    {
        await using var db = Database.Create(Actor.System(_connection.WorkspaceId));
        return await db.SyncRecords.Where(l => l.RecordType == type && l.ExternalId == externalId).Select(l => l.RecordId).SingleAsync(Ct);
    }

    [Fact]
    public async Task Associations_FirstSyncJoinsBothSides_ThenEachSidesChangesTravel_AndAQuietRunWritesNothing()
    {
        // HubSpot: Acme with Hanna (primary) and a won deal for Acme with Hanna on it.
        var acme = await AddHubSpotAsync("companies", new { name = "Acme", domain = "acme.example" });
        var hanna = await AddHubSpotAsync("contacts", new { email = "hanna@acme.example", firstname = "Hanna", company = "Acme" });
        var acmeDeal = await AddHubSpotAsync("deals", new { dealname = "Acme renewal", dealstage = "closedwon", pipeline = "default", amount = "1200" });
        await AssociateAsync("contacts", hanna, "companies", acme, 1);
        await AssociateAsync("deals", acmeDeal, "companies", acme, 5);
        await AssociateAsync("deals", acmeDeal, "contacts", hanna, 3);
        // Ours: Globex with Otto, and a won deal for Globex with Otto on it.
        long globex, otto, ourDeal;
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId, ChangeSource.User)))
        {
            var account = new Account { Name = "Globex", Domain = "globex.example" };
            db.Accounts.Add(account);
            await db.SaveChangesAsync(Ct);
            var contact = new Contact { Email = "otto@globex.example", FirstName = "Otto", AccountId = account.Id };
            db.Contacts.Add(contact);
            var won = await db.PipelineStages.SingleAsync(s => s.Name == "Closed won", Ct);
            var deal = new Deal { Name = "Globex pilot", Amount = 800, PipelineId = won.PipelineId, StageId = won.Id, Probability = 100, AccountId = account.Id };
            db.Deals.Add(deal);
            await db.SaveChangesAsync(Ct);
            db.DealContacts.Add(new DealContact { DealId = deal.Id, ContactId = contact.Id });
            await db.SaveChangesAsync(Ct);
            (globex, otto, ourDeal) = (account.Id, contact.Id, deal.Id);
        }

        await ConfirmAsync();
        var first = await SyncAsync();
        Assert.Equal(0, first.Errors);

        // Theirs came here: Hanna works at Acme, the Acme deal is Acme's with Hanna on it.
        var (acmeHere, hannaHere, acmeDealHere) = (await OurIdAsync(RecordType.Account, acme), await OurIdAsync(RecordType.Contact, hanna), await OurIdAsync(RecordType.Deal, acmeDeal));
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
        {
            Assert.Equal(acmeHere, (await db.Contacts.SingleAsync(c => c.Id == hannaHere, Ct)).AccountId);
            var deal = await db.Deals.Include(d => d.Contacts).SingleAsync(d => d.Id == acmeDealHere, Ct);
            Assert.Equal(acmeHere, deal.AccountId);
            Assert.Equal([hannaHere], deal.Contacts.Select(c => c.ContactId));
        }
        // Ours went there: Otto's primary company is Globex, the Globex deal is Globex's (primary) with Otto on it.
        var (globexThere, ottoThere, ourDealThere) = (await TheirIdAsync(RecordType.Account, globex), await TheirIdAsync(RecordType.Contact, otto), await TheirIdAsync(RecordType.Deal, ourDeal));
        Assert.Equal(new[] { 1, 279 }, (await TheirAssociationsAsync("contacts", ottoThere, "companies"))[globexThere]);
        Assert.Equal(new[] { 5, 341 }, (await TheirAssociationsAsync("deals", ourDealThere, "companies"))[globexThere]);
        Assert.Equal([ottoThere], (await TheirAssociationsAsync("deals", ourDealThere, "contacts")).Keys);

        // Settled: a run after the one that carried them writes nothing either way.
        await SyncAsync();
        var quiet = await SyncAsync();
        Assert.Equal((0, 0, 0), (quiet.WrittenIn, quiet.WrittenOut, quiet.Errors));

        // In HubSpot: Hanna moves to a new company (made primary; Acme stays unlabelled) and leaves the Acme deal.
        var initech = await AddHubSpotAsync("companies", new { name = "Initech", domain = "initech.example" });
        await AssociateAsync("contacts", hanna, "companies", initech, 1);
        Assert.Equal(HttpStatusCode.NoContent, (await _hubspot.DeleteAsync($"/crm/v4/objects/deals/{acmeDeal}/associations/contacts/{hanna}", Ct)).StatusCode);
        // Here: Otto joins the Acme deal too, and the Globex deal loses its company.
        var patch = await _admin.Client.SendAsync(_admin.SameOrigin(HttpMethod.Patch, $"/api/v1/deals/{acmeDealHere}", JsonContent.Create(new { contactIds = new[] { hannaHere, otto } })), Ct);
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var cleared = await _admin.Client.SendAsync(_admin.SameOrigin(HttpMethod.Patch, $"/api/v1/deals/{ourDeal}", JsonContent.Create(new { accountId = (long?)null })), Ct);
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);

        var incremental = await SyncAsync();
        Assert.Equal(0, incremental.Errors);
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
        {
            var initechHere = await db.Accounts.Where(a => a.Domain == "initech.example").Select(a => a.Id).SingleAsync(Ct);
            Assert.Equal(initechHere, (await db.Contacts.SingleAsync(c => c.Id == hannaHere, Ct)).AccountId);
            // Hanna left the deal there, Otto joined it here: both happen, neither undoes the other.
            var deal = await db.Deals.Include(d => d.Contacts).SingleAsync(d => d.Id == acmeDealHere, Ct);
            Assert.Equal([otto], deal.Contacts.Select(c => c.ContactId));
            Assert.Null((await db.Deals.SingleAsync(d => d.Id == ourDeal, Ct)).AccountId);
        }
        Assert.Equal([ottoThere], (await TheirAssociationsAsync("deals", acmeDeal, "contacts")).Keys);
        Assert.Empty(await TheirAssociationsAsync("deals", ourDealThere, "companies"));
        // HubSpot keeps Acme as an unlabelled company of Hanna's: not ours to remove.
        Assert.Equal(new[] { 279 }, (await TheirAssociationsAsync("contacts", hanna, "companies"))[acme]);

        await SyncAsync();
        var settled = await SyncAsync();
        Assert.Equal((0, 0, 0), (settled.WrittenIn, settled.WrittenOut, settled.Errors));
    }

    [Fact]
    public async Task Associations_BothChangedAContactsCompany_TheLaterChangeWinsUnderLastWriteWins()
    {
        var acme = await AddHubSpotAsync("companies", new { name = "Acme", domain = "acme.example" });
        var initech = await AddHubSpotAsync("companies", new { name = "Initech", domain = "initech.example" });
        var umbrella = await AddHubSpotAsync("companies", new { name = "Umbrella", domain = "umbrella.example" });
        var hanna = await AddHubSpotAsync("contacts", new { email = "hanna@acme.example", firstname = "Hanna" });
        await AssociateAsync("contacts", hanna, "companies", acme, 1);
        await ConfirmAsync();
        await SyncAsync();
        var hannaHere = await OurIdAsync(RecordType.Contact, hanna);
        var umbrellaHere = await OurIdAsync(RecordType.Account, umbrella);

        // Here first, then there: HubSpot's change is the later one and wins.
        var patch = await _admin.Client.SendAsync(_admin.SameOrigin(HttpMethod.Patch, $"/api/v1/contacts/{hannaHere}", JsonContent.Create(new { accountId = umbrellaHere })), Ct);
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        await Task.Delay(20, Ct);
        await AssociateAsync("contacts", hanna, "companies", initech, 1);
        var run = await SyncAsync();
        Assert.True(run.Conflicts >= 1);
        var initechHere = await OurIdAsync(RecordType.Account, initech);
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
            Assert.Equal(initechHere, (await db.Contacts.SingleAsync(c => c.Id == hannaHere, Ct)).AccountId);
        Assert.Contains(1, (await TheirAssociationsAsync("contacts", hanna, "companies"))[initech]);
    }
}
