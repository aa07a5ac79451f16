using System.Net.Http.Json;
using Crm.Core.Common;
using Crm.Core.Sync;
using Crm.Infrastructure.Integrations.HubSpot;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Infrastructure.Integrations;

/// <summary>The HubSpot connector against the sandbox over HTTP: reading every change past HubSpot's 10,000-result search cap.</summary>
public sealed class HubSpotObjectsTests : HubSpotSyncTestBase
{
    [Fact]
    public async Task ChangesSince_ReadsPastTheSearchCapOf10000_ByReslicingFromTheLastTimeSeen_MissingNone()
    {
        (await _hubspot.PostAsJsonAsync("/_sandbox/hubspot/seed", new { contacts = 10_450, companies = 0, deals = 0 }, Ct)).EnsureSuccessStatusCode();
        await using var scope = _factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(_connection.WorkspaceId, ChangeSource.Sync);
        var contacts = scope.ServiceProvider.GetRequiredKeyedService<IRemoteObjects>("hubspot:contacts");

        var seen = new HashSet<string>();
        int pages = 0, read = 0;
        string? page = null;
        do
        {
            var changed = await contacts.ChangedSinceAsync(_connection, DateTimeOffset.UnixEpoch, page, Ct);
            Assert.True(changed.Records.Count <= HubSpotObjects.SearchPage);
            read += changed.Records.Count;
            foreach (var record in changed.Records) seen.Add(record.Id);
            page = changed.Next;
            Assert.True(++pages < 100, "The pages never ended.");
        } while (page is not null);

        Assert.Equal(10_450, seen.Count);
        // One re-slice: the records sharing the last time seen are read twice, nothing else.
        Assert.InRange(pages, 53, 60);
        Assert.InRange(read - seen.Count, 0, 1_000);
    }
}
