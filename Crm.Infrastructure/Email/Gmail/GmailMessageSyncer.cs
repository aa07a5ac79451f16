using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Email;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Google;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Timeline;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Crm.Infrastructure.Email.Gmail;

/// <summary>
/// One Gmail mailbox into the timelines. First the chosen window (messages.list, newest first, a page at a time, the
/// page token saved after each page so a stopped run goes on where it was), then history.list from the history id
/// taken before the first page; a history id Gmail no longer has (404) starts the window over — every message already
/// seen is answered from <see cref="MailboxMessage"/>, so nothing is logged twice. Drafts, spam, trash and chats are not
/// mail with contacts; a message deleted in Gmail stays logged and is marked removed. Where Pub/Sub push is set up,
/// Gmail's notifications start a sync within seconds (<see cref="GmailWatches"/>).
/// </summary>
public sealed class GmailMessageSyncer(GmailApi gmail, LogEmailHandler logger, IConnectionStatus status, CrmDatabase database,
    GoogleAppSettings settings, GmailWatches watches, TimeProvider time) : IConnectionSyncer
{
    public const string Objects = "messages";
    private const int PageSize = 100;
    private const int ParallelGets = 4;
    private static readonly HashSet<string> NotMail = ["DRAFT", "SPAM", "TRASH", "CHAT"];

    public string Provider => IntegrationProviders.Google;
    public IntegrationType Type => IntegrationType.Email;
    public string ObjectType => Objects;

    /// <summary>Where the sync stands: the window's next page (initial) or the history id to read from (incremental).</summary>
    private sealed record Cursor(string? HistoryId, string? InitialHistoryId = null, string? PageToken = null, long? WindowStart = null);

    public async Task<SyncTotals> SyncAsync(ConnectionRef connection, bool full, CancellationToken ct)
    {
        var owner = await OwnerOfAsync(connection, ct);
        await watches.EnsureAsync(connection, ct);
        var cursor = await status.CursorAsync(connection, Objects, ct) is { } text ? JsonSerializer.Deserialize<Cursor>(text) ?? new Cursor(null) : new Cursor(null);
        var totals = new SyncTotals();
        if (cursor.HistoryId is { } historyId && !full)
        {
            try
            {
                return await IncrementalAsync(connection, owner, historyId, ct);
            }
            catch (GmailHistoryExpiredException)
            {
                // Too long since the last sync: the window again (what was logged is recognised, not logged twice).
                cursor = new Cursor(null);
            }
        }
        else if (full)
        {
            // The nightly completeness check: the whole window listed again, anything unseen logged, the figures kept.
            var listed = new List<string>();
            totals = await WindowAsync(connection, owner, new Cursor(null), ct, listed);
            await RecordCheckAsync(connection, listed, totals.ReadIn, ct);
            return totals;
        }
        return totals + await WindowAsync(connection, owner, cursor, ct);
    }

    private async Task RecordCheckAsync(ConnectionRef connection, List<string> listed, int backfilled, CancellationToken ct)
    {
        await using var db = database.Create(Actor.System(connection.WorkspaceId));
        var check = await MailboxCheck.ComputeAsync(db, MailboxMessage.ForIntegration(connection.IntegrationId), listed, backfilled, time.GetUtcNow(), ct);
        await status.SaveProgressAsync(connection, MailboxCheck.ObjectType, check.ToJson(), check.Seen, check.Backfilled, ct);
    }

    private async Task<SyncTotals> WindowAsync(ConnectionRef connection, long owner, Cursor cursor, CancellationToken ct, List<string>? listed = null)
    {
        // The history id is taken before the first page: whatever arrives while the window is read comes by history.
        var startHistory = cursor.InitialHistoryId ?? (await gmail.ProfileAsync(connection, ct)).HistoryId
            ?? throw new Crm.Core.Integrations.Calls.ProviderApiException("Gmail", 200, null, "Gmail's profile has no history id.");
        var windowStart = cursor.WindowStart ?? time.GetUtcNow().AddDays(-Math.Clamp(settings.MailInitialWindowDays, 1, 3650)).ToUnixTimeSeconds();
        var totals = new SyncTotals();
        // The next page is listed and fetched while this one is logged: Gmail's quota, not our database, sets the pace.
        var fetching = FetchPageAsync(connection, owner, windowStart, cursor.PageToken, ct);
        Task? ahead = null;
        try
        {
            while (true)
            {
                var (ids, batch, next) = await fetching;
                if (next is not null) ahead = fetching = FetchPageAsync(connection, owner, windowStart, next, ct);
                else ahead = null;
                listed?.AddRange(ids);
                totals += await LogBatchAsync(batch, ct);
                var position = next is null ? new Cursor(startHistory) : new Cursor(null, startHistory, next, windowStart);
                await status.SaveProgressAsync(connection, Objects, JsonSerializer.Serialize(position), totals.ReadIn, totals.WrittenIn, ct);
                if (next is null) return totals;
            }
        }
        catch when (ahead is not null)
        {
            // The page fetched ahead is not left running on its own: it ends (or fails) before this run reports.
            try { await ahead; } catch (Exception) { /* the first failure is the one reported */ }
            throw;
        }
    }

    private async Task<(List<string> Ids, List<EmailToLog> Batch, string? Next)> FetchPageAsync(ConnectionRef connection, long owner, long windowStart, string? pageToken, CancellationToken ct)
    {
        var page = await gmail.ListAsync(connection, $"after:{windowStart}", pageToken, PageSize, ct);
        var ids = (page.Messages ?? []).Select(m => m.Id).ToList();
        return (ids, await FetchAsync(connection, owner, ids, ct), page.NextPageToken);
    }

    private async Task<SyncTotals> IncrementalAsync(ConnectionRef connection, long owner, string historyId, CancellationToken ct)
    {
        var totals = new SyncTotals();
        string? pageToken = null;
        var latest = historyId;
        var added = new List<string>();
        var deleted = new List<string>();
        do
        {
            ct.ThrowIfCancellationRequested();
            var page = await gmail.HistoryAsync(connection, historyId, pageToken, ct);
            foreach (var record in page.History ?? [])
            {
                added.AddRange((record.MessagesAdded ?? []).Where(c => !(c.Message.LabelIds ?? []).Any(NotMail.Contains)).Select(c => c.Message.Id));
                deleted.AddRange((record.MessagesDeleted ?? []).Select(c => c.Message.Id));
            }
            pageToken = page.NextPageToken;
            latest = page.HistoryId ?? latest;
        } while (pageToken is not null);

        foreach (var chunk in added.Except(deleted).Distinct().Chunk(PageSize))
            totals += await LogBatchAsync(await FetchAsync(connection, owner, chunk, ct), ct);
        if (deleted.Count > 0) await MarkRemovedAsync(connection, deleted.Distinct().ToList(), ct);
        // Saved only once everything up to it is logged: a stopped run reads the same history again (seen messages are skipped).
        await status.SaveProgressAsync(connection, Objects, JsonSerializer.Serialize(new Cursor(latest)), totals.ReadIn, totals.WrittenIn, ct);
        return totals;
    }

    /// <summary>Fetches (a few at a time, within the quota) the messages not seen before.</summary>
    private async Task<List<EmailToLog>> FetchAsync(ConnectionRef connection, long owner, IReadOnlyList<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var mailbox = MailboxMessage.ForIntegration(connection.IntegrationId);
        List<string> seen;
        await using (var db = database.Create(Actor.System(connection.WorkspaceId)))
            seen = await db.MailboxMessages.AsNoTracking().Where(m => m.Mailbox == mailbox && ids.Contains(m.ProviderMessageId)).Select(m => m.ProviderMessageId).ToListAsync(ct);
        var wanted = ids.Except(seen).ToList();
        var fetched = new EmailToLog?[wanted.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, wanted.Count), new ParallelOptions { MaxDegreeOfParallelism = ParallelGets, CancellationToken = ct }, async (i, token) =>
        {
            var message = await gmail.GetRawAsync(connection, wanted[i], token);
            // Recorded as skipped (not left unseen), so the completeness check accounts for every listed message.
            if (message?.Raw is null || (message.LabelIds ?? []).Any(NotMail.Contains))
            {
                fetched[i] = new EmailToLog(mailbox, connection.IntegrationId, wanted[i], owner, EmailProvider.Gmail, new IncomingEmail { MessageId = "" },
                    message is null ? SkipReasons.Gone : SkipReasons.NotMail);
                return;
            }
            MimeMessage mime;
            try
            {
                mime = await MimeEmails.LoadAsync(new MemoryStream(GmailApi.FromBase64Url(message.Raw)), token);
            }
            catch (FormatException)
            {
                return;
            }
            var email = MimeEmails.ToIncoming(mime, message.ThreadId);
            if (email.Date == default && long.TryParse(message.InternalDate, out var ms)) email = email with { Date = DateTimeOffset.FromUnixTimeMilliseconds(ms) };
            fetched[i] = new EmailToLog(mailbox, connection.IntegrationId, message.Id, owner, EmailProvider.Gmail, email);
        });
        return fetched.OfType<EmailToLog>().ToList();
    }

    private async Task<SyncTotals> LogBatchAsync(List<EmailToLog> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return new SyncTotals();
        var results = await logger.HandleAsync(batch, ct);
        return new SyncTotals(ReadIn: batch.Count(b => b.SkipReason is null), WrittenIn: results.Count(r => r.Outcome == MailOutcome.Logged && !r.AlreadyLogged));
    }

    private async Task MarkRemovedAsync(ConnectionRef connection, List<string> ids, CancellationToken ct)
    {
        var mailbox = MailboxMessage.ForIntegration(connection.IntegrationId);
        await using var db = database.Create(Actor.System(connection.WorkspaceId));
        foreach (var chunk in ids.Chunk(500))
        {
            var rows = await db.MailboxMessages.Where(m => m.Mailbox == mailbox && chunk.Contains(m.ProviderMessageId)).ToListAsync(ct);
            foreach (var row in rows) row.RemovedAtProvider = true;
        }
        await db.SaveChangesAsync(ct);
    }

    private async Task<long> OwnerOfAsync(ConnectionRef connection, CancellationToken ct)
    {
        await using var db = database.Create(Actor.System(connection.WorkspaceId));
        return await db.Integrations.AsNoTracking().Where(i => i.Id == connection.IntegrationId).Select(i => i.OwnerUserId ?? i.ConnectedByUserId).SingleOrDefaultAsync(ct)
               ?? throw new InvalidOperationException($"Mailbox connection {connection.IntegrationId} has no owner.");
    }
}
