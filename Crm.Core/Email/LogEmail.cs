using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Timeline;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Email;

/// <summary>Makes a stored HTML body safe to show (the port HtmlSanitizer implements) and gives its text.</summary>
public interface IEmailBodySanitizer
{
    string Sanitize(string html);
    string TextOf(string html);
}

/// <summary>One message from one mailbox (or the logging address), as the user it belongs to.</summary>
/// <param name="SkipReason">Set when the mailbox already knows it is not mail to log (a draft, spam, gone): recorded as skipped.</param>
public sealed record EmailToLog(string Mailbox, long? IntegrationId, string ProviderMessageId, long UserId, EmailProvider Provider, IncomingEmail Email,
    string? SkipReason = null);

public sealed record EmailLogResult(string ProviderMessageId, MailOutcome Outcome, string? Reason, long? ActivityId, bool AlreadyLogged = false);

/// <summary>
/// Logs email on the timelines it belongs to (the seed's EmailActivity): participants matched to contacts by any of
/// their addresses as the provider compares them; one activity per Message-ID in a workspace, linked to every matched
/// contact, their accounts and their most recently active open deals. Bulk mail, internal-only mail and the never-log
/// list are skipped by rule; unknown addresses become contacts when the workspace asks for it. Each message's outcome
/// is kept (<see cref="MailboxMessage"/>), so a message seen again is answered from there, and nothing is counted twice.
/// </summary>
public sealed class LogEmailHandler(ICrmDbFactory dbFactory, IEmailBodySanitizer sanitizer, TimeProvider clock)
{
    public const int MaxDealsPerEmail = 5;

    private static readonly string[] AutomatedLocalParts = ["noreply", "no-reply", "donotreply", "do-not-reply", "mailer-daemon", "postmaster", "bounce", "bounces", "notifications", "notification"];

    public async Task<IReadOnlyList<EmailLogResult>> HandleAsync(IReadOnlyList<EmailToLog> batch, CancellationToken ct = default)
    {
        if (batch.Count == 0) return [];
        if (batch.Count > 1)
        {
            try
            {
                return await HandleTogetherAsync(batch, ct);
            }
            catch (DbUpdateException)
            {
                // Another source logged one of these at the same moment: one by one, each retried from what is stored.
            }
        }
        return await HandleOneByOneAsync(batch, ct);
    }

    /// <summary>
    /// A batch (a provider's page) in one save: what its mailboxes already hold and the emails its Message-IDs name are
    /// read in two queries, and everything is written at once — a save per message was most of a sync's time.
    /// </summary>
    private async Task<IReadOnlyList<EmailLogResult>> HandleTogetherAsync(IReadOnlyList<EmailToLog> batch, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var rules = await LoggingRules.LoadAsync(db, ct);
        var contacts = new ContactLookup();
        await contacts.PrefetchAsync(db, batch.Where(b => b.SkipReason is null).SelectMany(b => b.Email.Participants).Select(p => p.Address).Where(a => !rules.IsInternal(a)), ct);
        var seen = new Dictionary<(string, string), EmailLogResult>();
        foreach (var mailbox in batch.GroupBy(b => b.Mailbox))
            foreach (var chunk in mailbox.Select(b => b.ProviderMessageId).Distinct().Chunk(500))
                foreach (var row in await db.MailboxMessages.AsNoTracking().Where(m => m.Mailbox == mailbox.Key && chunk.Contains(m.ProviderMessageId))
                             .Select(m => new { m.ProviderMessageId, m.Outcome, m.Reason, m.ActivityId }).ToListAsync(ct))
                    seen[(mailbox.Key, row.ProviderMessageId)] = new EmailLogResult(row.ProviderMessageId, row.Outcome, row.Reason, row.ActivityId, AlreadyLogged: true);
        // The emails these Message-IDs already are, tracked so that each message finds its own without a query.
        var messageIds = batch.Select(b => MessageIdOf(b.Email)).OfType<string>().Distinct().ToList();
        var written = new BatchWrites(messageIds.ToHashSet(StringComparer.Ordinal));
        foreach (var chunk in messageIds.Chunk(500))
            foreach (var stored in await db.Activities.IgnoreQueryFilters(["SoftDelete"]).OfType<EmailActivity>().Where(a => chunk.Contains(a.MessageId)).ToListAsync(ct))
                written.ByMessageId[stored.MessageId!] = stored;

        await using var transaction = await db.BeginTransactionAsync(ct);
        var results = new List<(EmailLogResult Result, EmailActivity? Activity)>(batch.Count);
        var first = new Dictionary<(string, string), int>();
        foreach (var item in batch)
        {
            ct.ThrowIfCancellationRequested();
            var key = (item.Mailbox, item.ProviderMessageId);
            if (seen.TryGetValue(key, out var known)) results.Add((known, null));
            else if (first.TryGetValue(key, out var index)) results.Add((results[index].Result with { AlreadyLogged = true }, results[index].Activity));
            else
            {
                var (result, activity) = await DecideAndWriteAsync(db, rules, contacts, item, written, ct);
                db.MailboxMessages.Add(SightingOf(item, result, activity));
                first[key] = results.Count;
                results.Add((result, activity));
            }
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return results.Select(w => w.Activity is null ? w.Result : w.Result with { ActivityId = w.Activity.Id }).ToList();
    }

    private async Task<IReadOnlyList<EmailLogResult>> HandleOneByOneAsync(IReadOnlyList<EmailToLog> batch, CancellationToken ct)
    {
        var results = new List<EmailLogResult>(batch.Count);
        await using var db = await dbFactory.CreateAsync(ct);
        var rules = await LoggingRules.LoadAsync(db, ct);
        var contacts = new ContactLookup();
        await contacts.PrefetchAsync(db, batch.Where(b => b.SkipReason is null).SelectMany(b => b.Email.Participants).Select(p => p.Address).Where(a => !rules.IsInternal(a)), ct);
        foreach (var item in batch)
        {
            ct.ThrowIfCancellationRequested();
            results.Add(await LogOneAsync(db, rules, contacts, item, ct));
        }
        return results;
    }

    private static string? MessageIdOf(IncomingEmail email) =>
        string.IsNullOrWhiteSpace(email.MessageId) ? null : Cut(email.MessageId.Trim().Trim('<', '>'), 998);

    private MailboxMessage SightingOf(EmailToLog item, EmailLogResult result, EmailActivity? activity) => new()
    {
        Mailbox = item.Mailbox, IntegrationId = item.IntegrationId, ProviderMessageId = Cut(item.ProviderMessageId, 300),
        MessageId = MessageIdOf(item.Email), UserId = item.UserId, Outcome = result.Outcome, Reason = result.Reason, Activity = activity,
        MessageDate = item.Email.Date == default ? clock.GetUtcNow() : item.Email.Date, SeenAt = clock.GetUtcNow(),
    };

    private async Task<EmailLogResult> LogOneAsync(ICrmDb db, LoggingRules rules, ContactLookup lookup, EmailToLog item, CancellationToken ct)
    {
        var seen = await db.MailboxMessages.AsNoTracking()
            .Where(m => m.Mailbox == item.Mailbox && m.ProviderMessageId == item.ProviderMessageId)
            .Select(m => new { m.Outcome, m.Reason, m.ActivityId }).FirstOrDefaultAsync(ct);
        if (seen is not null) return new EmailLogResult(item.ProviderMessageId, seen.Outcome, seen.Reason, seen.ActivityId, AlreadyLogged: true);

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var (result, activity) = await DecideAndWriteAsync(db, rules, lookup, item, new BatchWrites(null), ct);
                db.MailboxMessages.Add(SightingOf(item, result, activity));
                await db.SaveChangesAsync(ct);
                return result with { ActivityId = activity?.Id };
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Another source logged the same Message-ID (or saw the same message) at the same moment: start over
                // from what is now stored, which finds it and links to it.
                ClearTracked(db);
            }
        }
    }

    /// <summary>
    /// What a batch wrote or read so far, so a message finds an email of the same batch (not stored yet) without asking
    /// the change tracker, whose every look scans all it tracks.
    /// </summary>
    /// <param name="LookedUp">Message-IDs whose stored emails are all in <see cref="ByMessageId"/> (none stored when absent): no query for these.</param>
    private sealed record BatchWrites(HashSet<string>? LookedUp)
    {
        public Dictionary<string, EmailActivity> ByMessageId { get; } = new(StringComparer.Ordinal);
        /// <summary>Each email's links as this batch knows them (stored ones read once, new ones added).</summary>
        public Dictionary<EmailActivity, List<ActivityLink>> Links { get; } = new(ReferenceEqualityComparer.Instance);
    }

    /// <summary>The outcome, and the activity written or found; saved with its links and the sighting in one transaction.</summary>
    private async Task<(EmailLogResult, EmailActivity?)> DecideAndWriteAsync(ICrmDb db, LoggingRules rules, ContactLookup lookup, EmailToLog item,
        BatchWrites written, CancellationToken ct)
    {
        var email = item.Email;
        var id = item.ProviderMessageId;
        if (item.SkipReason is { } reason) return (new EmailLogResult(id, MailOutcome.Skipped, reason, null), null);
        if (email.Bounce is { } bounce)
        {
            await MarkBouncedAsync(db, bounce, email.Date, written, ct);
            return (new EmailLogResult(id, MailOutcome.Skipped, SkipReasons.Bounce, null), null);
        }
        if (string.IsNullOrWhiteSpace(email.MessageId)) return (new EmailLogResult(id, MailOutcome.Skipped, SkipReasons.NoMessageId, null), null);
        if (email.IsBulk && !rules.Settings.LogBulk) return (new EmailLogResult(id, MailOutcome.Skipped, SkipReasons.Bulk, null), null);

        var participants = email.Participants
            .Select(p => (Address: MailboxAddresses.Normalize(p.Address), p.Name))
            .Where(p => p.Address is not null)
            .Select(p => new MailAddress(p.Address!, p.Name))
            .DistinctBy(p => MailboxAddresses.Canonical(p.Address))
            .Take(EmailLimits.Recipients)
            .ToList();
        if (participants.Any(p => rules.IsNeverLogged(p.Address))) return (new EmailLogResult(id, MailOutcome.Skipped, SkipReasons.NeverLog, null), null);
        var external = participants.Where(p => !rules.IsInternal(p.Address)).ToList();
        if (external.Count == 0) return (new EmailLogResult(id, MailOutcome.Skipped, SkipReasons.Internal, null), null);

        var from = MailboxAddresses.Normalize(email.From?.Address);
        var direction = from is not null && rules.IsInternal(from) ? ActivityDirection.Outbound : ActivityDirection.Inbound;
        var contacts = await lookup.MatchAsync(db, external.Select(p => p.Address).ToList(), ct);
        var created = await AutoCreateAsync(db, rules, item, direction, external, contacts, ct);
        foreach (var contact in created) lookup.Add(contact);
        contacts.AddRange(created);
        if (contacts.Count == 0) return (new EmailLogResult(id, MailOutcome.Skipped, SkipReasons.NoContact, null), null);

        var messageId = Cut(email.MessageId.Trim().Trim('<', '>'), 998);
        var activity = written.ByMessageId.GetValueOrDefault(messageId)
                       ?? (written.LookedUp?.Contains(messageId) == true ? null
                           : await db.Activities.IgnoreQueryFilters(["SoftDelete"]).OfType<EmailActivity>().FirstOrDefaultAsync(a => a.MessageId == messageId, ct));
        // Someone deleted it from the timeline: a later copy does not bring it back.
        if (activity?.DeletedAt is not null) return (new EmailLogResult(id, MailOutcome.Skipped, SkipReasons.Deleted, null), null);
        var alreadyLogged = activity is not null;
        if (activity is null)
        {
            activity = NewActivity(item, direction, messageId, contacts[0]);
            db.Activities.Add(activity);
            written.ByMessageId[messageId] = activity;
            await MarkRepliedAsync(db, email, direction, written, ct);
            AddAttachments(db, activity, email);
        }
        else if (!activity.MailboxUserIds.Contains(item.UserId))
        {
            activity.MailboxUserIds = [.. activity.MailboxUserIds, item.UserId];
        }
        await LinkAsync(db, activity, contacts, written, ct);
        return (new EmailLogResult(id, MailOutcome.Logged, null, activity.Id, alreadyLogged), activity);
    }

    private EmailActivity NewActivity(EmailToLog item, ActivityDirection direction, string messageId, MatchedContact primary)
    {
        var email = item.Email;
        var html = email.HtmlBody is { Length: > 0 } raw ? sanitizer.Sanitize(Cut(raw, EmailLimits.BodyChars * 2)) : null;
        var text = email.TextBody is { Length: > 0 } plain ? plain : html is null ? null : sanitizer.TextOf(html);
        var activity = new EmailActivity
        {
            Subject = Cut(email.Subject, EmailLimits.SubjectChars),
            Body = text is null ? null : Cut(text, EmailLimits.BodyChars),
            HtmlBody = html is null ? null : Cut(html, EmailLimits.BodyChars * 2),
            Direction = direction,
            From = Cut(email.From?.ToString() ?? "", 500),
            To = email.To.Take(EmailLimits.Recipients).Select(a => Cut(a.ToString(), 500)).ToList(),
            Cc = email.Cc.Take(EmailLimits.Recipients).Select(a => Cut(a.ToString(), 500)).ToList(),
            Provider = item.Provider,
            ExternalId = Cut(item.ProviderMessageId, 300),
            ThreadId = Cut(email.ThreadId ?? email.References.FirstOrDefault() ?? email.InReplyTo ?? messageId, 998),
            MessageId = messageId,
            InReplyTo = email.InReplyTo is null ? null : Cut(email.InReplyTo.Trim('<', '>'), 998),
            SentAt = email.Date == default ? null : email.Date,
            OccurredAt = email.Date == default ? clock.GetUtcNow() : email.Date,
            OwnerId = item.UserId,
            MailboxUserIds = [item.UserId],
            ContactId = primary.Id,
            AccountId = primary.AccountId,
            AttachmentCount = Math.Min(email.Attachments.Count, EmailLimits.Attachments),
        };
        return activity;
    }

    /// <summary>A delivery report marks the email it is about (the seed's bouncedAt / bounceType); a hard bounce is not undone by a later soft one.</summary>
    private async Task MarkBouncedAsync(ICrmDb db, BounceReport bounce, DateTimeOffset date, BatchWrites written, CancellationToken ct)
    {
        if (bounce.OriginalMessageId is not { Length: > 0 } original) return;
        var id = original.Trim().Trim('<', '>');
        var email = (written.ByMessageId.GetValueOrDefault(id) is { DeletedAt: null } known ? known : null)
                    ?? await db.Activities.OfType<EmailActivity>().FirstOrDefaultAsync(a => a.MessageId == id, ct);
        if (email is null || email.BounceType == BounceType.Hard) return;
        email.BouncedAt = date == default ? clock.GetUtcNow() : date;
        email.BounceType = bounce.Type;
    }

    /// <summary>An answer to an email we logged marks that email replied to (the seed's repliedAt).</summary>
    private static async Task MarkRepliedAsync(ICrmDb db, IncomingEmail email, ActivityDirection direction, BatchWrites written, CancellationToken ct)
    {
        if (direction != ActivityDirection.Inbound || email.InReplyTo is not { Length: > 0 } inReplyTo) return;
        var id = inReplyTo.Trim('<', '>');
        var original = (written.ByMessageId.GetValueOrDefault(id) is { Direction: ActivityDirection.Outbound, DeletedAt: null } known ? known : null)
                       ?? await db.Activities.OfType<EmailActivity>().FirstOrDefaultAsync(a => a.MessageId == id && a.Direction == ActivityDirection.Outbound, ct);
        if (original is not null && original.RepliedAt is null) original.RepliedAt = email.Date == default ? DateTimeOffset.UtcNow : email.Date;
    }

    private async Task LinkAsync(ICrmDb db, EmailActivity activity, List<MatchedContact> contacts, BatchWrites written, CancellationToken ct)
    {
        var contactIds = contacts.Select(c => c.Id).Distinct().ToList();
        var accountIds = contacts.Where(c => c.AccountId is not null).Select(c => c.AccountId!.Value).Distinct().ToList();
        var dealIds = await db.DealContacts.Where(dc => contactIds.Contains(dc.ContactId))
            .Join(db.Deals, dc => dc.DealId, d => d.Id, (dc, d) => d)
            .Where(d => !d.Stage!.IsWon && !d.Stage.IsLost)
            .OrderByDescending(d => d.UpdatedAt).Select(d => d.Id).Distinct().Take(MaxDealsPerEmail).ToListAsync(ct);

        // An email this batch already linked has its new links here, not yet stored.
        if (!written.Links.TryGetValue(activity, out var existing))
            written.Links[activity] = existing = activity.Id == 0 ? [] : await db.ActivityLinks.Where(l => l.ActivityId == activity.Id).ToListAsync(ct);
        void Add(long? contactId, long? accountId, long? dealId)
        {
            if (existing.Any(l => l.ContactId == contactId && l.AccountId == accountId && l.DealId == dealId)) return;
            var link = new ActivityLink { Activity = activity, ContactId = contactId, AccountId = accountId, DealId = dealId };
            existing.Add(link);
            db.ActivityLinks.Add(link);
        }
        foreach (var id in contactIds) Add(id, null, null);
        foreach (var id in accountIds) Add(null, id, null);
        foreach (var id in dealIds) Add(null, null, id);
        // A copy that reaches a deal the first one did not: the newest deal also becomes the activity's own.
        if (activity.DealId is null && dealIds.Count > 0) activity.DealId = dealIds[0];
    }

    private static void AddAttachments(ICrmDb db, EmailActivity activity, IncomingEmail email)
    {
        foreach (var file in email.Attachments.Take(EmailLimits.Attachments))
            db.EmailAttachments.Add(new EmailAttachment
            {
                Activity = activity, FileName = Cut(string.IsNullOrWhiteSpace(file.FileName) ? "attachment" : file.FileName, 255),
                ContentType = Cut(file.ContentType, 127), Size = file.Size,
                Content = file.Content is { Length: <= EmailLimits.AttachmentBytes } content ? content : null,
            });
    }

    private static async Task<List<MatchedContact>> AutoCreateAsync(ICrmDb db, LoggingRules rules, EmailToLog item, ActivityDirection direction,
        List<MailAddress> external, List<MatchedContact> matched, CancellationToken ct)
    {
        var policy = rules.Settings.AutoCreate;
        if (policy == EmailAutoCreate.Off) return [];
        if (direction == ActivityDirection.Inbound && policy != EmailAutoCreate.FromSentAndReceived) return [];
        var from = MailboxAddresses.Canonical(item.Email.From?.Address);
        var known = matched.Select(m => MailboxAddresses.Canonical(m.MatchedAddress)).ToHashSet();
        var candidates = external
            .Where(p => direction == ActivityDirection.Outbound ? MailboxAddresses.Canonical(p.Address) != from : MailboxAddresses.Canonical(p.Address) == from)
            .Where(p => !known.Contains(MailboxAddresses.Canonical(p.Address)) && !IsAutomated(p.Address))
            // Bcc recipients of one's own mail are deliberate and private: not made contacts behind the sender's back.
            .Where(p => !item.Email.Bcc.Any(b => MailboxAddresses.Canonical(b.Address) == MailboxAddresses.Canonical(p.Address)))
            .Take(20)
            .ToList();
        var created = new List<(Contact Contact, string Address)>();
        foreach (var person in candidates)
        {
            var (first, last) = SplitName(person.Name);
            var contact = new Contact();
            await ContactWriter.ApplyAsync(db, contact, new ContactInput
            {
                FirstName = first, LastName = last, Email = person.Address, OwnerId = item.UserId,
                Source = "Email", SourceDetail = direction == ActivityDirection.Outbound ? "Created from sent email" : "Created from received email",
            }, ct);
            db.Contacts.Add(contact);
            created.Add((contact, person.Address));
        }
        if (created.Count > 0) await db.SaveChangesAsync(ct);
        return created.Select(c => new MatchedContact(c.Contact, c.Address)).ToList();
    }

    private static bool IsAutomated(string address)
    {
        var local = address[..address.LastIndexOf('@')];
        return AutomatedLocalParts.Any(p => local == p || local.StartsWith(p + "+", StringComparison.Ordinal) || local.StartsWith(p + "-", StringComparison.Ordinal));
    }

    private static (string? First, string? Last) SplitName(string? name)
    {
        var clean = name?.Trim().Trim('"', '\'').Trim();
        if (string.IsNullOrEmpty(clean) || clean.Contains('@')) return (null, null);
        // "Lovelace, Ada" as Outlook writes it.
        var comma = clean.IndexOf(',');
        if (comma > 0) return (Cut(clean[(comma + 1)..].Trim(), FieldLimits.Name), Cut(clean[..comma].Trim(), FieldLimits.Name));
        var space = clean.LastIndexOf(' ');
        return space < 0 ? (Cut(clean, FieldLimits.Name), null) : (Cut(clean[..space].Trim(), FieldLimits.Name), Cut(clean[(space + 1)..], FieldLimits.Name));
    }

    private static void ClearTracked(ICrmDb db)
    {
        if (db is DbContext context) context.ChangeTracker.Clear();
    }

    private static string Cut(string value, int length) => value.Length <= length ? value : value[..length];
}
