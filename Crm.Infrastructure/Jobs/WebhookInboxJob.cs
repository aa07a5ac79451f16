using System.Globalization;
using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Webhooks;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Crm.Infrastructure.Jobs;

/// <summary>Every few seconds: the webhook inbox is worked off (see <see cref="WebhookInboxProcessing"/>).</summary>
[DisallowConcurrentExecution]
public sealed class WebhookInboxJob(CrmDatabase database, IConnectionSchedule schedule, TimeProvider time) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        while (await WebhookInboxProcessing.RunAsync(database, schedule, time.GetUtcNow(), ct) == WebhookInboxProcessing.BatchSize) { }
    }
}

/// <summary>
/// What the inbox job does with stored events: each is attributed to its connection — HubSpot's by the portal id among
/// the workspaces' HubSpot connections, Graph's and Google's by the channel they came through — and each connection with
/// news runs its sync once, soon (it reads the changes from its cursor, so nothing depends on an event's order or on
/// one being lost). Events no connection wants are kept as ignored; a failure is retried up to 5 times. Handled events
/// are deleted after 30 days.
/// </summary>
public static class WebhookInboxProcessing
{
    public const int BatchSize = 500;
    public const int MaxAttempts = 5;
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(30);

    /// <returns>How many events this pass handled.</returns>
    public static async Task<int> RunAsync(CrmDatabase database, IConnectionSchedule schedule, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = database.Create(Actor.Anonymous);
        var events = await db.WebhookEvents.Where(e => e.Status == WebhookEventStatus.Received || e.Status == WebhookEventStatus.Failed && e.Attempts < MaxAttempts)
            .OrderBy(e => e.Id).Take(BatchSize).ToListAsync(ct);
        if (events.Count > 0)
        {
            var portals = events.Where(e => e.Provider == "hubspot" && e.Account != null).Select(e => e.Account!).Distinct().ToList();
            var hubspot = (await db.Integrations.IgnoreQueryFilters().AsNoTracking()
                    .Where(i => i.Provider == IntegrationProviders.HubSpot && i.AccountId != null && portals.Contains(i.AccountId) && i.Status != ConnectionStatus.Disconnected)
                    .Select(i => new { i.Id, i.WorkspaceId, i.AccountId }).ToListAsync(ct))
                .ToLookup(i => i.AccountId!, i => (i.WorkspaceId, i.Id));
            var runs = new HashSet<(long WorkspaceId, long IntegrationId)>();
            foreach (var e in events)
            {
                e.Attempts++;
                IEnumerable<(long WorkspaceId, long Id)> targets = e.Provider switch
                {
                    "hubspot" when e.Account is not null => hubspot[e.Account],
                    "microsoft" or "google" or "gmail" when e.WorkspaceId is { } ws && long.TryParse(e.Account, NumberStyles.None, CultureInfo.InvariantCulture, out var id) => [(ws, id)],
                    _ => [],
                };
                var list = targets.ToList();
                if (list.Count == 0)
                {
                    (e.Status, e.ProcessedAt, e.LastError) = (WebhookEventStatus.Ignored, now, "No connection of any workspace takes this event.");
                    continue;
                }
                e.WorkspaceId ??= list[0].WorkspaceId;
                foreach (var target in list) runs.Add(target);
                (e.Status, e.ProcessedAt, e.LastError) = (WebhookEventStatus.Processed, now, null);
            }
            var ids = runs.Select(r => r.IntegrationId).Distinct().ToList();
            var runnable = await db.Integrations.IgnoreQueryFilters().AsNoTracking()
                .Where(i => ids.Contains(i.Id) && i.IsActive && i.PausedAt == null
                            && (i.Status == ConnectionStatus.Connected || i.Status == ConnectionStatus.Error || i.Status == ConnectionStatus.Syncing))
                .Select(i => new { i.WorkspaceId, i.Id }).ToListAsync(ct);
            try
            {
                foreach (var connection in runnable) await schedule.RunNowAsync(connection.WorkspaceId, connection.Id, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                foreach (var ev in events.Where(x => x.Status == WebhookEventStatus.Processed))
                    (ev.Status, ev.ProcessedAt, ev.LastError) = (WebhookEventStatus.Failed, null, "Could not start the connection's sync: " + e.Message[..Math.Min(e.Message.Length, 500)]);
            }
            await db.SaveChangesAsync(ct);
        }
        var cutoff = now - KeepFor;
        await db.WebhookEvents.Where(e => (e.Status == WebhookEventStatus.Processed || e.Status == WebhookEventStatus.Ignored) && e.ReceivedAt < cutoff).ExecuteDeleteAsync(ct);
        return events.Count;
    }
}
