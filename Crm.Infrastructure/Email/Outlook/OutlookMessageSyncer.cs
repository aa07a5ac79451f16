using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Crm.Core.Common;
using Crm.Core.Email;
using Crm.Core.Integrations.Calls;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Google;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Timeline;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Graph.Models;
using Crm.Infrastructure.Integrations.Graph;

namespace Crm.Infrastructure.Email.Outlook;

/// <summary>
/// One Outlook mailbox into the timelines through the Microsoft Graph SDK, Inbox and Sent Items at once. Each folder's
/// <c>messages/delta</c> chain asks for ids only: it lists what the folder holds in the window (the completeness check's
/// count), reports <c>@removed</c>, and ends in the delta link the next sync starts from. The contents come separately,
/// so the mailbox's 4 request slots stay busy: on a first read the window is cut into time slices listed side by side
/// (<c>mailFolders/{id}/messages</c>, 100 a page); afterwards each id the CRM does not know yet is read on its own. Ids
/// are immutable (<c>Prefer: IdType="ImmutableId"</c>), so a message moved between folders keeps its id. A delta token
/// Graph no longer knows (410) lists the folder again — what was logged is recognised, not read or logged twice. A
/// folder's delta link is saved once everything it covers is logged, so a crash never skips a message. Where the app
/// has a public address, Graph's change notifications start a sync within seconds (<see cref="OutlookMailSubscriptions"/>).
/// </summary>
public sealed class OutlookMessageSyncer(GraphMailClient graph, LogEmailHandler logger, IConnectionStatus status, CrmDatabase database,
    GoogleAppSettings windows, OutlookMailSubscriptions subscriptions, TimeProvider time) : IConnectionSyncer
{
    public const string Objects = "messages";
    private const int IdPageSize = 1000;
    /// <summary>Graph's requests at once per mailbox (the connection's budget enforces it; the sync plans with it).</summary>
    private const int MailboxConcurrency = 4;
    private const int ContentPageSize = 100;
    /// <summary>Pages of contents in memory at once (read, being read or waiting to be logged): ~10 MB at most.</summary>
    private const int PagesHeld = 6;
    private const int SlicesPerFolder = 8;
    /// <summary>Graph allows 4 requests at once per mailbox; the connection's budget holds the rest in line, so a slot never waits for a reader.</summary>
    private const int ReadersPerFolder = 4;
    private static readonly string[] MailFolders = ["inbox", "sentitems"];
    private static readonly string[] Fields =
    [
        "id", "internetMessageId", "subject", "from", "sender", "toRecipients", "ccRecipients", "bccRecipients", "sentDateTime", "receivedDateTime",
        "body", "conversationId", "isDraft", "hasAttachments", "internetMessageHeaders",
    ];

    private GraphMailClient Graph => graph;
    private LogEmailHandler Logger => logger;
    private IConnectionStatus Status => status;
    private TimeProvider Time => time;

    public string Provider => IntegrationProviders.Microsoft;
    public IntegrationType Type => IntegrationType.Email;
    public string ObjectType => Objects;

    public async Task<SyncTotals> SyncAsync(ConnectionRef connection, bool full, CancellationToken ct)
    {
        var owner = await OwnerOfAsync(connection, ct);
        var links = full ? [] : await status.CursorAsync(connection, Objects, ct) is { } text
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(text) ?? [] : [];
        // The nightly run (full) lists each folder's window again: the completeness check, with anything unseen logged.
        var listed = full ? new ConcurrentQueue<string>() : null;
        using var scope = GraphMailClient.For(connection);
        await subscriptions.EnsureAsync(connection, ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var run = new Run(this, connection, owner, links, full, stop);
        var logging = run.LogAllAsync();
        try
        {
            await Task.WhenAll(MailFolders.Select(folder => run.FolderAsync(folder, listed)));
        }
        catch
        {
            await stop.CancelAsync();
            run.Complete();
            try { await logging; } catch { /* the folder's failure is the one to report */ }
            throw;
        }
        run.Complete();
        await logging;
        if (listed is not null)
        {
            await using var db = database.Create(Actor.System(connection.WorkspaceId));
            var check = await MailboxCheck.ComputeAsync(db, MailboxMessage.ForIntegration(connection.IntegrationId), listed.Distinct().ToList(), run.Totals.ReadIn, time.GetUtcNow(), ct);
            await status.SaveProgressAsync(connection, MailboxCheck.ObjectType, check.ToJson(), check.Seen, check.Backfilled, ct);
        }
        return run.Totals;
    }

    /// <summary>One sync of one mailbox: the folders' readers hand pages to a single logger (one writer for the database).</summary>
    private sealed class Run(OutlookMessageSyncer syncer, ConnectionRef connection, long owner, Dictionary<string, string> links, bool full, CancellationTokenSource stop)
    {
        private readonly System.Threading.Channels.Channel<(List<Message> Messages, TaskCompletionSource Logged, bool Held)> _pages =
            System.Threading.Channels.Channel.CreateUnbounded<(List<Message>, TaskCompletionSource, bool)>(new UnboundedChannelOptions { SingleReader = true });
        /// <summary>
        /// Pages read or being read and not yet logged: a reader takes one before it asks, the logger gives it back, so
        /// memory holds at most this many pages however far reading runs ahead of logging.
        /// </summary>
        private readonly SemaphoreSlim _held = new(PagesHeld);
        private readonly SemaphoreSlim _progress = new(1, 1);
        /// <summary>
        /// The mailbox's slots for contents while the folders' id chains run: all but one, so a chain's next (light) page
        /// waits behind at most one content page and the chains end long before the contents; the first chain to end
        /// gives its slot back.
        /// </summary>
        private readonly SemaphoreSlim _contentSlots = new(MailboxConcurrency - 1);
        private int _chainsDone;
        private CancellationToken Ct => stop.Token;

        public SyncTotals Totals { get; private set; } = new();

        public void Complete() => _pages.Writer.TryComplete();

        public async Task LogAllAsync()
        {
            await foreach (var (messages, logged, held) in _pages.Reader.ReadAllAsync(Ct))
            {
                try
                {
                    // A draft is recorded as skipped, so the completeness check accounts for it.
                    var batch = messages
                        .Select(m => new EmailToLog(MailboxMessage.ForIntegration(connection.IntegrationId), connection.IntegrationId, m.Id!, owner, EmailProvider.Outlook, ToIncoming(m),
                            m.IsDraft == true ? SkipReasons.NotMail : null))
                        .ToList();
                    var results = await syncer.Logger.HandleAsync(batch, Ct);
                    // Read in: messages this mailbox had not shown before (a re-read answers the others from their rows).
                    Totals += new SyncTotals(ReadIn: results.Count(r => !r.AlreadyLogged && r.Reason != SkipReasons.NotMail),
                        WrittenIn: results.Count(r => r.Outcome == MailOutcome.Logged && !r.AlreadyLogged));
                    await SaveProgressAsync();
                    logged.TrySetResult();
                }
                catch (Exception e)
                {
                    logged.TrySetException(e);
                    await stop.CancelAsync();
                    throw;
                }
                finally
                {
                    if (held) _held.Release();
                }
            }
        }

        private async Task SaveProgressAsync()
        {
            await _progress.WaitAsync(Ct);
            try
            {
                string cursor;
                lock (links) cursor = JsonSerializer.Serialize(links);
                await syncer.Status.SaveProgressAsync(connection, Objects, cursor, Totals.ReadIn, Totals.WrittenIn, Ct);
            }
            finally
            {
                _progress.Release();
            }
        }

        public async Task FolderAsync(string folder, ConcurrentQueue<string>? listed)
        {
            string? link;
            lock (links) link = links.GetValueOrDefault(folder);
            var logged = new ConcurrentBag<Task>();
            var read = new ConcurrentDictionary<string, byte>();
            // A first read of the window takes its contents by time slices, side by side with the id chain.
            var slices = link is null && !full ? SlicesAsync(folder, read, logged) : Task.CompletedTask;
            Chain chain;
            try
            {
                chain = await syncer.ChainAsync(folder, link, Ct);
            }
            finally
            {
                if (Interlocked.Increment(ref _chainsDone) == 1) _contentSlots.Release();
            }
            await slices;
            // A chain from an older link carries whole messages: those need no second read.
            if (chain.Whole.Count > 0)
            {
                var whole = chain.Whole.Where(m => read.TryAdd(m.Id!, 0)).ToList();
                await AttachAsync(whole);
                await HandAsync(whole, logged);
            }
            foreach (var id in chain.Ids.Concat(chain.Whole.Select(m => m.Id!))) listed?.Enqueue(id);
            var unknown = await syncer.UnknownAsync(connection, chain.Ids.Where(id => !read.ContainsKey(id)).Distinct().ToList(), Ct);
            await EachAsync(unknown, logged);
            await Task.WhenAll(logged).WaitAsync(Ct);
            if (chain.Removed.Count > 0) await syncer.MarkRemovedAsync(connection, chain.Removed, Ct);
            lock (links) links[folder] = chain.DeltaLink;
            await SaveProgressAsync();
        }

        /// <summary>
        /// The attachments of each message that has some: names, types and sizes first, then the content of each file of
        /// at most <see cref="EmailLimits.AttachmentBytes"/> (a larger one is listed, not kept), as the other sources keep them.
        /// </summary>
        private Task AttachAsync(List<Message> messages)
        {
            var with = messages.Where(m => m.HasAttachments == true && m.Id is not null).ToList();
            if (with.Count == 0) return Task.CompletedTask;
            return Parallel.ForEachAsync(with, new ParallelOptions { MaxDegreeOfParallelism = MailboxConcurrency, CancellationToken = Ct }, async (message, token) =>
            {
                var attachments = syncer.Graph.Client.Me.Messages[message.Id].Attachments;
                var listed = await InSlotAsync(() => GraphCalls.RunAsync(() => attachments.GetAsync(request =>
                {
                    request.QueryParameters.Select = ["id", "name", "contentType", "size", "isInline"];
                    request.QueryParameters.Top = EmailLimits.Attachments;
                }, token)));
                var files = new List<Attachment>();
                foreach (var attachment in (listed?.Value ?? []).Where(a => a.IsInline != true).Take(EmailLimits.Attachments))
                {
                    if (attachment is FileAttachment && attachment.Id is { } id && attachment.Size is > 0 and <= EmailLimits.AttachmentBytes)
                        files.Add(await InSlotAsync(() => GraphCalls.RunAsync(() => attachments[id].GetAsync(cancellationToken: token))) ?? attachment);
                    else files.Add(attachment);
                }
                message.Attachments = files;
            });
        }

        private async Task<T> InSlotAsync<T>(Func<Task<T>> call)
        {
            await _contentSlots.WaitAsync(Ct);
            try
            {
                return await call();
            }
            finally
            {
                _contentSlots.Release();
            }
        }

        /// <param name="held">The page holds one of <see cref="_held"/>: the logger gives it back (or this, for nothing to log).</param>
        private async Task HandAsync(List<Message> messages, ConcurrentBag<Task> logged, bool held = false)
        {
            if (messages.Count == 0)
            {
                if (held) _held.Release();
                return;
            }
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            logged.Add(done.Task);
            await _pages.Writer.WriteAsync((messages, done, held), Ct);
        }

        /// <summary>A read that will hand over a page: waits for room for it first, and gives the room back when the read fails.</summary>
        private async Task<T> HoldingAsync<T>(Func<Task<T>> read)
        {
            await _held.WaitAsync(Ct);
            try
            {
                return await read();
            }
            catch
            {
                _held.Release();
                throw;
            }
        }

        /// <summary>
        /// The window in time slices read side by side, more readers than the mailbox's 4 slots so a slot never waits
        /// for a reader. A slice holding more than a page is cut in two below its first page's oldest message (newest
        /// come first), so a mailbox dense in one week spreads over the slots too; the last slice is open, so mail
        /// arriving meanwhile is in it.
        /// </summary>
        private async Task SlicesAsync(string folder, ConcurrentDictionary<string, byte> read, ConcurrentBag<Task> logged)
        {
            var end = syncer.Time.GetUtcNow().UtcDateTime;
            var start = syncer.WindowStart;
            var step = (end - start) / SlicesPerFolder;
            var work = System.Threading.Channels.Channel.CreateUnbounded<Slice>();
            var outstanding = SlicesPerFolder;
            for (var i = 0; i < SlicesPerFolder; i++)
                work.Writer.TryWrite(new Slice(start + step * i, i == SlicesPerFolder - 1 ? null : start + step * (i + 1), false));
            await Task.WhenAll(Enumerable.Range(0, ReadersPerFolder).Select(async _ =>
            {
                await foreach (var slice in work.Reader.ReadAllAsync(Ct))
                {
                    try
                    {
                        foreach (var half in await SliceAsync(folder, slice, read, logged))
                        {
                            Interlocked.Increment(ref outstanding);
                            work.Writer.TryWrite(half);
                        }
                    }
                    catch
                    {
                        work.Writer.TryComplete();
                        throw;
                    }
                    if (Interlocked.Decrement(ref outstanding) == 0) work.Writer.TryComplete();
                }
            }));
        }

        /// <summary>A slice's first page; then either its two halves below that page, or (when it cannot be cut) its other pages.</summary>
        private async Task<Slice[]> SliceAsync(string folder, Slice slice, ConcurrentDictionary<string, byte> read, ConcurrentBag<Task> logged)
        {
            var filter = $"receivedDateTime ge {slice.From:yyyy-MM-ddTHH:mm:ssZ}"
                         + (slice.Until is { } until ? $" and receivedDateTime {(slice.UntilInclusive ? "le" : "lt")} {until:yyyy-MM-ddTHH:mm:ssZ}" : "");
            var messages = syncer.Graph.Client.Me.MailFolders[folder].Messages;
            string? next = null;
            var first = true;
            do
            {
                var from = next;
                var page = await HoldingAsync(() => InSlotAsync(() => GraphCalls.RunAsync(() => (from is null ? messages : messages.WithUrl(from)).GetAsync(request =>
                {
                    if (from is null)
                    {
                        request.QueryParameters.Select = Fields;
                        request.QueryParameters.Filter = filter;
                        request.QueryParameters.Top = ContentPageSize;
                    }
                    request.Headers.Add("Prefer", "IdType=\"ImmutableId\"");
                }, Ct))));
                var value = page?.Value ?? [];
                var fresh = value.Where(m => m.Id is not null && read.TryAdd(m.Id, 0)).ToList();
                try
                {
                    await AttachAsync(fresh);
                }
                catch
                {
                    _held.Release();
                    throw;
                }
                await HandAsync(fresh, logged, held: true);
                next = page?.OdataNextLink;
                // The rest is older than this page's oldest (or as old: a tie may be on the next page, so it stays in).
                if (first && next is not null && value.Min(m => m.ReceivedDateTime) is { } oldest && oldest.UtcDateTime - slice.From > TimeSpan.FromSeconds(2))
                {
                    var mid = slice.From + (oldest.UtcDateTime - slice.From) / 2;
                    mid = new DateTime(mid.Ticks - mid.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
                    return [new Slice(slice.From, mid, false), new Slice(mid, oldest.UtcDateTime, true)];
                }
                first = false;
            } while (next is not null);
            return [];
        }

        /// <summary>Messages read one by one (ids the chain showed that nothing else read), four at once, logged fifty at a time.</summary>
        private async Task EachAsync(List<string> ids, ConcurrentBag<Task> logged)
        {
            foreach (var chunk in ids.Chunk(50))
            {
                var messages = new ConcurrentQueue<Message>();
                await HoldingAsync(async () =>
                {
                    await ReadEachAsync(chunk, messages);
                    await AttachAsync(messages.ToList());
                    return 0;
                });
                await HandAsync(messages.ToList(), logged, held: true);
            }
        }

        private Task ReadEachAsync(string[] chunk, ConcurrentQueue<Message> messages) =>
            Parallel.ForEachAsync(chunk, new ParallelOptions { MaxDegreeOfParallelism = ReadersPerFolder, CancellationToken = Ct }, async (id, token) =>
            {
                try
                {
                    var message = await InSlotAsync(() => GraphCalls.RunAsync(() => syncer.Graph.Client.Me.Messages[id].GetAsync(request =>
                    {
                        request.QueryParameters.Select = Fields;
                        request.Headers.Add("Prefer", "IdType=\"ImmutableId\"");
                    }, token)));
                    if (message?.Id is not null) messages.Enqueue(message);
                }
                catch (ProviderApiException e) when (e.StatusCode == 404)
                {
                    // Deleted since the chain listed it: the next delta reports it removed.
                }
            });
    }

    private DateTime WindowStart => time.GetUtcNow().AddDays(-Math.Clamp(windows.MailInitialWindowDays, 1, 3650)).UtcDateTime;

    /// <summary>Mail received from <paramref name="From"/> (inclusive) until <paramref name="Until"/> (open when null).</summary>
    private sealed record Slice(DateTime From, DateTime? Until, bool UntilInclusive);

    private sealed record Chain(List<string> Ids, List<Message> Whole, List<string> Removed, string DeltaLink);

    /// <summary>A folder's delta chain to its delta link: ids, whole messages (from a link that asked for them), removals.</summary>
    private async Task<Chain> ChainAsync(string folder, string? link, CancellationToken ct)
    {
        var restarted = false;
        while (true)
        {
            var chain = new Chain([], [], [], "");
            var next = link;
            try
            {
                while (true)
                {
                    ct.ThrowIfCancellationRequested();
                    var delta = graph.Client.Me.MailFolders[folder].Messages.Delta;
                    var from = next;
                    var page = await GraphCalls.RunAsync(() => (from is null ? delta : delta.WithUrl(from)).GetAsDeltaGetResponseAsync(request =>
                    {
                        if (from is null)
                        {
                            request.QueryParameters.Select = ["id"];
                            request.QueryParameters.Filter = $"receivedDateTime ge {WindowStart:yyyy-MM-ddTHH:mm:ssZ}";
                        }
                        request.Headers.Add("Prefer", $"odata.maxpagesize={IdPageSize}");
                        request.Headers.Add("Prefer", "IdType=\"ImmutableId\"");
                    }, ct), allowGone: true);
                    foreach (var m in page?.Value ?? [])
                    {
                        if (m.Id is null) continue;
                        if (m.AdditionalData.ContainsKey("@removed")) chain.Removed.Add(m.Id);
                        else if (m.InternetMessageId is not null || m.From is not null || m.Subject is not null) chain.Whole.Add(m);
                        else chain.Ids.Add(m.Id);
                    }
                    if (page?.OdataNextLink is { } nextLink) next = nextLink;
                    else return chain with { DeltaLink = page?.OdataDeltaLink ?? next ?? "" };
                }
            }
            catch (GraphDeltaGoneException) when (!restarted && link is not null)
            {
                // The delta token expired: the folder from the start of the window again.
                restarted = true;
                link = null;
            }
        }
    }

    /// <summary>The ids this mailbox has no row for yet (logged or skipped ones are known).</summary>
    private async Task<List<string>> UnknownAsync(ConnectionRef connection, List<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return ids;
        var mailbox = MailboxMessage.ForIntegration(connection.IntegrationId);
        await using var db = database.Create(Actor.System(connection.WorkspaceId));
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(500))
            known.UnionWith(await db.MailboxMessages.AsNoTracking().Where(m => m.Mailbox == mailbox && chunk.Contains(m.ProviderMessageId)).Select(m => m.ProviderMessageId).ToListAsync(ct));
        return ids.Where(id => !known.Contains(id)).ToList();
    }

    public static IncomingEmail ToIncoming(Message m)
    {
        var headers = m.InternetMessageHeaders ?? [];
        string? Header(string name) => headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;
        var precedence = Header("Precedence")?.Trim().ToLowerInvariant();
        var html = m.Body?.ContentType == BodyType.Html ? m.Body.Content : null;
        return new IncomingEmail
        {
            MessageId = (m.InternetMessageId ?? "").Trim().Trim('<', '>'),
            From = Address(m.From ?? m.Sender),
            To = Addresses(m.ToRecipients),
            Cc = Addresses(m.CcRecipients),
            Bcc = Addresses(m.BccRecipients),
            Subject = m.Subject ?? "",
            Date = m.SentDateTime ?? m.ReceivedDateTime ?? default,
            HtmlBody = html,
            TextBody = html is null ? m.Body?.Content : null,
            InReplyTo = Header("In-Reply-To")?.Trim(),
            References = (Header("References") ?? "").Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries).ToList(),
            ThreadId = m.ConversationId,
            Attachments = (m.Attachments ?? []).Where(a => a.IsInline != true).Take(EmailLimits.Attachments)
                .Select(a => new IncomingAttachment(a.Name ?? "attachment", a.ContentType ?? "application/octet-stream", a.Size ?? 0,
                    a is FileAttachment { ContentBytes: { } bytes } && bytes.Length <= EmailLimits.AttachmentBytes ? bytes : null))
                .ToList(),
            IsBulk = Header("List-Unsubscribe") is not null || Header("List-Id") is not null || precedence is "bulk" or "list" or "junk",
        };
    }

    private static MailAddress? Address(Recipient? recipient) =>
        recipient?.EmailAddress?.Address is { Length: > 0 } address ? new MailAddress(address, recipient.EmailAddress.Name) : null;

    private static List<MailAddress> Addresses(List<Recipient>? recipients) =>
        (recipients ?? []).Take(EmailLimits.Recipients).Select(Address).OfType<MailAddress>().ToList();

    private async Task MarkRemovedAsync(ConnectionRef connection, List<string> ids, CancellationToken ct)
    {
        var mailbox = MailboxMessage.ForIntegration(connection.IntegrationId);
        await using var db = database.Create(Actor.System(connection.WorkspaceId));
        var rows = await db.MailboxMessages.Where(m => m.Mailbox == mailbox && ids.Contains(m.ProviderMessageId)).ToListAsync(ct);
        foreach (var row in rows) row.RemovedAtProvider = true;
        await db.SaveChangesAsync(ct);
    }

    private async Task<long> OwnerOfAsync(ConnectionRef connection, CancellationToken ct)
    {
        await using var db = database.Create(Actor.System(connection.WorkspaceId));
        return await db.Integrations.AsNoTracking().Where(i => i.Id == connection.IntegrationId).Select(i => i.OwnerUserId ?? i.ConnectedByUserId).SingleOrDefaultAsync(ct)
               ?? throw new InvalidOperationException($"Mailbox connection {connection.IntegrationId} has no owner.");
    }
}
