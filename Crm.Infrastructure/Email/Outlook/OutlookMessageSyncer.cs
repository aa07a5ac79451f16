using System.Text.Json;
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
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Me.MailFolders.Item.Messages.Delta;

namespace Crm.Infrastructure.Email.Outlook;

/// <summary>
/// One Outlook mailbox into the timelines through the Microsoft Graph SDK: <c>messages/delta</c> per folder (Inbox and
/// Sent Items), first over the chosen window, then from each folder's delta link; the next or delta link is saved after
/// every page. Ids are immutable (<c>Prefer: IdType="ImmutableId"</c>), so a message moved between folders keeps its
/// id. <c>@removed</c> marks a message gone; a delta token Graph no longer knows (410) reads the folder again — what was
/// logged is recognised, not logged twice. One request at a time per mailbox (Graph allows 4).
/// </summary>
public sealed class OutlookMessageSyncer(GraphMailClient graph, LogEmailHandler logger, IConnectionStatus status, CrmDatabase database,
    GoogleAppSettings windows, TimeProvider time) : IConnectionSyncer
{
    public const string Objects = "messages";
    private const int PageSize = 50;
    private static readonly string[] MailFolders = ["inbox", "sentitems"];
    private static readonly string[] Fields =
    [
        "id", "internetMessageId", "subject", "from", "sender", "toRecipients", "ccRecipients", "bccRecipients", "sentDateTime", "receivedDateTime",
        "body", "conversationId", "isDraft", "hasAttachments", "internetMessageHeaders",
    ];

    public string Provider => IntegrationProviders.Microsoft;
    public IntegrationType Type => IntegrationType.Email;
    public string ObjectType => Objects;

    public async Task<SyncTotals> SyncAsync(ConnectionRef connection, bool full, CancellationToken ct)
    {
        var owner = await OwnerOfAsync(connection, ct);
        var links = full ? [] : await status.CursorAsync(connection, Objects, ct) is { } text
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(text) ?? [] : [];
        var totals = new SyncTotals();
        // The nightly run (full) reads each folder's window again: the completeness check, with anything unseen logged.
        var listed = full ? new List<string>() : null;
        using var scope = GraphMailClient.For(connection);
        foreach (var folder in MailFolders)
            totals += await FolderAsync(connection, owner, folder, links, listed, ct);
        if (listed is not null)
        {
            await using var db = database.Create(Actor.System(connection.WorkspaceId));
            var check = await MailboxCheck.ComputeAsync(db, MailboxMessage.ForIntegration(connection.IntegrationId), listed, totals.ReadIn, time.GetUtcNow(), ct);
            await status.SaveProgressAsync(connection, MailboxCheck.ObjectType, check.ToJson(), check.Seen, check.Backfilled, ct);
        }
        return totals;
    }

    private async Task<SyncTotals> FolderAsync(ConnectionRef connection, long owner, string folder, Dictionary<string, string> links, List<string>? listed, CancellationToken ct)
    {
        var totals = new SyncTotals();
        var restarted = false;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            DeltaGetResponse? page;
            try
            {
                page = await PageAsync(folder, links.GetValueOrDefault(folder), ct);
            }
            catch (ODataError e) when (e.ResponseStatusCode == 410 && !restarted)
            {
                // The delta token expired: the folder from the start of the window again.
                links.Remove(folder);
                restarted = true;
                continue;
            }
            catch (ODataError e)
            {
                throw new ProviderApiException("Outlook", e.ResponseStatusCode, e.Error?.Code, $"Outlook answered {e.ResponseStatusCode} {e.Error?.Code}: {e.Error?.Message ?? e.Message}");
            }
            catch (Microsoft.Kiota.Abstractions.ApiException e)
            {
                throw new ProviderApiException("Outlook", e.ResponseStatusCode, null, $"Outlook answered {e.ResponseStatusCode}: {e.Message}");
            }
            if (page is null) break;
            var messages = page.Value ?? [];
            var removed = messages.Where(m => m.AdditionalData.ContainsKey("@removed")).Select(m => m.Id).OfType<string>().ToList();
            var present = messages.Where(m => !m.AdditionalData.ContainsKey("@removed") && m.Id is not null).ToList();
            listed?.AddRange(present.Select(m => m.Id!));
            // A draft is recorded as skipped, so the completeness check accounts for it.
            var batch = present
                .Select(m => new EmailToLog(MailboxMessage.ForIntegration(connection.IntegrationId), connection.IntegrationId, m.Id!, owner, EmailProvider.Outlook, ToIncoming(m),
                    m.IsDraft == true ? SkipReasons.NotMail : null))
                .ToList();
            var results = await logger.HandleAsync(batch, ct);
            if (removed.Count > 0) await MarkRemovedAsync(connection, removed, ct);
            // Read in: messages this mailbox had not shown before (a re-read window answers the others from their rows).
            totals += new SyncTotals(ReadIn: results.Count(r => !r.AlreadyLogged && r.Reason != SkipReasons.NotMail), WrittenIn: results.Count(r => r.Outcome == MailOutcome.Logged && !r.AlreadyLogged));
            var next = page.OdataNextLink ?? page.OdataDeltaLink;
            if (next is null) break;
            links[folder] = next;
            await status.SaveProgressAsync(connection, Objects, JsonSerializer.Serialize(links), totals.ReadIn, totals.WrittenIn, ct);
            if (page.OdataNextLink is null) break;
        }
        return totals;
    }

    private Task<DeltaGetResponse?> PageAsync(string folder, string? link, CancellationToken ct)
    {
        var delta = graph.Client.Me.MailFolders[folder].Messages.Delta;
        if (link is not null) delta = delta.WithUrl(link);
        return delta.GetAsDeltaGetResponseAsync(request =>
        {
            if (link is null)
            {
                var since = time.GetUtcNow().AddDays(-Math.Clamp(windows.MailInitialWindowDays, 1, 3650)).UtcDateTime;
                request.QueryParameters.Select = Fields;
                request.QueryParameters.Filter = $"receivedDateTime ge {since:yyyy-MM-ddTHH:mm:ssZ}";
            }
            request.Headers.Add("Prefer", $"odata.maxpagesize={PageSize}");
            request.Headers.Add("Prefer", "IdType=\"ImmutableId\"");
        }, ct);
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
