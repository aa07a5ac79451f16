namespace Crm.Core.Email;

/// <summary>
/// Addresses as mail providers compare them. Every provider ignores case; Gmail also ignores dots in the local part and
/// treats googlemail.com as gmail.com; Gmail, Outlook.com, iCloud, Fastmail and Proton deliver "name+tag@" to "name@".
/// Company domains keep their local part as written: a "+" there can be part of a real mailbox's name.
/// </summary>
public static class MailboxAddresses
{
    private static readonly HashSet<string> GmailDomains = ["gmail.com", "googlemail.com"];

    private static readonly HashSet<string> PlusTagDomains =
    [
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "hotmail.fr", "hotmail.de", "live.com",
        "live.co.uk", "msn.com", "icloud.com", "me.com", "mac.com", "fastmail.com", "fastmail.fm", "protonmail.com", "proton.me", "pm.me",
    ];

    /// <summary>Free mailboxes: their domain says nothing about a company (never an internal domain, never an account's).</summary>
    private static readonly HashSet<string> FreeMailDomains =
    [
        .. PlusTagDomains, "yahoo.com", "yahoo.co.uk", "yahoo.fr", "ymail.com", "aol.com", "gmx.de", "gmx.net", "gmx.com", "web.de",
        "mail.com", "zoho.com", "yandex.ru", "yandex.com", "qq.com", "163.com", "126.com", "hey.com", "tutanota.com", "orange.fr", "free.fr",
    ];

    /// <summary>"  Ada@Example.COM " → "ada@example.com"; "mailto:" dropped; not an address → null.</summary>
    public static string? Normalize(string? address)
    {
        if (string.IsNullOrWhiteSpace(address)) return null;
        var value = address.Trim().Trim('<', '>').Trim().ToLowerInvariant();
        if (value.StartsWith("mailto:", StringComparison.Ordinal)) value = value[7..];
        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1 || value.Length > 320 || value.Any(char.IsWhiteSpace)) return null;
        return value;
    }

    /// <summary>The mailbox an address delivers to: "Ada.Lovelace+crm@googlemail.com" → "adalovelace@gmail.com".</summary>
    public static string? Canonical(string? address)
    {
        if (Normalize(address) is not { } value) return null;
        var at = value.LastIndexOf('@');
        var local = value[..at];
        var domain = value[(at + 1)..];
        if (PlusTagDomains.Contains(domain))
        {
            var plus = local.IndexOf('+');
            if (plus > 0) local = local[..plus];
        }
        if (GmailDomains.Contains(domain))
        {
            local = local.Replace(".", "", StringComparison.Ordinal);
            domain = "gmail.com";
        }
        return $"{local}@{domain}";
    }

    public static string? DomainOf(string? address) =>
        Normalize(address) is { } value ? value[(value.LastIndexOf('@') + 1)..] : null;

    public static bool IsGmail(string? address) => DomainOf(address) is { } domain && GmailDomains.Contains(domain);

    public static bool IsFreeMail(string? domain) => domain is not null && FreeMailDomains.Contains(domain.ToLowerInvariant());
}
