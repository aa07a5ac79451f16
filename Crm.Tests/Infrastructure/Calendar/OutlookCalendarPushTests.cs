using System.Globalization;
using Crm.Core.Calendar;
using Crm.Core.Common;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Webhooks;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Calendar;

/// <summary>
/// Outlook calendars' change notifications over real HTTP: the sync subscribes to each chosen calendar's events (Graph's
/// validation handshake answered by the app), a change is notified to /webhooks/microsoft and stored for the
/// connection; a calendar no longer chosen has its subscription deleted.
/// </summary>
public class OutlookCalendarPushTests : IAsyncLifetime
{
    private const string Rep = "quinn@first.example";
    private CalendarRig _rig = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _rig = await CalendarRig.StartAsync("microsoft", reachable: true, settings: url => new Dictionary<string, string> { ["Integrations:Microsoft:NotificationUrl"] = $"{url}/webhooks/microsoft" }, ct: Ct);

    public async ValueTask DisposeAsync()
    {
        await _rig.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task TheSync_SubscribesToEachChosenCalendar_AChangeIsNotifiedForTheConnection_AndAnUnchosenCalendarsSubscriptionGoes()
    {
        var connection = await _rig.ConnectAsync(Rep, Rep, ct: Ct);
        var run = await _rig.SyncAsync(connection, ct: Ct);
        Assert.True(run.Outcome == SyncRunOutcome.Succeeded, run.Error);
        await using (var db = _rig.Database.Create(Actor.System(connection.WorkspaceId)))
        {
            var channel = await db.WebhookChannels.AsNoTracking().SingleAsync(Ct);
            Assert.StartsWith("me/calendars/", channel.ResourceId);
            Assert.EndsWith("/events", channel.ResourceId);
        }

        await _rig.ImportGraphAsync(Rep, CalendarRig.GraphEvent("Notified meeting", DateTime.UtcNow.Date.AddDays(3).AddHours(9), "UTC", Rep, ["ada@engines.example"]), ct: Ct);
        WebhookEvent? notified = null;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (notified is null && DateTime.UtcNow < deadline)
        {
            await using var db = _rig.Database.Create(Actor.Anonymous);
            notified = await db.WebhookEvents.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(e => e.Provider == "microsoft", Ct);
            if (notified is null) await Task.Delay(100, Ct);
        }
        Assert.NotNull(notified);
        Assert.Equal((connection.WorkspaceId, connection.IntegrationId.ToString(CultureInfo.InvariantCulture), "created"), (notified.WorkspaceId, notified.Account, notified.Type));

        await using (var db = _rig.Database.Create(Actor.System(connection.WorkspaceId)))
        {
            var row = await db.Integrations.SingleAsync(i => i.Id == connection.IntegrationId, Ct);
            var settings = CalendarSettings.Parse(row.CalendarSettings);
            row.CalendarSettings = (settings with { Calendars = [.. settings.Calendars.Select(c => c with { Selected = false })] }).ToJson();
            await db.SaveChangesAsync(Ct);
        }
        await _rig.SyncAsync(connection, ct: Ct);
        await using (var db = _rig.Database.Create(Actor.System(connection.WorkspaceId)))
            Assert.Empty(await db.WebhookChannels.AsNoTracking().ToListAsync(Ct));
        var stats = System.Text.Json.JsonSerializer.SerializeToElement(_rig.Sandbox.GraphSubscriptions.Stats());
        Assert.Equal(0, stats.GetProperty("subscriptions").GetInt32());
    }
}
