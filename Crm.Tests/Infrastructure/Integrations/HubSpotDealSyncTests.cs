using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Deals;
using Crm.Core.Integrations;
using Crm.Core.Integrations.Sync;
using Crm.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Integrations;

/// <summary>
/// Deals with their stages paired to our pipeline (by name, won and lost, an admin's pairs, or created here on request),
/// and record owners matched to our users by email with an admin's corrections and a fallback admin — over real HTTP
/// against the sandbox's HubSpot.
/// </summary>
public sealed class HubSpotDealSyncTests : HubSpotSyncTestBase
{
    private async Task<JsonElement> HubSpotDealAsync(string id) =>
        JsonDocument.Parse(await _hubspot.GetStringAsync($"/crm/v3/objects/deals/{id}?properties=dealname,amount,dealstage,closedate,pipeline", Ct)).RootElement.GetProperty("properties").Clone();

    private async Task<JsonElement> StagesAsync() =>
        JsonDocument.Parse(await _admin.Client.GetStringAsync($"/api/v1/integrations/{_connection.IntegrationId}/deal-stages", Ct)).RootElement.Clone();

    private async Task<Dictionary<string, long>> OurStagesAsync()
    {
        await using var db = Database.Create(Actor.System(_connection.WorkspaceId));
        return await db.PipelineStages.ToDictionaryAsync(s => s.Name, s => s.Id, Ct);
    }

    [Fact]
    public async Task DealStages_AreMatchedByNameAndWonLost_AnAdminPairsOrCreatesTheRest_AndDealsThenTravelBothWaysWithoutEchoes()
    {
        var big = await AddHubSpotAsync("deals", new { dealname = "Big renewal", amount = "1500", dealstage = "closedwon", closedate = "2027-03-01", pipeline = "default" });
        var early = await AddHubSpotAsync("deals", new { dealname = "Early talk", amount = "99.90", dealstage = "appointmentscheduled", pipeline = "default" });
        var stages = await OurStagesAsync();
        long ours;
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId, ChangeSource.User)))
        {
            var deal = new Deal { Name = "Our proposal", Amount = 2500.50m, PipelineId = await db.Pipelines.Select(p => p.Id).FirstAsync(Ct), StageId = stages["Proposal"], Probability = 50 };
            db.Deals.Add(deal);
            await db.SaveChangesAsync(Ct);
            ours = deal.Id;
        }

        // Only won and lost match our default pipeline by themselves; nothing else is guessed.
        var before = await StagesAsync();
        Assert.Equal(5, before.GetProperty("unmatched").GetInt32());
        var won = before.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("stageId").GetString() == "closedwon");
        Assert.Equal(("Closed Won", "Closed won"), (won.GetProperty("stageLabel").GetString(), won.GetProperty("ourStageName").GetString()));

        // An admin pairs four; a pair naming a stage that does not exist is refused whole.
        var bad = await _admin.Client.SendAsync(_admin.SameOrigin(HttpMethod.Put, $"/api/v1/integrations/{_connection.IntegrationId}/deal-stages",
            JsonContent.Create(new { stages = new Dictionary<string, long?> { ["appointmentscheduled"] = 999_999, ["nosuchstage"] = stages["Proposal"] } })), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var saved = await _admin.Client.SendAsync(_admin.SameOrigin(HttpMethod.Put, $"/api/v1/integrations/{_connection.IntegrationId}/deal-stages",
            JsonContent.Create(new
            {
                stages = new Dictionary<string, long?>
                {
                    ["appointmentscheduled"] = stages["Qualification"], ["qualifiedtobuy"] = stages["Discovery"],
                    ["presentationscheduled"] = stages["Proposal"], ["decisionmakerboughtin"] = stages["Negotiation"],
                },
            })), Ct);
        Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);
        Assert.Equal(1, (await StagesAsync()).GetProperty("unmatched").GetInt32());
        // The last one is created here on request, among the open stages.
        var created = await _admin.Client.SendAsync(_admin.SameOrigin(HttpMethod.Post, $"/api/v1/integrations/{_connection.IntegrationId}/deal-stages/create-missing"), Ct);
        Assert.Equal(1, JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("created").GetInt32());
        Assert.Equal(0, (await StagesAsync()).GetProperty("unmatched").GetInt32());
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
        {
            var order = await db.PipelineStages.OrderBy(s => s.Order).Select(s => s.Name).ToListAsync(Ct);
            Assert.Equal(["Qualification", "Discovery", "Proposal", "Negotiation", "Contract Sent", "Closed won", "Closed lost"], order);
        }
        stages = await OurStagesAsync();

        await ConfirmAsync();
        var first = await SyncAsync();
        Assert.Equal(SyncRunOutcome.Succeeded, first.Outcome);
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
        {
            var deals = await db.Deals.AsNoTracking().ToDictionaryAsync(d => d.Name, Ct);
            Assert.Equal(3, deals.Count);
            Assert.Equal((1500m, stages["Closed won"], new DateOnly(2027, 3, 1), 100), (deals["Big renewal"].Amount, deals["Big renewal"].StageId, deals["Big renewal"].CloseDate, deals["Big renewal"].Probability));
            Assert.Equal((99.90m, stages["Qualification"]), (deals["Early talk"].Amount, deals["Early talk"].StageId));
            var links = await db.SyncRecords.Where(l => l.RecordType == RecordType.Deal).ToDictionaryAsync(l => l.RecordId, Ct);
            Assert.Equal(big, links[deals["Big renewal"].Id].ExternalId);
            var there = await HubSpotDealAsync(links[ours].ExternalId);
            Assert.Equal(("Our proposal", "2500.5", "presentationscheduled", "default"), (there.GetProperty("dealname").GetString(), there.GetProperty("amount").GetString(),
                there.GetProperty("dealstage").GetString(), there.GetProperty("pipeline").GetString()));
        }

        // HubSpot calculates a deal's probability from its stage, and the probability comes in: the deal created there takes it on the next run, alone.
        var settle = await SyncAsync();
        Assert.Equal((1, 0), (settle.WrittenIn, settle.WrittenOut));
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
            Assert.Equal(60, (await db.Deals.SingleAsync(d => d.Id == ours, Ct)).Probability);
        // Dates, amounts and probabilities read back the same: nothing moves on a quiet run.
        var quiet = await SyncAsync();
        Assert.Equal((0, 0), (quiet.WrittenIn, quiet.WrittenOut));

        // A stage change on each side travels to the other.
        await _hubspot.PatchAsJsonAsync($"/crm/v3/objects/deals/{early}", new { properties = new { dealstage = "contractsent" } }, Ct);
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId, ChangeSource.User)))
        {
            var deal = await db.Deals.SingleAsync(d => d.Id == ours, Ct);
            deal.StageId = stages["Negotiation"];
            await db.SaveChangesAsync(Ct);
        }
        var moved = await SyncAsync();
        Assert.Equal((1, 1), (moved.WrittenIn, moved.WrittenOut));
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
        {
            Assert.Equal(stages["Contract Sent"], (await db.Deals.SingleAsync(d => d.Name == "Early talk", Ct)).StageId);
            var oursThere = await db.SyncRecords.Where(l => l.RecordType == RecordType.Deal && l.RecordId == ours).Select(l => l.ExternalId).SingleAsync(Ct);
            Assert.Equal("decisionmakerboughtin", (await HubSpotDealAsync(oursThere)).GetProperty("dealstage").GetString());
        }
        // Again HubSpot's probability for the stage we sent comes back once; then nothing moves.
        var settled = await SyncAsync();
        Assert.Equal((1, 0), (settled.WrittenIn, settled.WrittenOut));
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
            Assert.Equal(80, (await db.Deals.SingleAsync(d => d.Id == ours, Ct)).Probability);
        var after = await SyncAsync();
        Assert.Equal((0, 0), (after.WrittenIn, after.WrittenOut));
    }

    [Fact]
    public async Task ADealInAStageWithNoCounterpart_IsNotCreatedHalfMade_ButListedAsFailing_AndGoesOnceTheStageIsPaired()
    {
        var stages = await OurStagesAsync();
        long id;
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId, ChangeSource.User)))
        {
            var deal = new Deal { Name = "Unpaired", PipelineId = await db.Pipelines.Select(p => p.Id).FirstAsync(Ct), StageId = stages["Discovery"], Probability = 20 };
            db.Deals.Add(deal);
            await db.SaveChangesAsync(Ct);
            id = deal.Id;
        }
        await ConfirmAsync();
        var run = await SyncAsync();
        Assert.Equal((SyncRunOutcome.PartlyFailed, 0), (run.Outcome, run.WrittenOut));
        long linkId;
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
        {
            var link = await db.SyncRecords.SingleAsync(l => l.RecordType == RecordType.Deal && l.RecordId == id, Ct);
            Assert.Equal(SyncRecordStatus.Failing, link.Status);
            Assert.Contains("add it to the mapping", link.LastError, StringComparison.Ordinal);
            linkId = link.Id;
        }
        var all = JsonDocument.Parse(await _hubspot.GetStringAsync("/crm/v3/objects/deals?limit=100", Ct)).RootElement;
        Assert.Equal(0, all.GetProperty("results").GetArrayLength());

        await _admin.Client.SendAsync(_admin.SameOrigin(HttpMethod.Put, $"/api/v1/integrations/{_connection.IntegrationId}/deal-stages",
            JsonContent.Create(new { stages = new Dictionary<string, long?> { ["qualifiedtobuy"] = stages["Discovery"] } })), Ct);
        var retry = await _admin.Client.SendAsync(_admin.SameOrigin(HttpMethod.Post, $"/api/v1/integrations/{_connection.IntegrationId}/records/{linkId}/retry"), Ct);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var again = await SyncAsync();
        Assert.Equal((SyncRunOutcome.Succeeded, 1), (again.Outcome, again.WrittenOut));
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
        {
            var link = await db.SyncRecords.SingleAsync(l => l.RecordType == RecordType.Deal && l.RecordId == id, Ct);
            Assert.Equal(SyncRecordStatus.InSync, link.Status);
            Assert.Equal("qualifiedtobuy", (await HubSpotDealAsync(link.ExternalId)).GetProperty("dealstage").GetString());
        }
    }

    [Fact]
    public async Task Owners_AreMatchedByEmail_CorrectedByAnAdmin_AndUnmappedOnesFallBackToTheChosenAdmin()
    {
        var rep = await _factory.CreateUserAsync(_connection.WorkspaceId, "rep@example.com", "rep-password-123");
        var secondAdmin = await _factory.CreateUserAsync(_connection.WorkspaceId, "second-admin@first.example", "admin-password-123", UserRole.Admin);
        var table = JsonDocument.Parse(await _admin.Client.GetStringAsync($"/api/v1/integrations/{_connection.IntegrationId}/owners", Ct)).RootElement;
        var rows = table.GetProperty("owners").EnumerateArray().ToDictionary(o => o.GetProperty("externalId").GetString()!);
        Assert.Equal((rep, "email"), (rows["41629780"].GetProperty("userId").GetInt64(), rows["41629780"].GetProperty("match").GetString()));
        Assert.Equal("unmapped", rows["41629779"].GetProperty("match").GetString());

        // A rep cannot be the fallback (records without an owner go to an admin); a rep cannot change the table at all.
        var refused = await _admin.Client.SendAsync(_admin.SameOrigin(HttpMethod.Put, $"/api/v1/integrations/{_connection.IntegrationId}/owners",
            JsonContent.Create(new { fallbackUserId = rep })), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var repSession = await TestSupport.BrowserSession.SignInAsync(_factory, "rep@example.com", "rep-password-123");
        var asRep = await repSession.Client.SendAsync(repSession.SameOrigin(HttpMethod.Put, $"/api/v1/integrations/{_connection.IntegrationId}/owners",
            JsonContent.Create(new { fallbackUserId = secondAdmin })), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, asRep.StatusCode);
        long adminId;
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
            adminId = await db.Users.Where(u => u.Email == Crm.Tests.TestSupport.CrmWebFactory.AdminEmail).Select(u => u.Id).SingleAsync(Ct);
        var saved = await _admin.Client.SendAsync(_admin.SameOrigin(HttpMethod.Put, $"/api/v1/integrations/{_connection.IntegrationId}/owners",
            JsonContent.Create(new { owners = new Dictionary<string, long?> { ["41629779"] = adminId }, fallbackUserId = secondAdmin })), Ct);
        Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);
        table = JsonDocument.Parse(await _admin.Client.GetStringAsync($"/api/v1/integrations/{_connection.IntegrationId}/owners", Ct)).RootElement;
        Assert.Equal(secondAdmin, table.GetProperty("fallbackUserId").GetInt64());
        Assert.Equal("admin", table.GetProperty("owners").EnumerateArray().Single(o => o.GetProperty("externalId").GetString() == "41629779").GetProperty("match").GetString());

        await AddHubSpotAsync("contacts", new { email = "by-rep@example.net", firstname = "Repped", hubspot_owner_id = "41629780" });
        await AddHubSpotAsync("contacts", new { email = "by-owner@example.net", firstname = "Mapped", hubspot_owner_id = "41629779" });
        await AddHubSpotAsync("contacts", new { email = "by-departed@example.net", firstname = "Orphan", hubspot_owner_id = "41629782" });
        long ourRepContact;
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId, ChangeSource.User)))
        {
            var contact = new Contact { Email = "ours@example.net", FirstName = "Ours", OwnerId = rep };
            db.Contacts.Add(contact);
            await db.SaveChangesAsync(Ct);
            ourRepContact = contact.Id;
        }
        await ConfirmAsync();
        Assert.Equal(SyncRunOutcome.Succeeded, (await SyncAsync()).Outcome);
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
        {
            var owners = await db.Contacts.ToDictionaryAsync(c => c.Email!, c => c.OwnerId, Ct);
            Assert.Equal(rep, owners["by-rep@example.net"]);
            Assert.Equal(adminId, owners["by-owner@example.net"]);
            Assert.Equal(secondAdmin, owners["by-departed@example.net"]);
            var there = await db.SyncRecords.Where(l => l.RecordType == RecordType.Contact && l.RecordId == ourRepContact).Select(l => l.ExternalId).SingleAsync(Ct);
            var pushed = JsonDocument.Parse(await _hubspot.GetStringAsync($"/crm/v3/objects/contacts/{there}?properties=hubspot_owner_id", Ct)).RootElement;
            Assert.Equal("41629780", pushed.GetProperty("properties").GetProperty("hubspot_owner_id").GetString());
        }
    }

    [Fact]
    public async Task ManyDealsCreatedThere_DoNotLookChangedThereOnTheNextRun_SoTheGuardDoesNotHoldIt()
    {
        var stages = await OurStagesAsync();
        long owner;
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId, ChangeSource.User)))
        {
            owner = await db.Users.Select(u => u.Id).FirstAsync(Ct);
            var pipeline = await db.Pipelines.Select(p => p.Id).FirstAsync(Ct);
            for (var i = 0; i < 30; i++)
                db.Deals.Add(new Deal { Name = $"Won {i}", Amount = 1000 + i, PipelineId = pipeline, StageId = stages[i % 2 == 0 ? "Closed won" : "Closed lost"], Probability = i % 2 == 0 ? 100 : 0,
                    CloseDate = new DateOnly(2026, 12, 31), OwnerId = owner });
            await db.SaveChangesAsync(Ct);
        }
        await ConfirmAsync();
        Assert.Equal(30, (await SyncAsync()).WrittenOut);
        var next = await SyncAsync();
        if (next.Outcome != SyncRunOutcome.Succeeded)
        {
            await using var db = Database.Create(Actor.System(_connection.WorkspaceId));
            var held = await db.Integrations.Select(i => i.HeldChange).SingleAsync(Ct);
            var link = await db.SyncRecords.FirstAsync(l => l.RecordType == RecordType.Deal, Ct);
            var there = await _hubspot.GetStringAsync($"/crm/v3/objects/deals/{link.ExternalId}?properties=dealname,amount,dealstage,closedate,pipeline,hs_deal_stage_probability,hubspot_owner_id", Ct);
            Assert.Fail($"{held}\n{link.SyncedValues}\n{there}");
        }
        Assert.Equal((0, 0), (next.WrittenIn, next.WrittenOut));
    }
}
