using System.Text.RegularExpressions;
using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Timeline;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Email;

/// <param name="Body">Plain text as typed (paragraphs by blank lines); merge fields such as {{first_name}} are filled in.</param>
public sealed record SendEmailInput(long ContactId, string Subject, string Body, IReadOnlyList<string>? Cc = null, long? ReplyToActivityId = null, bool Track = true);

/// <summary>An email about to leave through a user's own mailbox.</summary>
public sealed record OutgoingEmail(string MessageId, MailAddress From, IReadOnlyList<MailAddress> To, IReadOnlyList<MailAddress> Cc, string Subject,
    string TextBody, string HtmlBody, string? InReplyTo, IReadOnlyList<string> References, string? ThreadId, DateTimeOffset Date);

/// <summary>Sends through a mailbox connection (Gmail's messages.send, Graph's sendMail); returns the provider's message id.</summary>
public interface IMailSender
{
    string Provider { get; }
    Task<string> SendAsync(ConnectionRef mailbox, OutgoingEmail email, CancellationToken ct);
}

/// <summary>Tracking links of one sent email: the open pixel and each link wrapped so the click is counted (signed, no open redirect).</summary>
public interface IEmailTracking
{
    string PixelUrl(long workspaceId, long activityId);
    string ClickUrl(long workspaceId, long activityId, string url);
}

/// <summary>
/// Sends an email to a contact from the rep's own connected mailbox (the seed's gmail.send / Mail.Send scopes), in
/// reply to a logged one when asked (same thread), with merge fields filled in, and tracked unless the rep turns it
/// off. The email is on the timeline at once — logged before it leaves (its Message-ID is ours, so the copy the
/// mailbox sync finds in Sent later is the same activity); if the provider refuses it, that entry is taken back.
/// </summary>
public sealed partial class SendEmailHandler(ICrmDbFactory dbFactory, IEnumerable<IMailSender> senders, IEmailTracking tracking, LogEmailHandler logger, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> MergeFields = ["first_name", "last_name", "full_name", "company", "sender_name", "sender_email"];

    public async Task<ActivityDto> HandleAsync(SendEmailInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        if (db.Actor.UserId is not { } userId) throw new ForbiddenException("Only a signed-in person sends email, from their own mailbox.");
        if (string.IsNullOrWhiteSpace(input.Subject)) throw new ValidationFailedException(nameof(input.Subject), "Enter a subject.");
        if (string.IsNullOrWhiteSpace(input.Body)) throw new ValidationFailedException(nameof(input.Body), "Write the email.");
        if (input.Subject.Length > EmailLimits.SubjectChars) throw new ValidationFailedException(nameof(input.Subject), $"A subject is at most {EmailLimits.SubjectChars} characters.");
        if (input.Body.Length > EmailLimits.BodyChars) throw new ValidationFailedException(nameof(input.Body), $"An email is at most {EmailLimits.BodyChars:N0} characters.");
        var contact = await db.Contacts.AsNoTracking().Where(c => c.Id == input.ContactId)
                          .Select(c => new { c.Id, c.FirstName, c.LastName, c.Email, Company = c.Account != null ? c.Account.Name : null }).FirstOrDefaultAsync(ct)
                      ?? throw new NotFoundException("Contact", input.ContactId);
        if (contact.Email is null) throw new ValidationFailedException(nameof(input.ContactId), "This contact has no email address.");
        var cc = new List<MailAddress>();
        foreach (var address in input.Cc ?? [])
            cc.Add(MailboxAddresses.Normalize(address) is { } normal ? new MailAddress(normal) : throw new ValidationFailedException(nameof(input.Cc), $"\"{address}\" is not an email address."));
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.Name, u.Email }).SingleAsync(ct);
        var mailbox = await db.Integrations.AsNoTracking()
            .Where(i => i.Type == IntegrationType.Email && i.OwnerUserId == userId && i.Status == ConnectionStatus.Connected)
            .Select(i => new { i.Id, i.Provider, i.AccountName }).FirstOrDefaultAsync(ct)
            ?? throw new ValidationFailedException(nameof(input.ContactId), "Connect your mailbox on My connections first: email is sent from your own address.");
        var sender = senders.FirstOrDefault(s => s.Provider == mailbox.Provider)
                     ?? throw new ValidationFailedException(nameof(input.ContactId), "Sending is not available for this mailbox.");

        var values = new Dictionary<string, string?>
        {
            ["first_name"] = contact.FirstName, ["last_name"] = contact.LastName, ["full_name"] = $"{contact.FirstName} {contact.LastName}".Trim(),
            ["company"] = contact.Company, ["sender_name"] = user.Name, ["sender_email"] = mailbox.AccountName ?? user.Email,
        };
        var subject = Merge(input.Subject, values, nameof(input.Subject));
        var text = Merge(input.Body, values, nameof(input.Body));

        string? inReplyTo = null, threadId = null;
        var references = new List<string>();
        if (input.ReplyToActivityId is { } replyTo)
        {
            var original = await db.Activities.AsNoTracking().OfType<EmailActivity>().FirstOrDefaultAsync(a => a.Id == replyTo, ct)
                           ?? throw new NotFoundException("Email", replyTo);
            inReplyTo = original.MessageId;
            threadId = original.ThreadId;
            if (original.MessageId is not null) references.Add(original.MessageId);
            if (!subject.StartsWith("re:", StringComparison.OrdinalIgnoreCase) && subject == input.Subject && original.Subject.Length > 0) subject = "Re: " + original.Subject;
        }

        var from = new MailAddress(mailbox.AccountName is { } account && account.Contains('@') ? account : user.Email, user.Name);
        var to = new MailAddress(contact.Email, values["full_name"] is { Length: > 0 } name ? name : null);
        var messageId = $"{Guid.NewGuid():N}@{MailboxAddresses.DomainOf(from.Address) ?? "crm.local"}";
        var now = clock.GetUtcNow();
        var plainHtml = HtmlOf(text);
        var mailboxKey = MailboxMessage.SentFromCrm(userId);
        var logged = (await logger.HandleAsync([new EmailToLog(mailboxKey, mailbox.Id, messageId, userId, EmailProvider.Crm, new IncomingEmail
        {
            MessageId = messageId, From = from, To = [to], Cc = cc, Subject = subject, Date = now, TextBody = text, HtmlBody = plainHtml,
            InReplyTo = inReplyTo, References = references, ThreadId = threadId,
        })], ct))[0];
        if (logged.ActivityId is not { } activityId)
            throw new ValidationFailedException(nameof(input.ContactId), $"This email would not be logged ({SkipReasons.Describe(logged.Reason)}); it was not sent.");

        var html = input.Track ? Tracked(plainHtml, db.Actor.WorkspaceId, activityId) : plainHtml;
        try
        {
            await sender.SendAsync(new ConnectionRef(db.Actor.WorkspaceId, mailbox.Id, mailbox.Provider),
                new OutgoingEmail(messageId, from, [to], cc, subject, text, html, inReplyTo, references, threadId, now), ct);
        }
        catch
        {
            // Not sent: the timeline must not say it was.
            var entry = await db.Activities.FirstAsync(a => a.Id == activityId, CancellationToken.None);
            db.Activities.Remove(entry);
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        var activity = await db.Activities.OfType<EmailActivity>().FirstAsync(a => a.Id == activityId, ct);
        activity.Tracked = input.Track;
        activity.SentAt = now;
        await db.SaveChangesAsync(ct);
        return ActivityDto.Of(activity);
    }

    private static string Merge(string template, IReadOnlyDictionary<string, string?> values, string field)
    {
        EnsureKnownMergeFields(template, field);
        return Field().Replace(template, m => values[m.Groups[1].Value.ToLowerInvariant()] ?? "");
    }

    /// <summary>Refuses a text naming a merge field there is no value for (the known ones are listed in the message).</summary>
    public static void EnsureKnownMergeFields(string text, string field)
    {
        var unknown = Field().Matches(text).Select(m => m.Groups[1].Value.ToLowerInvariant()).Where(k => !MergeFields.Contains(k)).Distinct().ToList();
        if (unknown.Count > 0)
            throw new ValidationFailedException(field, $"Unknown merge field{(unknown.Count == 1 ? "" : "s")} {string.Join(", ", unknown.Select(u => "{{" + u + "}}"))}; use {string.Join(", ", MergeFields.Select(f => "{{" + f + "}}"))}.");
    }

    /// <summary>Typed text as HTML: encoded, paragraphs and line breaks kept, bare links made links.</summary>
    public static string HtmlOf(string text)
    {
        var paragraphs = text.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(p => "<p>" + Link().Replace(System.Net.WebUtility.HtmlEncode(p.Trim()), m => $"<a href=\"{m.Value}\">{m.Value}</a>").Replace("\n", "<br>") + "</p>");
        return string.Concat(paragraphs);
    }

    private string Tracked(string html, long workspaceId, long activityId) =>
        Href().Replace(html, m => $"href=\"{System.Net.WebUtility.HtmlEncode(tracking.ClickUrl(workspaceId, activityId, System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)))}\"")
        + $"<img src=\"{System.Net.WebUtility.HtmlEncode(tracking.PixelUrl(workspaceId, activityId))}\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none\">";

    [GeneratedRegex(@"\{\{\s*([A-Za-z_]+)\s*\}\}")]
    private static partial Regex Field();

    [GeneratedRegex(@"https?://[^\s<>""']+", RegexOptions.IgnoreCase)]
    private static partial Regex Link();

    [GeneratedRegex("href=\"(https?://[^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex Href();
}
