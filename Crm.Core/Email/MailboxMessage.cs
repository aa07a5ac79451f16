using Crm.Core.Common;

namespace Crm.Core.Email;

public enum MailOutcome
{
    Logged = 1,
    /// <summary>Deliberately not logged; <see cref="MailboxMessage.Reason"/> says by which rule.</summary>
    Skipped = 2,
    /// <summary>Mail to the logging address from someone who may not log here.</summary>
    Refused = 3,
}

/// <summary>Why a message was not logged (stored as these strings; shown in words on the sync health page).</summary>
public static class SkipReasons
{
    public const string Bulk = "bulk";
    public const string NeverLog = "never_log";
    public const string Internal = "internal";
    public const string NoContact = "no_contact";
    public const string NoMessageId = "no_message_id";
    public const string Deleted = "deleted";
    public const string NotMail = "not_mail";
    public const string Gone = "gone";
    public const string Bounce = "bounce";

    public static string Describe(string? reason) => reason switch
    {
        Bulk => "bulk mail (newsletters, notifications)",
        NeverLog => "on the never-log list",
        Internal => "only colleagues on it",
        NoContact => "no contact among the participants",
        NoMessageId => "no Message-ID",
        Deleted => "deleted from the timeline",
        NotMail => "a draft, spam, trash or chat",
        Gone => "deleted in the mailbox before it was read",
        Bounce => "a delivery report (marked on the email it is about)",
        null => "",
        _ => reason,
    };
}

/// <summary>
/// Every message a mailbox (or the logging address) showed us, and what became of it: logged as which activity, or
/// skipped by which rule. A message seen again is answered from here (idempotent), and the nightly completeness
/// check compares the provider's ids with these rows.
/// </summary>
public sealed class MailboxMessage : Entity, IWorkspaceOwned
{
    public long WorkspaceId { get; set; }
    /// <summary>"integration:{id}" for a synced mailbox, "logging-address" for BCC and forwards, "sent:{userId}" for mail sent from the CRM.</summary>
    public string Mailbox { get; set; } = "";
    public long? IntegrationId { get; set; }
    /// <summary>The provider's id (Gmail's message id, Graph's immutable id); the Message-ID for the logging address.</summary>
    public string ProviderMessageId { get; set; } = "";
    public string? MessageId { get; set; }
    public long? UserId { get; set; }
    public MailOutcome Outcome { get; set; }
    public string? Reason { get; set; }
    public long? ActivityId { get; set; }
    public Timeline.EmailActivity? Activity { get; set; }
    /// <summary>The message's own date: what the completeness check's window is about.</summary>
    public DateTimeOffset MessageDate { get; set; }
    public DateTimeOffset SeenAt { get; set; }
    /// <summary>Gone from the mailbox (deleted at the provider); the logged activity stays.</summary>
    public bool RemovedAtProvider { get; set; }

    public static string ForIntegration(long integrationId) => $"integration:{integrationId}";
    public const string LoggingAddress = "logging-address";
    public static string SentFromCrm(long userId) => $"sent:{userId}";
}
