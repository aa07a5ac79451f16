using System.Globalization;
using Crm.Core.Calendar;
using Crm.Core.Common;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Webhooks;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Calendar;

/// <summary>
/// Google Calendar's push end to end over real HTTP: the sync opens an events.watch channel per chosen calendar, the
/// sandbox posts each change to the app's /webhooks/google with the channel's token, and it becomes an inbox event for
/// the connection (which starts its sync); a calendar no longer chosen has its channel stopped.
/// </summary>
public class GoogleCalendarPushTests : IAsyncLifetime
{
    private const string Rep = "pat@first.example";
    private CalendarRig _rig = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _rig = await CalendarRig.StartAsync("google", reachable: true, settings: url => new Dictionary<string, string> { ["Integrations:Google:CalendarNotificationUrl"] = $"{url}/webhooks/google" }, ct: Ct);

    public async ValueTask DisposeAsync()
    {
        await _rig.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private async Task<List<WebhookEvent>> PushedAsync(string state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            await using var db = _rig.Database.Create(Actor.Anonymous);
            var stored = await db.WebhookEvents.IgnoreQueryFilters().AsNoTracking().Where(e => e.Provider == "google").ToListAsync(Ct);
            if (stored.Any(e => e.Type == state) || DateTime.UtcNow > deadline) return stored;
            await Task.Delay(100, Ct);
        }
    }

    [Fact]
    public async Task TheSync_WatchesEachChosenCalendar_AChangeIsPushedForTheConnection_AndAnUnchosenCalendarsChannelIsStopped()
    {
        var connection = await _rig.ConnectAsync(Rep, Rep, ct: Ct);
        var run = await _rig.SyncAsync(connection, ct: Ct);
        Assert.True(run.Outcome == SyncRunOutcome.Succeeded, run.Error);
        await using (var db = _rig.Database.Create(Actor.System(connection.WorkspaceId)))
        {
            var channel = await db.WebhookChannels.AsNoTracking().SingleAsync(Ct);
            Assert.Equal(connection.IntegrationId, channel.IntegrationId);
            Assert.NotNull(channel.ResourceId);
            Assert.True(channel.ExpiresAt > DateTimeOffset.UtcNow.AddDays(6));
        }
        // Google's first message on a channel ("sync") may come before the channel is recorded: it carries no change.
        await _rig.ImportGoogleAsync(Rep, CalendarRig.GoogleEvent("Pushed meeting", DateTimeOffset.UtcNow.AddDays(2), Rep, ["ada@engines.example"]), ct: Ct);
        var pushed = await PushedAsync("exists");
        Assert.Contains(pushed, e => e.Type == "exists" && e.Account == connection.IntegrationId.ToString(CultureInfo.InvariantCulture) && e.WorkspaceId == connection.WorkspaceId);

        // A second sync keeps the live channel (no new one); reading no calendar stops it.
        await _rig.SyncAsync(connection, ct: Ct);
        await using (var db = _rig.Database.Create(Actor.System(connection.WorkspaceId)))
        {
            Assert.Single(await db.WebhookChannels.AsNoTracking().ToListAsync(Ct));
            var row = await db.Integrations.SingleAsync(i => i.Id == connection.IntegrationId, Ct);
            var settings = CalendarSettings.Parse(row.CalendarSettings);
            row.CalendarSettings = (settings with { Calendars = [.. settings.Calendars.Select(c => c with { Selected = false })] }).ToJson();
            await db.SaveChangesAsync(Ct);
        }
        await _rig.SyncAsync(connection, ct: Ct);
        await using (var db = _rig.Database.Create(Actor.System(connection.WorkspaceId)))
            Assert.Empty(await db.WebhookChannels.AsNoTracking().ToListAsync(Ct));
    }
}
