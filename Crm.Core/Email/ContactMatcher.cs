using Crm.Core.Common;
using Crm.Core.Contacts;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Email;

/// <summary>A contact an address of an email belongs to.</summary>
public sealed record MatchedContact(long Id, long? AccountId, string MatchedAddress)
{
    public MatchedContact(Contact contact, string address) : this(contact.Id, contact.AccountId, address) { }
}

/// <summary>
/// Finds the contacts of a message's addresses: by primary or additional email, lower-case; and, for Gmail addresses,
/// as Gmail delivers them (dots and +tags ignored, googlemail.com = gmail.com). One contact per address: the most
/// recently updated when several share it.
/// </summary>
public static class ContactMatcher
{
    public static async Task<List<MatchedContact>> MatchAsync(ICrmDb db, IReadOnlyList<string> addresses, CancellationToken ct)
    {
        var wanted = addresses.Select(MailboxAddresses.Normalize).OfType<string>().Distinct().ToList();
        if (wanted.Count == 0) return [];
        // The address as written, and without a +tag where the provider drops it.
        var forms = wanted.SelectMany(a => new[] { a, TagFree(a) }).Distinct().ToList();
        var rows = await db.Contacts.AsNoTracking()
            .Where(c => c.MergedIntoId == null && ((c.Email != null && forms.Contains(c.Email)) || c.AdditionalEmails.Any(e => forms.Contains(e))))
            .OrderByDescending(c => c.UpdatedAt)
            .Select(c => new { c.Id, c.AccountId, c.Email, c.AdditionalEmails })
            .Take(500)
            .ToListAsync(ct);

        var gmail = wanted.Where(MailboxAddresses.IsGmail).Select(a => Dotless(MailboxAddresses.Canonical(a)!)).Distinct().ToList();
        var gmailRows = gmail.Count == 0 ? [] : await db.Contacts.AsNoTracking()
            .Where(c => c.MergedIntoId == null && c.Email != null && (c.Email.EndsWith("@gmail.com") || c.Email.EndsWith("@googlemail.com"))
                        && (gmail.Contains(c.Email.Replace(".", "")) || gmail.Contains(c.Email.Replace(".", "").Replace("@googlemailcom", "@gmailcom"))))
            .OrderByDescending(c => c.UpdatedAt)
            .Select(c => new { c.Id, c.AccountId, c.Email, c.AdditionalEmails })
            .Take(500)
            .ToListAsync(ct);

        // Each address a row holds, as the mailbox it delivers to, to the first row holding it (the most recently updated).
        var byCanonical = new Dictionary<string, (long Id, long? AccountId)>(StringComparer.Ordinal);
        foreach (var row in rows.Concat(gmailRows))
            foreach (var email in row.AdditionalEmails.Prepend(row.Email))
                if (MailboxAddresses.Canonical(email) is { } held) byCanonical.TryAdd(held, (row.Id, row.AccountId));
        var matched = new List<MatchedContact>();
        var seen = new HashSet<long>();
        foreach (var address in wanted)
            if (byCanonical.TryGetValue(MailboxAddresses.Canonical(address)!, out var hit) && seen.Add(hit.Id))
                matched.Add(new MatchedContact(hit.Id, hit.AccountId, address));
        return matched;
    }

    private static string TagFree(string address) => MailboxAddresses.Canonical(address) is { } canonical && !MailboxAddresses.IsGmail(address) ? canonical : address;

    /// <summary>"adalovelace@gmail.com" → "adalovelace@gmailcom": what REPLACE(Email, '.', '') gives for any dotted spelling.</summary>
    private static string Dotless(string canonical) => canonical.Replace(".", "", StringComparison.Ordinal);
}

/// <summary>
/// The contacts of a batch's addresses, found in one pass for the whole batch (one query rather than one per message),
/// and the contacts the batch creates, so a second message to a new address finds the contact the first one made.
/// </summary>
public sealed class ContactLookup
{
    private readonly Dictionary<string, MatchedContact?> _byAddress = [];

    public async Task PrefetchAsync(ICrmDb db, IEnumerable<string> addresses, CancellationToken ct)
    {
        var wanted = addresses.Select(MailboxAddresses.Normalize).OfType<string>()
            .Where(a => !_byAddress.ContainsKey(MailboxAddresses.Canonical(a)!)).Distinct().ToList();
        foreach (var chunk in wanted.Chunk(200))
        {
            foreach (var address in chunk) _byAddress[MailboxAddresses.Canonical(address)!] = null;
            foreach (var match in await ContactMatcher.MatchAsync(db, chunk, ct)) _byAddress[MailboxAddresses.Canonical(match.MatchedAddress)!] = match;
        }
    }

    public async Task<List<MatchedContact>> MatchAsync(ICrmDb db, IReadOnlyList<string> addresses, CancellationToken ct)
    {
        await PrefetchAsync(db, addresses, ct);
        return addresses.Select(a => (Address: a, Match: _byAddress.GetValueOrDefault(MailboxAddresses.Canonical(a) ?? "")))
            .Where(x => x.Match is not null).DistinctBy(x => x.Match!.Id)
            .Select(x => x.Match! with { MatchedAddress = x.Address }).ToList();
    }

    public void Add(MatchedContact created)
    {
        if (MailboxAddresses.Canonical(created.MatchedAddress) is { } canonical) _byAddress[canonical] = created;
    }
}
