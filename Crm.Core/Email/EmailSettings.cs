using Crm.Core.Common;

namespace Crm.Core.Email;

/// <summary>Which unknown addresses become contacts when an email is logged.</summary>
public enum EmailAutoCreate
{
    Off = 0,
    /// <summary>Recipients of mail a user sent.</summary>
    FromSent = 1,
    /// <summary>Recipients of sent mail and senders of received mail.</summary>
    FromSentAndReceived = 2,
}

/// <summary>
/// A workspace's email logging rules (one row per workspace, made on first use): the never-log list, bulk mail,
/// auto-created contacts, whether teammates read bodies, and the secret logging (BCC / forward) address.
/// </summary>
public sealed class EmailSettings : Entity, IWorkspaceOwned, ITimestamped
{
    public long WorkspaceId { get; set; }
    public EmailAutoCreate AutoCreate { get; set; }
    /// <summary>Newsletters and notifications (List-Unsubscribe, Precedence: bulk) are skipped unless this is on.</summary>
    public bool LogBulk { get; set; }
    /// <summary>Off: teammates see a logged email's subject and participants, only the people whose mailbox had it read the body.</summary>
    public bool TeammatesSeeBodies { get; set; } = true;
    /// <summary>Addresses ("ceo@bank.example") and domains ("bank.example"), normalised; mail with any of them is never logged.</summary>
    public List<string> NeverLog { get; set; } = [];
    /// <summary>SHA-256 of the logging address's secret part: how inbound mail finds its workspace.</summary>
    public string? LoggingTokenHash { get; set; }
    /// <summary>The secret part, encrypted (shown to the workspace's users as their logging address).</summary>
    public string? LoggingTokenProtected { get; set; }
    /// <summary>Mail to the logging address from someone who is not a user here: refused, counted, the last one named.</summary>
    public long RefusedCount { get; set; }
    public DateTimeOffset? LastRefusedAt { get; set; }
    public string? LastRefusedFrom { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public const int NeverLogEntries = 1_000;
}
