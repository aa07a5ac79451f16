using System.Diagnostics;
using System.Net;
using System.Text;
using Crm.Core.Common;
using Crm.Core.Webhooks;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Crm.Infrastructure.Webhooks;

/// <summary>
/// Sends the outbox to the endpoints: <see cref="DispatchAsync"/> turns new events into one delivery per subscription
/// that wants them; <see cref="SendDueAsync"/> sends what is due — at least once, the oldest first, never two about the
/// same record to the same endpoint at once (an event waits for the one before it), signed per Standard Webhooks. A
/// failure (timeout, 408, 429, 5xx, no connection) is tried again with backoff (<see cref="WebhookBackoff"/>,
/// Retry-After honoured) for 3 days; another 4xx is given up at once; 410 Gone turns the endpoint off (Zapier's
/// unsubscribe). An endpoint failing for 3 days is turned off, with the reason for its admins.
/// </summary>
public sealed class WebhookSender(CrmDatabase database, IWebhookSecretProtector secrets, IHttpClientFactory http, TimeProvider time, WebhookSettings settings,
    ILogger<WebhookSender> log)
{
    public const string HttpClientName = "webhooks";
    private const int DispatchBatch = 1000;
    private const int EndpointsPerRound = 100;
    private const int PerEndpointPerRound = 256;
    /// <summary>Requests in flight to one endpoint at once: the pace a receiver is asked to take.</summary>
    public const int PerEndpointConcurrency = 8;
    private static readonly Random Jitter = new();

    /// <summary>New events to deliveries; how many events were dispatched.</summary>
    public async Task<int> DispatchAsync(CancellationToken ct)
    {
        List<(long Id, long WorkspaceId)> pending;
        await using (var scan = database.Create(Actor.Anonymous))
            pending = (await scan.OutboxEvents.IgnoreQueryFilters().Where(e => e.DispatchedAt == null).OrderBy(e => e.Id).Take(DispatchBatch)
                .Select(e => new { e.Id, e.WorkspaceId }).ToListAsync(ct)).Select(e => (e.Id, e.WorkspaceId)).ToList();
        foreach (var workspace in pending.GroupBy(e => e.WorkspaceId))
        {
            await using var db = database.Create(Actor.System(workspace.Key));
            var ids = workspace.Select(e => e.Id).ToList();
            var events = await db.OutboxEvents.Where(e => ids.Contains(e.Id) && e.DispatchedAt == null).OrderBy(e => e.Id).ToListAsync(ct);
            var subscriptions = await db.WebhookSubscriptions.AsNoTracking().Where(s => s.IsActive).ToListAsync(ct);
            var now = time.GetUtcNow();
            foreach (var message in events)
            {
                message.RecordKey = message.CurrentRecordKey();
                message.DispatchedAt = now;
                foreach (var subscription in subscriptions.Where(s => s.Wants(message.Type)))
                    db.WebhookDeliveries.Add(new WebhookDelivery
                    {
                        SubscriptionId = subscription.Id, OutboxEventId = message.Id, EventId = message.EventId, EventType = message.Type,
                        RecordKey = message.RecordKey, CreatedAt = now, NextAttemptAt = now,
                    });
            }
            await db.SaveChangesAsync(ct);
        }
        return pending.Count;
    }

    /// <summary>Sends every delivery that is due (and first in line for its record); how many requests were made.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct, int concurrency = 32)
    {
        var now = time.GetUtcNow();
        List<WebhookDelivery> due;
        Dictionary<long, WebhookSubscription> subscriptions;
        await using (var scan = database.Create(Actor.Anonymous))
        {
            var deliveries = scan.WebhookDeliveries.IgnoreQueryFilters();
            // An endpoint that asked for a pause (429) gets nothing until it ends.
            var paused = scan.WebhookSubscriptions.IgnoreQueryFilters().Where(s => s.PausedUntil != null && s.PausedUntil > now).Select(s => s.Id);
            var dueNow = deliveries.Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && !paused.Contains(d.SubscriptionId));
            // Each endpoint gets its share of a round: one with a million events waiting does not hold up the others.
            var endpoints = await dueNow.Select(d => d.SubscriptionId).Distinct().Take(EndpointsPerRound).ToListAsync(ct);
            due = [];
            foreach (var endpoint in endpoints)
                due.AddRange(await dueNow.AsNoTracking().Include(d => d.Event).Where(d => d.SubscriptionId == endpoint)
                    // In order per record: one waits while an older one about the same record to the same endpoint is pending.
                    .Where(d => d.RecordKey == null || !deliveries.Any(o => o.SubscriptionId == d.SubscriptionId && o.RecordKey == d.RecordKey
                                                                             && o.Status == WebhookDeliveryStatus.Pending && o.Id < d.Id))
                    .OrderBy(d => d.Id).Take(PerEndpointPerRound).ToListAsync(ct));
            var subscriptionIds = due.Select(d => d.SubscriptionId).Distinct().ToList();
            subscriptions = await scan.WebhookSubscriptions.IgnoreQueryFilters().AsNoTracking().Where(s => subscriptionIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        }
        if (due.Count == 0) return 0;
        var results = new List<(WebhookDelivery Delivery, Outcome Outcome)>();
        var lanes = due.Select(d => d.SubscriptionId).Distinct().ToDictionary(id => id, _ => new SemaphoreSlim(PerEndpointConcurrency));
        // Endpoints that answered "slow down" during this round: the rest of their share waits, unsent and unchanged.
        var throttled = new System.Collections.Concurrent.ConcurrentDictionary<long, bool>();
        // Endpoints taken in turn, so the senders are not all queued behind one endpoint's lane.
        due = due.GroupBy(d => d.SubscriptionId).SelectMany(g => g.Select((d, i) => (Delivery: d, Turn: i))).OrderBy(x => x.Turn).Select(x => x.Delivery).ToList();
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = ct }, async (delivery, token) =>
        {
            var lane = lanes[delivery.SubscriptionId];
            await lane.WaitAsync(token);
            try
            {
                if (throttled.ContainsKey(delivery.SubscriptionId)) return;
                var outcome = subscriptions.TryGetValue(delivery.SubscriptionId, out var subscription) && subscription.IsActive
                    ? await SendAsync(subscription, delivery, token)
                    : Outcome.Dropped("The endpoint was turned off or removed.");
                if (outcome.AsksForPause) throttled[delivery.SubscriptionId] = true;
                lock (results) results.Add((delivery, outcome));
            }
            finally
            {
                lane.Release();
            }
        });
        foreach (var lane in lanes.Values) lane.Dispose();
        foreach (var workspace in results.GroupBy(r => r.Delivery.WorkspaceId))
            await RecordAsync(workspace.Key, workspace.ToList(), ct);
        return results.Count(r => r.Outcome.Attempted);
    }

    private sealed record Outcome(bool Attempted, bool Delivered, bool Retry, bool Gone, int? StatusCode, string? Error, string? ResponseBody, int DurationMs,
        TimeSpan? RetryAfter, string RequestBody, DateTimeOffset At)
    {
        public static Outcome Dropped(string why) => new(false, false, false, false, null, why, null, 0, null, "", default);

        /// <summary>429, or 503 with a Retry-After: the endpoint, not this delivery, needs a rest.</summary>
        public bool AsksForPause => StatusCode == 429 || StatusCode == 503 && RetryAfter is not null;
    }

    private async Task<Outcome> SendAsync(WebhookSubscription subscription, WebhookDelivery delivery, CancellationToken ct)
    {
        var at = time.GetUtcNow();
        var body = WebhookPayload.Render(delivery.Event!);
        var keys = new List<string> { secrets.Unprotect(subscription.ProtectedSecret) };
        if (subscription.ProtectedPreviousSecret is { } previous && subscription.PreviousSecretExpiresAt > at) keys.Add(secrets.Unprotect(previous));
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation(StandardWebhookSignature.IdHeader, delivery.EventId);
        request.Headers.TryAddWithoutValidation(StandardWebhookSignature.TimestampHeader, at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(StandardWebhookSignature.SignatureHeader, StandardWebhookSignature.SignAll(keys, delivery.EventId, at, body));
        request.Headers.UserAgent.ParseAdd("CRM-Webhooks/1.0");
        var clock = Stopwatch.StartNew();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(WebhookLimits.Timeout);
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var excerpt = await ExcerptAsync(response, timeout.Token);
            var status = (int)response.StatusCode;
            var retryAfter = response.Headers.RetryAfter is { } header
                ? header.Delta ?? (header.Date is { } date ? date - time.GetUtcNow() : null)
                : null;
            var ok = status is >= 200 and < 300;
            var retry = status is 408 or 429 or >= 500;
            return new Outcome(true, ok, retry, status == 410, status, ok ? null : $"HTTP {status}", excerpt, (int)clock.ElapsedMilliseconds, retryAfter, body, at);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new Outcome(true, false, true, false, null, $"No answer within {WebhookLimits.Timeout.TotalSeconds:F0} s.", null, (int)clock.ElapsedMilliseconds, null, body, at);
        }
        catch (HttpRequestException e)
        {
            var refused = e.InnerException as WebhookTargetRefusedException;
            return new Outcome(true, false, true, false, null, Cut(refused?.Message ?? e.Message, 500), null, (int)clock.ElapsedMilliseconds, null, body, at);
        }
    }

    private static async Task<string?> ExcerptAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[WebhookLimits.LoggedResponseBytes];
        var read = 0;
        while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), ct) is var n and > 0) read += n;
        return read == 0 ? null : Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>The outcomes of one workspace's deliveries: their log rows, their next attempts, their endpoints' health.</summary>
    private async Task RecordAsync(long workspaceId, List<(WebhookDelivery Delivery, Outcome Outcome)> results, CancellationToken ct)
    {
        await using var db = database.Create(Actor.System(workspaceId));
        var ids = results.Select(r => r.Delivery.Id).ToList();
        var deliveries = await db.WebhookDeliveries.Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, ct);
        var subscriptionIds = results.Select(r => r.Delivery.SubscriptionId).Distinct().ToList();
        var subscriptions = await db.WebhookSubscriptions.Where(s => subscriptionIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var now = time.GetUtcNow();
        foreach (var (sent, outcome) in results)
        {
            if (!deliveries.TryGetValue(sent.Id, out var delivery) || delivery.Status != WebhookDeliveryStatus.Pending) continue;
            subscriptions.TryGetValue(delivery.SubscriptionId, out var subscription);
            if (!outcome.Attempted)
            {
                (delivery.Status, delivery.CompletedAt, delivery.LastError) = (WebhookDeliveryStatus.Failed, now, outcome.Error);
                continue;
            }
            delivery.Attempts++;
            (delivery.LastStatusCode, delivery.LastError) = (outcome.StatusCode, outcome.Error);
            db.WebhookAttempts.Add(new WebhookAttempt
            {
                DeliveryId = delivery.Id, SubscriptionId = delivery.SubscriptionId, Number = delivery.Attempts, AttemptedAt = outcome.At, DurationMs = outcome.DurationMs,
                StatusCode = outcome.StatusCode, ResponseBody = outcome.ResponseBody, Error = outcome.Error, RequestBody = outcome.RequestBody,
            });
            if (outcome.Delivered)
            {
                (delivery.Status, delivery.CompletedAt) = (WebhookDeliveryStatus.Delivered, now);
                if (subscription is null) continue;
                subscription.FailingSince = null;
                // A pause ends on time: a request already under way when the 429 came does not lift it.
                if (subscription.PausedUntil <= now) (subscription.PausedUntil, subscription.PauseReason) = (null, null);
                continue;
            }
            delivery.FirstFailedAt ??= outcome.At;
            if (subscription is not null) subscription.FailingSince ??= outcome.At;
            if (outcome.Gone && subscription is not null)
            {
                (delivery.Status, delivery.CompletedAt) = (WebhookDeliveryStatus.Failed, now);
                await DisableAsync(db, subscription, "The endpoint answered 410 Gone: it asked to be sent nothing more.", now, ct);
                continue;
            }
            if (!outcome.Retry || now - delivery.FirstFailedAt >= WebhookLimits.GiveUpAfter)
            {
                (delivery.Status, delivery.CompletedAt) = (WebhookDeliveryStatus.Failed, now);
                if (outcome.Retry) delivery.LastError = Cut($"Given up after {delivery.Attempts} attempts over 3 days: {outcome.Error}", 500);
            }
            else
            {
                var wait = outcome.RetryAfter is { } asked && asked > TimeSpan.Zero
                    ? WebhookBackoff.After(delivery.Attempts, asked, Jitter)
                    : WebhookBackoff.After(delivery.Attempts, null, Jitter) * Math.Clamp(settings.RetryScale, 0.0001, 1);
                delivery.NextAttemptAt = now + wait;
                if (outcome.AsksForPause && subscription is not null && (subscription.PausedUntil is null || subscription.PausedUntil < now + wait))
                {
                    subscription.PausedUntil = now + wait;
                    subscription.PauseReason = Cut($"The endpoint answered {outcome.StatusCode} ({(outcome.RetryAfter is { } ra ? $"Retry-After {ra.TotalSeconds:F0} s" : "no Retry-After")}): " +
                                                   $"nothing is sent to it until {subscription.PausedUntil:u}.", 500);
                }
            }
            if (subscription is { IsActive: true, FailingSince: { } since } && now - since >= WebhookLimits.GiveUpAfter)
                await DisableAsync(db, subscription, Cut($"Every delivery failed for 3 days (the last: {outcome.Error}).", 500), now, ct);
        }
        await db.SaveChangesAsync(ct);
    }

    private async Task DisableAsync(ICrmDb db, WebhookSubscription subscription, string reason, DateTimeOffset now, CancellationToken ct)
    {
        if (!subscription.IsActive) return;
        (subscription.IsActive, subscription.DisabledReason, subscription.DisabledAt) = (false, reason, now);
        log.LogWarning("Webhook endpoint {SubscriptionId} of workspace {WorkspaceId} turned off: {Reason}", subscription.Id, subscription.WorkspaceId, reason);
        // What it still had waiting is given up with it (the log shows why); turning it on again starts afresh.
        var waiting = await db.WebhookDeliveries.Where(d => d.SubscriptionId == subscription.Id && d.Status == WebhookDeliveryStatus.Pending).ToListAsync(ct);
        foreach (var delivery in waiting.Where(d => d.Status == WebhookDeliveryStatus.Pending))
            (delivery.Status, delivery.CompletedAt, delivery.LastError) = (WebhookDeliveryStatus.Failed, now, delivery.LastError ?? "The endpoint was turned off.");
    }

    /// <summary>How long sent events stay for the log, redelivery and pollers.</summary>
    public static readonly TimeSpan KeepEvents = TimeSpan.FromDays(7);

    /// <summary>Events dispatched longer ago than <see cref="KeepEvents"/>, with nothing left to send, go (their log with them).</summary>
    public async Task<int> CleanUpAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow() - KeepEvents;
        await using var db = database.Create(Actor.Anonymous);
        var deliveries = db.WebhookDeliveries.IgnoreQueryFilters();
        return await db.OutboxEvents.IgnoreQueryFilters()
            .Where(e => e.DispatchedAt != null && e.DispatchedAt < cutoff && !deliveries.Any(d => d.OutboxEventId == e.Id && d.Status == WebhookDeliveryStatus.Pending))
            .OrderBy(e => e.Id).Take(5000).ExecuteDeleteAsync(ct);
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length];
}
