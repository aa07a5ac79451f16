using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Integrations;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;
using Crm.Infrastructure.Persistence;
using Crm.Sandbox.HubSpot;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Infrastructure.Integrations;

/// <summary>
/// Contacts and companies kept in step with the sandbox's HubSpot over real HTTP, through the whole sync run: the first run matches by
/// email and creates on both sides, later runs carry each side's changes, our own writes never come back as changes,
/// a record HubSpot refuses fails alone, and a delete here archives there.
/// </summary>
public sealed class HubSpotSyncTests : HubSpotSyncTestBase
{
    [Fact]
    public async Task ThePreview_CountsCompaniesByDomainAndDeals_AndWritesNothing()
    {
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId, ChangeSource.User)))
        {
            db.Accounts.AddRange(new Crm.Core.Accounts.Account { Name = "Acme here", Domain = "acme.example" }, new Crm.Core.Accounts.Account { Name = "Only here", Domain = "only.example" });
            await db.SaveChangesAsync(Ct);
        }
        foreach (var (type, properties) in new (string, object)[]
                 {
                     ("companies", new { name = "Acme there", domain = "ACME.example" }), ("companies", new { name = "Initech", domain = "initech.example" }),
                     ("companies", new { name = "No domain" }), ("deals", new { dealname = "Renewal", dealstage = "closedwon", pipeline = "default" }),
                 })
            (await _hubspot.PostAsJsonAsync($"/crm/v3/objects/{type}", new { properties }, Ct)).EnsureSuccessStatusCode();

        var preview = JsonDocument.Parse(await _admin.Client.GetStringAsync($"/api/v1/integrations/{_connection.IntegrationId}/initial-sync", Ct)).RootElement;
        var others = preview.GetProperty("others").EnumerateArray().ToDictionary(o => o.GetProperty("objectType").GetString()!);
        var companies = others["companies"];
        Assert.Equal(("domain", 3, 2, 1, 2, 1, 1), (companies.GetProperty("matchedBy").GetString(), companies.GetProperty("theirs").GetInt32(), companies.GetProperty("ours").GetInt32(),
            companies.GetProperty("matchedByEmail").GetInt32(), companies.GetProperty("createHere").GetInt32(), companies.GetProperty("createThere").GetInt32(),
            companies.GetProperty("matchesThatDiffer").GetInt32()));
        var deals = others["deals"];
        Assert.Equal((1, 0, 1, 0), (deals.GetProperty("theirs").GetInt32(), deals.GetProperty("matchedByEmail").GetInt32(), deals.GetProperty("createHere").GetInt32(), deals.GetProperty("createThere").GetInt32()));
        await using var read = Database.Create(Actor.System(_connection.WorkspaceId));
        Assert.Equal((2, 0, 0), (await read.Accounts.CountAsync(Ct), await read.Deals.CountAsync(Ct), await read.SyncRecords.CountAsync(Ct)));
    }

    [Fact]
    public async Task Companies_MatchByTheirDomainAsWeStoreIt_AWwwOrCapitalsMakeNoSecondAccount()
    {
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId, ChangeSource.User)))
        {
            db.Accounts.Add(new Crm.Core.Accounts.Account { Name = "Acme", Domain = "acme.example" });
            await db.SaveChangesAsync(Ct);
        }
        (await _hubspot.PostAsJsonAsync("/crm/v3/objects/companies", new { properties = new { name = "Acme Inc", domain = "https://www.ACME.example/" } }, Ct)).EnsureSuccessStatusCode();
        await ConfirmAsync();
        Assert.Equal(0, (await SyncAsync()).Errors);
        await using var read = Database.Create(Actor.System(_connection.WorkspaceId));
        Assert.Equal(1, await read.Accounts.CountAsync(Ct));
        Assert.Equal(1, await read.SyncRecords.CountAsync(l => l.RecordType == RecordType.Account, Ct));
    }

    [Fact]
    public async Task TheFirstRun_MatchesByEmail_AndCreatesOnBothSides_LaterRunsCarryChangesBothWays_WithoutEchoes()
    {
        var shared = await AddContactAsync("ada@example.com", "Ada");
        var oursOnly = await AddContactAsync("grace@example.com", "Grace");
        var sharedThere = await AddHubSpotContactAsync(new { email = "ada@example.com", firstname = "Augusta Ada", lifecyclestage = "salesqualifiedlead" });
        await AddHubSpotContactAsync(new { email = "alan@example.com", firstname = "Alan", lifecyclestage = "customer" });

        // Before an admin confirms, a run writes nothing; the preview says what the first sync will do.
        var unconfirmed = await SyncAsync();
        Assert.Equal((SyncRunOutcome.Succeeded, 0, 0), (unconfirmed.Outcome, unconfirmed.WrittenIn, unconfirmed.WrittenOut));
        var preview = JsonDocument.Parse(await _admin.Client.GetStringAsync($"/api/v1/integrations/{_connection.IntegrationId}/initial-sync", Ct)).RootElement;
        Assert.Equal((2, 2, 1, 1, 1, 1), (preview.GetProperty("theirs").GetInt32(), preview.GetProperty("ours").GetInt32(), preview.GetProperty("matchedByEmail").GetInt32(),
            preview.GetProperty("createHere").GetInt32(), preview.GetProperty("createThere").GetInt32(), preview.GetProperty("matchesThatDiffer").GetInt32()));
        Assert.Equal(1, preview.GetProperty("fieldsSettledBy").GetProperty("theirs wins").GetInt32());
        Assert.Equal(1, preview.GetProperty("fieldsSettledBy").GetProperty("last write wins").GetInt32());
        // Companies and deals are counted too: no companies or deals on either side yet.
        var others = preview.GetProperty("others").EnumerateArray().ToDictionary(o => o.GetProperty("objectType").GetString()!);
        Assert.Equal(("domain", 0, 0), (others["companies"].GetProperty("matchedBy").GetString(), others["companies"].GetProperty("theirs").GetInt32(), others["companies"].GetProperty("ours").GetInt32()));
        Assert.Equal(JsonValueKind.Null, others["deals"].GetProperty("matchedBy").ValueKind);
        Assert.Equal(2, (await OurContactsAsync()).Count);
        await ConfirmAsync();

        var first = await SyncAsync();
        Assert.Equal(SyncRunOutcome.Succeeded, first.Outcome);
        var ours = await OurContactsAsync();
        Assert.Equal(["ada@example.com", "grace@example.com", "alan@example.com"], ours.Select(c => c.Email));
        Assert.Equal(Lifecycle.Customer, ours.Single(c => c.Email == "alan@example.com").Lifecycle);
        // The matched pair: lifecycle is HubSpot's (theirs wins), the name goes to the last writer (theirs, written after ours).
        var ada = ours.Single(c => c.Id == shared);
        Assert.Equal((Lifecycle.Sql, "Augusta Ada"), (ada.Lifecycle, ada.FirstName));
        var all = JsonDocument.Parse(await _hubspot.GetStringAsync("/crm/v3/objects/contacts?limit=100&properties=email", Ct)).RootElement;
        Assert.Equal(3, all.GetProperty("results").GetArrayLength());
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
        {
            var links = await db.SyncRecords.Where(l => l.IntegrationId == _connection.IntegrationId).ToListAsync(Ct);
            Assert.Equal(3, links.Count);
            Assert.All(links, l => Assert.Equal(SyncRecordStatus.InSync, l.Status));
            Assert.Equal(sharedThere, links.Single(l => l.RecordId == shared).ExternalId);
        }

        // Nothing changed: nothing written either way (our writes and theirs are not read back as changes).
        var quiet = await SyncAsync();
        Assert.Equal((0, 0), (quiet.WrittenIn, quiet.WrittenOut));

        // A change on each side travels to the other.
        await _hubspot.PatchAsJsonAsync($"/crm/v3/objects/contacts/{sharedThere}", new { properties = new { jobtitle = "Analyst" } }, Ct);
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId, ChangeSource.User)))
        {
            var grace = await db.Contacts.SingleAsync(c => c.Id == oursOnly, Ct);
            grace.FirstName = "Grace B.";
            await db.SaveChangesAsync(Ct);
        }
        var both = await SyncAsync();
        Assert.Equal((1, 1), (both.WrittenIn, both.WrittenOut));
        Assert.Equal("Analyst", (await OurContactsAsync()).Single(c => c.Id == shared).JobTitle);
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
        {
            var graceThere = await db.SyncRecords.Where(l => l.RecordId == oursOnly).Select(l => l.ExternalId).SingleAsync(Ct);
            Assert.Equal("Grace B.", (await HubSpotContactAsync(graceThere)).GetProperty("properties").GetProperty("firstname").GetString());
            // History says the sync wrote it, and what decided it: a change on HubSpot's side only; the first run's name by the rule.
            var jobTitle = await db.FieldChanges.Where(f => f.RecordId == shared && f.RecordType == RecordType.Contact && f.Field == "JobTitle").ToListAsync(Ct);
            Assert.Contains(jobTitle, f => f.Source == ChangeSource.Sync && f.SourceRef == "hubspot sync, changed there");
            Assert.Contains(await db.FieldChanges.Where(f => f.RecordId == shared && f.RecordType == RecordType.Contact && f.Field == "FirstName").Select(f => f.SourceRef).ToListAsync(Ct),
                r => r == "hubspot sync, both changed: last write wins");
        }
        var after = await SyncAsync();
        Assert.Equal((0, 0), (after.WrittenIn, after.WrittenOut));
    }

    [Fact]
    public async Task ARecordHubSpotRefuses_FailsAlone_WithHubSpotsReason_AndADeleteHereArchivesThere()
    {
        await ConfirmAsync();
        var good = await AddContactAsync("good@example.com", "Good");
        // An address an older import let in, which HubSpot refuses.
        var refused = await AddContactAsync("broken@example", "Broken");
        var tier = await AddContactAsync("tier@example.com", "Tiered", scoreTier: "Gold");
        var run = await SyncAsync();
        Assert.Equal(SyncRunOutcome.PartlyFailed, run.Outcome);
        Assert.Equal((2, 1), (run.WrittenOut, run.Errors));
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
        {
            var failing = await db.SyncRecords.SingleAsync(l => l.RecordId == refused, Ct);
            Assert.Equal(SyncRecordStatus.Failing, failing.Status);
            Assert.Contains("INVALID_EMAIL", failing.LastError, StringComparison.Ordinal);
            // A tier HubSpot has no lead status for: the contact goes out without it, and says so.
            var tiered = await db.SyncRecords.SingleAsync(l => l.RecordId == tier, Ct);
            Assert.Equal(SyncRecordStatus.Failing, tiered.Status);
            Assert.Equal("scoreTier \"Gold\" has no hs_lead_status value there; add it to the mapping.", tiered.LastError);
            Assert.Equal("tier@example.com", (await HubSpotContactAsync(tiered.ExternalId)).GetProperty("properties").GetProperty("email").GetString());
            var goodThere = await db.SyncRecords.Where(l => l.RecordId == good).Select(l => l.ExternalId).SingleAsync(Ct);

            // Fixed here, it goes through on the next run.
            var broken = await db.Contacts.SingleAsync(c => c.Id == refused, Ct);
            broken.Email = "broken@example.com";
            await db.SaveChangesAsync(Ct);

            var contact = await db.Contacts.SingleAsync(c => c.Id == good, Ct);
            contact.DeletedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync(Ct);
            var next = await SyncAsync();
            Assert.Equal(SyncRunOutcome.Succeeded, next.Outcome);
            Assert.Equal(HttpStatusCode.NotFound, (await _hubspot.GetAsync($"/crm/v3/objects/contacts/{goodThere}", Ct)).StatusCode);
        }
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
        {
            var fixedLink = await db.SyncRecords.SingleAsync(l => l.RecordId == refused, Ct);
            Assert.Equal(SyncRecordStatus.InSync, fixedLink.Status);
            Assert.Equal("broken@example.com", (await HubSpotContactAsync(fixedLink.ExternalId)).GetProperty("properties").GetProperty("email").GetString());
            Assert.False(await db.SyncRecords.AnyAsync(l => l.RecordId == good, Ct));
        }
    }

    [Fact]
    public async Task AManualRule_QueuesTheConflict_WithBothValues_AndResolvingPushesTheChosenValueToBothSides()
    {
        var rules = await _admin.Client.SendAsync(_admin.SameOrigin(HttpMethod.Patch, $"/api/v1/integrations/{_connection.IntegrationId}",
            JsonContent.Create(new { conflictRules = new { @default = "fieldPriority", fields = new { firstName = "manual", lifecycle = "theirsWins" } } })), Ct);
        Assert.Equal(HttpStatusCode.OK, rules.StatusCode);
        await ConfirmAsync();
        var id = await AddContactAsync("ada@example.com", "Ada");
        await SyncAsync();
        string there;
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId, ChangeSource.User)))
        {
            there = await db.SyncRecords.Where(l => l.RecordId == id).Select(l => l.ExternalId).SingleAsync(Ct);
            var ada = await db.Contacts.SingleAsync(c => c.Id == id, Ct);
            ada.FirstName = "Ada (ours)";
            await db.SaveChangesAsync(Ct);
        }
        await _hubspot.PatchAsJsonAsync($"/crm/v3/objects/contacts/{there}", new { properties = new { firstname = "Ada (theirs)" } }, Ct);

        var queued = await SyncAsync();
        Assert.Equal((0, 0), (queued.WrittenIn, queued.WrittenOut));
        var conflicts = JsonDocument.Parse(await _admin.Client.GetStringAsync($"/api/v1/integrations/{_connection.IntegrationId}/conflicts", Ct)).RootElement;
        var conflict = Assert.Single(conflicts.EnumerateArray());
        Assert.Equal(("firstName", "Ada (ours)", "Ada (theirs)", "open"), (conflict.GetProperty("field").GetString(), conflict.GetProperty("oursValue").GetString(),
            conflict.GetProperty("theirsValue").GetString(), conflict.GetProperty("state").GetString()));
        // Waiting: another run neither writes nor queues it twice.
        await SyncAsync();
        Assert.Single(JsonDocument.Parse(await _admin.Client.GetStringAsync($"/api/v1/integrations/{_connection.IntegrationId}/conflicts", Ct)).RootElement.EnumerateArray());

        var resolved = await _admin.Client.SendAsync(_admin.SameOrigin(HttpMethod.Post, $"/api/v1/integrations/{_connection.IntegrationId}/conflicts/{conflict.GetProperty("id").GetInt64()}/resolve",
            JsonContent.Create(new { take = "value", value = "Ada Lovelace" })), Ct);
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var pushed = await SyncAsync();
        Assert.Equal(1, pushed.WrittenOut);
        Assert.Equal("Ada Lovelace", (await OurContactsAsync()).Single(c => c.Id == id).FirstName);
        Assert.Equal("Ada Lovelace", (await HubSpotContactAsync(there)).GetProperty("properties").GetProperty("firstname").GetString());
        Assert.Equal("[]", await _admin.Client.GetStringAsync($"/api/v1/integrations/{_connection.IntegrationId}/conflicts", Ct));
        var quiet = await SyncAsync();
        Assert.Equal((0, 0), (quiet.WrittenIn, quiet.WrittenOut));
    }

    [Fact]
    public async Task Companies_MatchByDomain_AreCreatedOnBothSides_AndTheirChangesComeIn()
    {
        await ConfirmAsync();
        long matched, oursOnly;
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId, ChangeSource.User)))
        {
            var acme = new Crm.Core.Accounts.Account { Name = "Acme", Domain = "acme.example" };
            var globex = new Crm.Core.Accounts.Account { Name = "Globex", Domain = "globex.example", Industry = "Software" };
            db.Accounts.AddRange(acme, globex);
            await db.SaveChangesAsync(Ct);
            (matched, oursOnly) = (acme.Id, globex.Id);
        }
        var acmeThere = await _hubspot.PostAsJsonAsync("/crm/v3/objects/companies", new { properties = new { name = "ACME Corp", domain = "acme.example", city = "Berlin" } }, Ct);
        var acmeId = JsonDocument.Parse(await acmeThere.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString()!;
        await _hubspot.PostAsJsonAsync("/crm/v3/objects/companies", new { properties = new { name = "Initech", domain = "initech.example" } }, Ct);

        var run = await SyncAsync();
        Assert.Equal(SyncRunOutcome.Succeeded, run.Outcome);
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
        {
            var accounts = await db.Accounts.OrderBy(a => a.Id).ToListAsync(Ct);
            Assert.Equal(["acme.example", "globex.example", "initech.example"], accounts.Select(a => a.Domain));
            Assert.Equal("Berlin", accounts.Single(a => a.Id == matched).City);
            Assert.Equal(acmeId, await db.SyncRecords.Where(l => l.RecordType == RecordType.Account && l.RecordId == matched).Select(l => l.ExternalId).SingleAsync(Ct));
            var globexThere = await db.SyncRecords.Where(l => l.RecordType == RecordType.Account && l.RecordId == oursOnly).Select(l => l.ExternalId).SingleAsync(Ct);
            var company = JsonDocument.Parse(await _hubspot.GetStringAsync($"/crm/v3/objects/companies/{globexThere}?properties=name,industry", Ct)).RootElement;
            Assert.Equal(("Globex", "COMPUTER_SOFTWARE"), (company.GetProperty("properties").GetProperty("name").GetString(), company.GetProperty("properties").GetProperty("industry").GetString()));
        }

        await _hubspot.PatchAsJsonAsync($"/crm/v3/objects/companies/{acmeId}", new { properties = new { industry = "RETAIL" } }, Ct);
        var next = await SyncAsync();
        Assert.Equal(1, next.WrittenIn);
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
            Assert.Equal("Retail", (await db.Accounts.SingleAsync(a => a.Id == matched, Ct)).Industry);
    }
}
