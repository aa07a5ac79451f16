using System.Net.Http.Json;
using System.Text.Json;
using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Deals;
using Crm.Core.Integrations.Sync;
using Crm.Sandbox.Faults;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Integrations;

/// <summary>
/// Creates whose answer is lost (HubSpot made the record, the connection dropped on the way back): the next run finds
/// the record by the key the create carried (the unique <c>crm_record_id</c> property), and nothing exists twice on
/// either side — for deals and domain-less companies, which have no natural key to match by.
/// </summary>
public sealed class HubSpotIdempotencyTests : HubSpotSyncTestBase
{
    private async Task<int> TheirCountAsync(string type) =>
        JsonDocument.Parse(await _hubspot.GetStringAsync($"/crm/v3/objects/{type}?limit=100", Ct)).RootElement.GetProperty("results").GetArrayLength();

    [Fact]
    public async Task Create_WhoseAnswerIsLost_IsFoundByItsKeyNextRun_AndNeverMadeTwice()
    {
        long deal, account;
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId, ChangeSource.User)))
        {
            var won = await db.PipelineStages.SingleAsync(s => s.Name == "Closed won", Ct);
            var company = new Account { Name = "No Domain GmbH" };
            db.Accounts.Add(company);
            var d = new Deal { Name = "Lost answer", Amount = 500, PipelineId = won.PipelineId, StageId = won.Id, Probability = 100 };
            db.Deals.Add(d);
            await db.SaveChangesAsync(Ct);
            (deal, account) = (d.Id, company.Id);
        }
        await ConfirmAsync();
        _sandbox.Faults.Set(new FaultPlan { Provider = "hubspot", Surface = SandboxSurface.Api, LostAnswerRate = 1, Path = "/batch/create" }, DateTimeOffset.UtcNow);
        // The run stops at the lost answer: HubSpot made the company; deals come after companies.
        var lost = await SyncAsync();
        Assert.NotEqual(SyncRunOutcome.Succeeded, lost.Outcome);
        Assert.Equal((1, 0), (await TheirCountAsync("companies"), await TheirCountAsync("deals")));
        // Still losing answers: the company is found by its key, not created again; the deal's create is lost in turn.
        var again = await SyncAsync();
        Assert.NotEqual(SyncRunOutcome.Succeeded, again.Outcome);
        Assert.Equal((1, 1), (await TheirCountAsync("companies"), await TheirCountAsync("deals")));

        _sandbox.Faults.Clear();
        var next = await SyncAsync();
        Assert.Equal(SyncRunOutcome.Succeeded, next.Outcome);
        await SyncAsync();
        Assert.Equal((1, 1), (await TheirCountAsync("companies"), await TheirCountAsync("deals")));
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
        {
            Assert.Equal((1, 1), (await db.Accounts.CountAsync(Ct), await db.Deals.CountAsync(Ct)));
            var links = await db.SyncRecords.Where(l => l.IntegrationId == _connection.IntegrationId).ToListAsync(Ct);
            Assert.Equal(2, links.Count);
            Assert.All(links, l => Assert.False(l.ExternalId.StartsWith("pending:"), l.ExternalId));
            Assert.Contains(links, l => l.RecordType == RecordType.Deal && l.RecordId == deal);
            Assert.Contains(links, l => l.RecordType == RecordType.Account && l.RecordId == account);
        }
        // What HubSpot holds says where it came from.
        var theirs = JsonDocument.Parse(await _hubspot.GetStringAsync("/crm/v3/objects/deals?properties=crm_record_id", Ct)).RootElement.GetProperty("results")[0];
        Assert.Equal($"{_connection.WorkspaceId}:{deal}", theirs.GetProperty("properties").GetProperty("crm_record_id").GetString());
    }
}
