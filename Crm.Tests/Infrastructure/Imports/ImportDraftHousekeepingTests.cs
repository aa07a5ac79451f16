using Crm.Core.Common;
using Crm.Core.Imports;
using Crm.Infrastructure.Jobs;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Imports;

public class ImportDraftHousekeepingTests : WorkspaceTests
{
    [Fact]
    public async Task DraftsNobodyStartedForADay_AreDiscardedWithTheirFiles_StartedImportsStay()
    {
        var old = await Host.UploadAsync(Ws, "Email\nada@example.com\n");
        var started = await Host.ImportAsync(Ws, "Email\ngrace@example.com\n");
        var files = Host.Resolve<IFileStore>();
        string oldKey, startedKey;
        await using (var db = Host.Database.Create(Actor.System(Ws.Id)))
        {
            oldKey = await db.ImportJobs.Where(j => j.Id == old.ImportId).Select(j => j.FileKey).SingleAsync();
            startedKey = await db.ImportJobs.Where(j => j.Id == started.Id).Select(j => j.FileKey).SingleAsync();
        }

        Assert.Equal(0, await ImportDraftHousekeeping.RunAsync(Host.Database, files, ImportDraftLifetime.Default, Host.Time.GetUtcNow().AddHours(23), TestContext.Current.CancellationToken));
        var discarded = await ImportDraftHousekeeping.RunAsync(Host.Database, files, ImportDraftLifetime.Default, Host.Time.GetUtcNow().AddHours(25), TestContext.Current.CancellationToken);

        Assert.Equal(1, discarded);
        Assert.False(files.Exists(oldKey));
        Assert.True(files.Exists(startedKey));
        await using var check = Host.Database.Create(Actor.System(Ws.Id));
        Assert.Equal([started.Id], await check.ImportJobs.Select(j => j.Id).ToListAsync());
    }
}
