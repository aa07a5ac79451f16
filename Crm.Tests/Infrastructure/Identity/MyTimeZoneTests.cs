using Crm.Core.Common;
using Crm.Core.Users;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Identity;

/// <summary>Each person's time zone: the browser's on a first visit, then their own choice, never another person's.</summary>
public sealed class MyTimeZoneTests : WorkspaceTests
{
    [Fact]
    public async Task TheBrowsersZone_IsTakenOnce_AChoiceReplacesIt_AndABadOneIsRefused()
    {
        Assert.Null(await Host.RunAsync<GetMyTimeZoneHandler, string?>(Ws.Admin(), h => h.HandleAsync()));
        Assert.Equal("Europe/Berlin", await Host.RunAsync<SetMyTimeZoneHandler, string?>(Ws.Admin(), h => h.HandleAsync("Europe/Berlin", onlyIfUnset: true)));
        // Another browser (a laptop abroad) does not overwrite it; the person's choice does.
        Assert.Equal("Europe/Berlin", await Host.RunAsync<SetMyTimeZoneHandler, string?>(Ws.Admin(), h => h.HandleAsync("Asia/Tokyo", onlyIfUnset: true)));
        Assert.Equal("America/Denver", await Host.RunAsync<SetMyTimeZoneHandler, string?>(Ws.Admin(), h => h.HandleAsync("America/Denver")));
        Assert.Equal("America/Denver", await Host.RunAsync<GetMyTimeZoneHandler, string?>(Ws.Admin(), h => h.HandleAsync()));

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Host.RunAsync<SetMyTimeZoneHandler, string?>(Ws.Admin(), h => h.HandleAsync("Mars/Olympus_Mons")));
        Assert.Contains("not a time zone", error.Errors.Single().Value.Single());
        Assert.Null(await Host.RunAsync<SetMyTimeZoneHandler, string?>(Ws.Admin(), h => h.HandleAsync(null)));

        // Only the person's own row changed: another workspace's admin keeps none.
        var other = await Host.CreateWorkspaceAsync("Globex");
        await Host.RunAsync<SetMyTimeZoneHandler, string?>(Ws.Admin(), h => h.HandleAsync("Asia/Kolkata"));
        Assert.Null(await Host.RunAsync<GetMyTimeZoneHandler, string?>(other.Admin(), h => h.HandleAsync()));
        Assert.Contains("Europe/Berlin", TimeZones.All);
    }
}
