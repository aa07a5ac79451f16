using Crm.Core.Common;
using Crm.Core.Integrations.Webhooks;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Integrations;

/// <summary>
/// Stores verified events once each, with group commit: deliveries arriving together are written by one of them in one
/// transaction, instead of each waiting its turn for the database's write lock (on SQLite, writers that collide sleep
/// and retry, which made a busy second's slowest deliveries take over a second). Events already stored are left out;
/// the unique index (provider, event id) settles a race with another app instance — then each event is tried alone.
/// </summary>
public sealed class WebhookInbox(CrmDatabase database, DatabaseRetry retry) : IWebhookInbox, IDisposable
{
    /// <summary>Events per transaction at most (a burst is written in several).</summary>
    private const int MaxEventsPerCommit = 5_000;

    private sealed class Pending(IReadOnlyList<WebhookEvent> events)
    {
        public IReadOnlyList<WebhookEvent> Events { get; } = events;
        public TaskCompletionSource<int> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly Lock _lock = new();
    private readonly List<Pending> _waiting = [];
    private readonly SemaphoreSlim _writer = new(1, 1);

    public async Task<int> StoreAsync(IReadOnlyList<WebhookEvent> events, CancellationToken ct)
    {
        var mine = new Pending(events);
        lock (_lock) _waiting.Add(mine);
        await _writer.WaitAsync(ct);
        try
        {
            // Unless the writer before took ours along, this delivery writes everything waiting now.
            while (!mine.Stored.Task.IsCompleted)
            {
                List<Pending> batch;
                lock (_lock)
                {
                    batch = [];
                    var size = 0;
                    foreach (var pending in _waiting)
                    {
                        if (batch.Count > 0 && size + pending.Events.Count > MaxEventsPerCommit) break;
                        batch.Add(pending);
                        size += pending.Events.Count;
                    }
                    _waiting.RemoveRange(0, batch.Count);
                }
                await WriteAsync(batch);
            }
        }
        finally
        {
            _writer.Release();
        }
        return await mine.Stored.Task;
    }

    /// <summary>One transaction for the deliveries; each learns how many of its events were new (the first to carry an event stores it).</summary>
    private async Task WriteAsync(List<Pending> batch)
    {
        try
        {
            var counts = await retry.RunAsync(t => InsertNewAsync(batch, t), CancellationToken.None);
            for (var i = 0; i < batch.Count; i++) batch[i].Stored.TrySetResult(counts[i]);
        }
        catch (DbUpdateException)
        {
            // Another instance stored some of them meanwhile: each event alone, a duplicate when it is there now.
            foreach (var pending in batch)
            {
                var stored = 0;
                foreach (var single in pending.Events)
                {
                    try
                    {
                        stored += (await retry.RunAsync(t => InsertNewAsync([new Pending([single])], t), CancellationToken.None))[0];
                    }
                    catch (DbUpdateException)
                    {
                    }
                }
                pending.Stored.TrySetResult(stored);
            }
        }
        catch (Exception e)
        {
            foreach (var pending in batch) pending.Stored.TrySetException(e);
        }
    }

    private Task<int[]> InsertNewAsync(List<Pending> batch, CancellationToken ct) =>
        database.Provider == DatabaseProvider.Sqlite ? InsertNewSqliteAsync(batch, ct) : InsertNewEfAsync(batch, ct);

    private static readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter Time = new();

    /// <summary>
    /// SQLite: one prepared INSERT … ON CONFLICT DO NOTHING per event in one transaction; the row count says whether it
    /// was new. No lookup first and no change tracker: a burst's commit stays a few milliseconds.
    /// </summary>
    private async Task<int[]> InsertNewSqliteAsync(List<Pending> batch, CancellationToken ct)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(database.ConnectionString);
        await connection.OpenAsync(ct);
        Persistence.Interceptors.SqliteBusyWait.Apply(connection);
        await using var transaction = (Microsoft.Data.Sqlite.SqliteTransaction)await connection.BeginTransactionAsync(ct);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO "WebhookEvents" ("Provider", "EventId", "Account", "Type", "Payload", "ReceivedAt", "Status", "Attempts", "WorkspaceId")
            VALUES ($provider, $eventId, $account, $type, $payload, $receivedAt, $status, 0, $workspaceId)
            ON CONFLICT ("Provider", "EventId") DO NOTHING
            """;
        var provider = insert.Parameters.Add("$provider", Microsoft.Data.Sqlite.SqliteType.Text);
        var eventId = insert.Parameters.Add("$eventId", Microsoft.Data.Sqlite.SqliteType.Text);
        var account = insert.Parameters.Add("$account", Microsoft.Data.Sqlite.SqliteType.Text);
        var type = insert.Parameters.Add("$type", Microsoft.Data.Sqlite.SqliteType.Text);
        var payload = insert.Parameters.Add("$payload", Microsoft.Data.Sqlite.SqliteType.Text);
        var receivedAt = insert.Parameters.Add("$receivedAt", Microsoft.Data.Sqlite.SqliteType.Integer);
        var status = insert.Parameters.Add("$status", Microsoft.Data.Sqlite.SqliteType.Integer);
        var workspaceId = insert.Parameters.Add("$workspaceId", Microsoft.Data.Sqlite.SqliteType.Integer);
        insert.Prepare();
        var counts = new int[batch.Count];
        for (var i = 0; i < batch.Count; i++)
            foreach (var e in batch[i].Events)
            {
                provider.Value = e.Provider;
                eventId.Value = e.EventId;
                account.Value = (object?)e.Account ?? DBNull.Value;
                type.Value = (object?)e.Type ?? DBNull.Value;
                payload.Value = e.Payload;
                receivedAt.Value = Time.ConvertToProvider(e.ReceivedAt);
                status.Value = (int)e.Status;
                workspaceId.Value = (object?)e.WorkspaceId ?? DBNull.Value;
                counts[i] += await insert.ExecuteNonQueryAsync(ct);
            }
        await transaction.CommitAsync(ct);
        return counts;
    }

    private async Task<int[]> InsertNewEfAsync(List<Pending> batch, CancellationToken ct)
    {
        await using var db = database.Create(Actor.Anonymous);
        var known = new HashSet<(string, string)>();
        foreach (var provider in batch.SelectMany(p => p.Events).Select(e => e.Provider).Distinct())
            foreach (var chunk in batch.SelectMany(p => p.Events).Where(e => e.Provider == provider).Select(e => e.EventId).Distinct().Chunk(500))
                foreach (var id in await db.WebhookEvents.Where(e => e.Provider == provider && chunk.Contains(e.EventId)).Select(e => e.EventId).ToListAsync(ct))
                    known.Add((provider, id));

        var counts = new int[batch.Count];
        for (var i = 0; i < batch.Count; i++)
            foreach (var e in batch[i].Events)
            {
                if (!known.Add((e.Provider, e.EventId))) continue;
                db.WebhookEvents.Add(Copy(e));
                counts[i]++;
            }
        if (counts.Sum() > 0) await db.SaveChangesAsync(ct);
        return counts;
    }

    /// <summary>A fresh row each attempt: a failed insert leaves ids on the ones it tried.</summary>
    private static WebhookEvent Copy(WebhookEvent e) => new()
    {
        Provider = e.Provider, EventId = e.EventId, Account = e.Account, Type = e.Type, Payload = e.Payload, ReceivedAt = e.ReceivedAt, Status = e.Status,
        WorkspaceId = e.WorkspaceId,
    };

    public void Dispose() => _writer.Dispose();
}
