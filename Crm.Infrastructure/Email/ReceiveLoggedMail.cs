using Crm.Core.Common;
using Crm.Core.Email;
using Crm.Core.Timeline;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Crm.Infrastructure.Email;

public enum InboundMailOutcome
{
    Logged,
    Skipped,
    /// <summary>From someone who is not a user of the workspace: refused and counted.</summary>
    Refused,
    /// <summary>None of its recipients is a logging address (or the address was rotated away).</summary>
    NotForUs,
    Unreadable,
}

public sealed record InboundMailResult(InboundMailOutcome Outcome, string Message, long? ActivityId = null);

/// <summary>
/// Mail that reached a workspace's logging address — BCC'd on a rep's own email, or forwarded to it — by the HTTP
/// inbound webhook or the SMTP listener alike. Logged as the user who sent or forwarded it, who must be a user of that
/// workspace; a forward logs the original inside it. The logging address itself is never a participant.
/// </summary>
public sealed class ReceiveLoggedMailHandler(ILoggingAddresses addresses, IServiceScopeFactory scopes, CrmDatabase database, TimeProvider clock,
    ILogger<ReceiveLoggedMailHandler> log)
{
    private static readonly SemaphoreSlim SqliteWriter = new(1, 1);

    public async Task<InboundMailResult> HandleAsync(Stream raw, IReadOnlyList<string>? envelopeRecipients, CancellationToken ct)
    {
        MimeMessage message;
        try
        {
            message = await MimeEmails.LoadAsync(raw, ct);
        }
        catch (FormatException e)
        {
            return new InboundMailResult(InboundMailOutcome.Unreadable, $"The message could not be read as MIME: {e.Message}");
        }

        var recipients = (envelopeRecipients is { Count: > 0 } ? envelopeRecipients : HeaderRecipients(message)).Take(EmailLimits.Recipients);
        long? workspaceId = null;
        foreach (var recipient in recipients)
            if (await addresses.WorkspaceOfAsync(recipient, ct) is { } found)
            {
                workspaceId = found;
                break;
            }
        if (workspaceId is null) return new InboundMailResult(InboundMailOutcome.NotForUs, "No recipient is a logging address of this CRM.");

        var sender = MailboxAddresses.Normalize(message.From.Mailboxes.FirstOrDefault()?.Address ?? message.Sender?.Address);
        var user = await UserOfAsync(workspaceId.Value, sender, ct);
        if (user is null)
        {
            await CountRefusalAsync(workspaceId.Value, sender, ct);
            // The sender is told nothing about the workspace; the log has no address either (it is personal data).
            log.LogInformation("Mail to a logging address of workspace {WorkspaceId} refused: the sender is not one of its users", workspaceId);
            return new InboundMailResult(InboundMailOutcome.Refused, "The sender is not a user of this workspace; only its users can log email by BCC or forward.");
        }

        var email = Forwarded(message, user.Value.Email) ?? MimeEmails.ToIncoming(message);
        email = WithoutLoggingAddresses(email);
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value =
            new Actor(workspaceId.Value, user.Value.Id, user.Value.Role, ChangeSource.Sync, MailboxMessage.LoggingAddress);
        var logger = scope.ServiceProvider.GetRequiredService<LogEmailHandler>();
        EmailLogResult result;
        // SQLite has one writer: messages arriving together queue here rather than in its busy-wait back-off, whose
        // sleeps (not the work) made the slowest deliveries slow. SQL Server takes them side by side.
        var single = database.Provider == DatabaseProvider.Sqlite;
        if (single) await SqliteWriter.WaitAsync(ct);
        try
        {
            result = (await logger.HandleAsync([new EmailToLog(MailboxMessage.LoggingAddress, null, email.MessageId, user.Value.Id, EmailProvider.LoggingAddress, email)], ct))[0];
        }
        finally
        {
            if (single) SqliteWriter.Release();
        }
        return result.Outcome == MailOutcome.Logged
            ? new InboundMailResult(InboundMailOutcome.Logged, result.AlreadyLogged ? "Already logged; linked to any new contacts." : "Logged.", result.ActivityId)
            : new InboundMailResult(InboundMailOutcome.Skipped, $"Not logged: {SkipReasons.Describe(result.Reason)}.");
    }

    /// <summary>
    /// The original when the user forwarded mail to the logging address (an attached message, or an inline forward
    /// sent to the logging address alone); null for a BCC, which is logged as it is.
    /// </summary>
    private IncomingEmail? Forwarded(MimeMessage message, string userEmail)
    {
        var visible = message.To.Mailboxes.Concat(message.Cc.Mailboxes).Select(m => m.Address).ToList();
        var toLoggingAddressOnly = visible.Count > 0 && visible.All(a => addresses.IsLoggingAddress(a) || MailboxAddresses.Canonical(a) == MailboxAddresses.Canonical(userEmail));
        var looksForwarded = (message.Subject ?? "").TrimStart().StartsWith("fw", StringComparison.OrdinalIgnoreCase) || message.BodyParts.OfType<MessagePart>().Any();
        if (!toLoggingAddressOnly && !looksForwarded) return null;
        return ForwardedMail.OriginalOf(message);
    }

    private IncomingEmail WithoutLoggingAddresses(IncomingEmail email) => email with
    {
        To = email.To.Where(a => !addresses.IsLoggingAddress(a.Address)).ToList(),
        Cc = email.Cc.Where(a => !addresses.IsLoggingAddress(a.Address)).ToList(),
        Bcc = email.Bcc.Where(a => !addresses.IsLoggingAddress(a.Address)).ToList(),
    };

    private static IEnumerable<string> HeaderRecipients(MimeMessage message)
    {
        foreach (var name in new[] { "Delivered-To", "X-Original-To", "X-Forwarded-To", "Envelope-To" })
            foreach (var header in message.Headers.Where(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase)))
                yield return header.Value.Trim();
        foreach (var mailbox in message.To.Mailboxes.Concat(message.Cc.Mailboxes).Concat(message.Bcc.Mailboxes))
            yield return mailbox.Address;
    }

    private async Task<(long Id, string Email, Crm.Core.Users.UserRole Role)?> UserOfAsync(long workspaceId, string? sender, CancellationToken ct)
    {
        if (sender is null) return null;
        await using var db = database.Create(Actor.System(workspaceId));
        var users = await db.CrmUsers.AsNoTracking().Where(u => u.IsActive && !u.InvitationPending).Select(u => new { u.Id, u.Email, u.Role }).ToListAsync(ct);
        var canonical = MailboxAddresses.Canonical(sender);
        var user = users.FirstOrDefault(u => MailboxAddresses.Canonical(u.Email) == canonical);
        return user is null ? null : (user.Id, user.Email, user.Role);
    }

    private async Task CountRefusalAsync(long workspaceId, string? sender, CancellationToken ct)
    {
        await using var db = database.Create(Actor.System(workspaceId));
        var settings = await EmailSettingsStore.GetOrCreateAsync(db, ct);
        settings.RefusedCount++;
        settings.LastRefusedAt = clock.GetUtcNow();
        settings.LastRefusedFrom = sender is { Length: <= 254 } ? sender : sender?[..254];
        await db.SaveChangesAsync(ct);
    }
}
