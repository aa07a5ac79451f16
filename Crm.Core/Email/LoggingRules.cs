using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Email;

/// <summary>
/// What a workspace's logging decides by, loaded once per batch: its settings, its users' addresses and the domains
/// that are "us" (the users' company domains — never a free-mail domain such as gmail.com).
/// </summary>
public sealed class LoggingRules
{
    private readonly HashSet<string> _userAddresses;
    private readonly HashSet<string> _internalDomains;
    private readonly HashSet<string> _neverAddresses;
    private readonly List<string> _neverDomains;

    public EmailSettings Settings { get; }

    /// <param name="mailboxAddresses">Addresses of the users' connected mailboxes (a rep's Gmail): theirs, without making their domain ours.</param>
    public LoggingRules(EmailSettings settings, IEnumerable<string> userEmails, IEnumerable<string>? mailboxAddresses = null)
    {
        Settings = settings;
        _userAddresses = userEmails.Select(MailboxAddresses.Canonical).OfType<string>().ToHashSet();
        _internalDomains = _userAddresses.Select(MailboxAddresses.DomainOf).OfType<string>().Where(d => !MailboxAddresses.IsFreeMail(d)).ToHashSet();
        _userAddresses.UnionWith((mailboxAddresses ?? []).Select(MailboxAddresses.Canonical).OfType<string>());
        _neverAddresses = settings.NeverLog.Where(e => e.Contains('@')).Select(MailboxAddresses.Canonical).OfType<string>().ToHashSet();
        _neverDomains = settings.NeverLog.Where(e => !e.Contains('@')).Select(d => d.Trim().TrimStart('.').ToLowerInvariant()).Where(d => d.Length > 0).ToList();
    }

    public static async Task<LoggingRules> LoadAsync(ICrmDb db, CancellationToken ct)
    {
        var settings = await db.EmailSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new EmailSettings();
        var users = await db.Users.AsNoTracking().Where(u => !u.InvitationPending).Select(u => u.Email).ToListAsync(ct);
        var mailboxes = await db.Integrations.AsNoTracking().Where(i => (i.Type == Integrations.Connections.IntegrationType.Email || i.Type == Integrations.Connections.IntegrationType.Calendar) && i.AccountName != null)
            .Select(i => i.AccountName!).ToListAsync(ct);
        return new LoggingRules(settings, users, mailboxes.Where(a => a.Contains('@')));
    }

    /// <summary>A user's address, or any address at the users' company domains.</summary>
    public bool IsInternal(string address)
    {
        var canonical = MailboxAddresses.Canonical(address);
        if (canonical is null) return false;
        return _userAddresses.Contains(canonical) || (MailboxAddresses.DomainOf(canonical) is { } domain && _internalDomains.Contains(domain));
    }

    public bool IsUser(string? address) => MailboxAddresses.Canonical(address) is { } canonical && _userAddresses.Contains(canonical);

    /// <summary>On the never-log list: the address itself, or its domain or a parent domain ("bank.example" covers "mail.bank.example").</summary>
    public bool IsNeverLogged(string address)
    {
        var canonical = MailboxAddresses.Canonical(address);
        if (canonical is null) return false;
        if (_neverAddresses.Contains(canonical)) return true;
        var domain = MailboxAddresses.DomainOf(canonical)!;
        return _neverDomains.Any(d => domain == d || domain.EndsWith("." + d, StringComparison.Ordinal));
    }

    /// <summary>A never-log entry as typed → its stored form, or null when it is neither an address nor a domain.</summary>
    public static string? NormalizeEntry(string? entry)
    {
        if (string.IsNullOrWhiteSpace(entry)) return null;
        var value = entry.Trim().ToLowerInvariant();
        if (value.Contains('@'))
        {
            if (value.StartsWith('@')) value = value[1..];
            else return MailboxAddresses.Normalize(value);
        }
        value = value.TrimStart('.');
        return value.Length is > 2 and <= 253 && value.Contains('.') && !value.Any(c => char.IsWhiteSpace(c) || c is '/' or ':' or '@') ? value : null;
    }
}
