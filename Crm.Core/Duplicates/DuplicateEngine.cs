namespace Crm.Core.Duplicates;

/// <summary>A contact as the engine compares it: its normalised keys (see <see cref="DuplicateKeys"/>).</summary>
public readonly record struct ContactKey(long Id, string? Email, string? LinkedIn, string Name, long? AccountId, string? Phone)
{
    public static ContactKey Of(long id, string? email, string? linkedIn, string? firstName, string? lastName, long? accountId, string? phone, string region = "US") =>
        new(id, DuplicateKeys.Email(email), DuplicateKeys.LinkedIn(linkedIn), DuplicateKeys.Name(firstName, lastName), accountId, DuplicateKeys.Phone(phone, region));
}

public readonly record struct AccountKey(long Id, string? Domain, string? Name)
{
    public static AccountKey Of(long id, string? domain, string? name) => new(id, DuplicateKeys.Domain(domain), DuplicateKeys.AccountName(name));
}

/// <summary>
/// Two records that look like one, how sure the engine is (0–100), and why; <paramref name="Rule"/> and
/// <paramref name="Key"/> are the strongest reason's rule and the value the records share (the queue groups by them).
/// </summary>
public sealed record DuplicatePair(long A, long B, int Confidence, IReadOnlyList<string> Reasons, string Rule = "", string Key = "");

/// <summary>The rules a pair is found by; a queue group is one rule and one shared key.</summary>
public static class DuplicateRules
{
    public const string Email = "email";
    public const string LinkedIn = "linkedin";
    public const string NameAtAccount = "name-at-account";
    public const string Phone = "phone";
    /// <summary>Key: the account's id.</summary>
    public const string SimilarNameAtAccount = "similar-name";
    public const string Domain = "domain";
    public const string CompanyName = "company-name";
}

/// <summary>
/// Finds duplicates without comparing every record with every other: records are grouped by each exact key (email,
/// LinkedIn profile, name at an account, phone; domain and company name for accounts) and only records sharing a
/// group are paired; fuzzy names are compared only inside an account's contacts. Confidences follow the seed's Q4
/// criteria; every pair keeps the reasons that produced it.
/// </summary>
public sealed class DuplicateEngine
{
    /// <summary>A key shared by more records than this is not an identity (a switchboard number, "info@"): it is skipped.</summary>
    public const int MaxGroup = 25;
    /// <summary>Contacts of one account compared by fuzzy name; a bigger account is compared with its neighbours in name order.</summary>
    public const int FuzzyBlock = 300;
    private const int Neighbours = 12;

    public const int EmailConfidence = 100;
    public const int LinkedInConfidence = 95;
    public const int NameAtAccountConfidence = 90;
    /// <summary>A shared phone alone — a switchboard, a family, a shared desk — is a possible duplicate, not one to review.</summary>
    public const int PhoneConfidence = 60;
    /// <summary>A shared phone with a similar name or the same account is a review-level match.</summary>
    public const int PhoneAndNameConfidence = 88;
    public const int CompanyNameConfidence = 90;
    /// <summary>Same company name, but each has its own, different domain: sister companies more often than one company twice.</summary>
    public const int CompanyNameOtherDomainsConfidence = 60;
    public const int SimilarNameAtAccountConfidence = 86;
    public const int CloseNameAtAccountConfidence = 70;

    private readonly Dictionary<(long, long), Found> _pairs = [];

    private sealed class Found(int confidence, string rule, string key)
    {
        public int Confidence = confidence;
        public string Rule = rule;
        public string Key = key;
        public readonly List<string> Reasons = [];
    }

    /// <summary>How many pairs of records were actually compared (the proof there is no all-pairs comparison).</summary>
    public long PairsCompared { get; private set; }

    public IReadOnlyList<DuplicatePair> Contacts(IReadOnlyList<ContactKey> contacts, int minimum = 50)
    {
        _pairs.Clear();
        Exact(contacts, c => c.Email, DuplicateRules.Email, (_, _) => EmailConfidence, k => $"Same email ({k})");
        Exact(contacts, c => c.LinkedIn, DuplicateRules.LinkedIn, (_, _) => LinkedInConfidence, k => $"Same LinkedIn profile ({k})");
        Exact(contacts, c => c.AccountId is { } a && c.Name.Length > 0 ? $"{a}|{c.Name}" : null, DuplicateRules.NameAtAccount, (_, _) => NameAtAccountConfidence,
            k => $"Same name at the same account ({k[(k.IndexOf('|') + 1)..]})");
        Exact(contacts, c => c.Phone, DuplicateRules.Phone, (a, b) => PhoneAndName(a, b) ? PhoneAndNameConfidence : PhoneConfidence,
            k => $"Same phone ({k})");
        FuzzyNames(contacts);
        return Result(minimum);
    }

    public IReadOnlyList<DuplicatePair> Accounts(IReadOnlyList<AccountKey> accounts, int minimum = 50)
    {
        _pairs.Clear();
        Exact(accounts, a => a.Domain, DuplicateRules.Domain, (_, _) => 100, k => $"Same domain ({k})");
        Exact(accounts, a => a.Name, DuplicateRules.CompanyName,
            (a, b) => a.Domain is not null && b.Domain is not null && a.Domain != b.Domain ? CompanyNameOtherDomainsConfidence : CompanyNameConfidence,
            k => $"Same company name ({k})");
        return Result(minimum);
    }

    /// <summary>
    /// One record (being created, or on its page) against candidates found for it: the same rules, so a warning
    /// and the scan always agree.
    /// </summary>
    public IReadOnlyList<DuplicatePair> ContactAgainst(ContactKey probe, IEnumerable<ContactKey> candidates, int minimum = 50)
    {
        var list = candidates.Where(c => c.Id != probe.Id).Prepend(probe).ToList();
        return Contacts(list, minimum).Where(p => p.A == probe.Id || p.B == probe.Id).ToList();
    }

    /// <summary>
    /// A shared phone counts as a match when something else agrees: the same account, the same last name, or names
    /// close enough to be one person's (a nickname, a typo).
    /// </summary>
    private static bool PhoneAndName(ContactKey a, ContactKey b)
    {
        if (a.AccountId is { } x && x == b.AccountId) return true;
        if (a.Name.Length == 0 || b.Name.Length == 0) return false;
        var (lastA, lastB) = (a.Name[(a.Name.LastIndexOf(' ') + 1)..], b.Name[(b.Name.LastIndexOf(' ') + 1)..]);
        return lastA.Length > 1 && lastA == lastB || JaroWinkler.Similarity(a.Name, b.Name) >= 0.9;
    }

    private void Exact<T>(IReadOnlyList<T> records, Func<T, string?> key, string rule, Func<T, T, int> confidence, Func<string, string> reason)
        where T : struct
    {
        var groups = new Dictionary<string, List<T>>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (key(record) is not { Length: > 0 } k) continue;
            if (!groups.TryGetValue(k, out var members)) groups[k] = members = new List<T>(2);
            members.Add(record);
        }
        foreach (var (k, members) in groups)
        {
            if (members.Count < 2 || members.Count > MaxGroup) continue;
            for (var i = 0; i < members.Count; i++)
                for (var j = i + 1; j < members.Count; j++)
                {
                    PairsCompared++;
                    Add(IdOf(members[i]), IdOf(members[j]), confidence(members[i], members[j]), reason(k), rule, k);
                }
        }
    }

    private static long IdOf<T>(T record) => record switch
    {
        ContactKey c => c.Id,
        AccountKey a => a.Id,
        _ => throw new ArgumentOutOfRangeException(nameof(record)),
    };

    private void FuzzyNames(IReadOnlyList<ContactKey> contacts)
    {
        foreach (var block in contacts.Where(c => c.AccountId is not null && c.Name.Length > 0).GroupBy(c => c.AccountId!.Value))
        {
            var members = block.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
            if (members.Count < 2) continue;
            if (members.Count <= FuzzyBlock)
            {
                CompareWithin(members, members.Count);
                continue;
            }
            // A big account: each name against its neighbours in name order, then in reversed-name order — one typo
            // cannot sit both near the start and near the end of a name, so one of the two orders keeps the pair close.
            CompareWithin(members, Neighbours);
            CompareWithin(members.OrderBy(c => Reversed(c.Name), StringComparer.Ordinal).ToList(), Neighbours);
        }
    }

    private void CompareWithin(List<ContactKey> members, int window)
    {
        for (var i = 0; i < members.Count; i++)
            for (var j = i + 1; j < Math.Min(members.Count, i + window); j++)
            {
                PairsCompared++;
                var (a, b) = (members[i], members[j]);
                if (a.Name == b.Name) continue; // the exact rule has them
                if (OneTypoApart(a.Name, b.Name) && !EachEmailSpellsItsOwnName(a, b))
                {
                    Add(a.Id, b.Id, SimilarNameAtAccountConfidence, $"Nearly the same name at the same account ({a.Name} / {b.Name})",
                        DuplicateRules.SimilarNameAtAccount, AccountKeyOf(a));
                    continue;
                }
                if (JaroWinkler.Similarity(a.Name, b.Name) >= 0.90)
                    Add(a.Id, b.Id, CloseNameAtAccountConfidence, $"Similar names at the same account ({a.Name} / {b.Name})",
                        DuplicateRules.SimilarNameAtAccount, AccountKeyOf(a));
            }
    }

    /// <summary>
    /// "christine.peldor@acme" and "christine.zeldor@acme": each address spells its own version of the name, so both
    /// spellings are deliberate — two people. A mistyped record's address usually spells the name right, or not at all.
    /// </summary>
    private static bool EachEmailSpellsItsOwnName(ContactKey a, ContactKey b)
    {
        if (a.Email is null || b.Email is null) return false;
        var (x, y) = (a.Name.Split(' '), b.Name.Split(' '));
        if (x.Length != y.Length) return false;
        var localA = a.Email.AsSpan(0, a.Email.IndexOf('@'));
        var localB = b.Email.AsSpan(0, b.Email.IndexOf('@'));
        for (var i = 0; i < x.Length; i++)
        {
            if (x[i] == y[i]) continue;
            if (x[i].Length < 3 || y[i].Length < 3) return false;
            // "elman" / "zelman": an address spelling the longer word contains the shorter one too, and still spells its own.
            var (mine, theirs) = (x[i], y[i]);
            return localA.Contains(mine, StringComparison.Ordinal) && (!localA.Contains(theirs, StringComparison.Ordinal) || mine.Contains(theirs, StringComparison.Ordinal))
                && localB.Contains(theirs, StringComparison.Ordinal) && (!localB.Contains(mine, StringComparison.Ordinal) || theirs.Contains(mine, StringComparison.Ordinal));
        }
        return false;
    }

    private static string Reversed(string name) => string.Create(name.Length, name, (span, source) =>
    {
        source.AsSpan().CopyTo(span);
        span.Reverse();
    });

    /// <summary>
    /// One letter added, dropped, changed or two swapped — with both names long enough for that to be a typo, and not
    /// two real given names ("maria" / "mario"): those are two people.
    /// </summary>
    private static bool OneTypoApart(string a, string b) => Math.Min(a.Length, b.Length) >= 8 && Edits.AtMostOne(a, b) && !GivenNames.DifferInGivenName(a, b);

    private static string AccountKeyOf(ContactKey contact) => contact.AccountId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Records a reason for a pair; the strongest rule names the pair's group (the first one found on a tie).</summary>
    private void Add(long a, long b, int confidence, string reason, string rule, string key)
    {
        var pair = a < b ? (a, b) : (b, a);
        if (!_pairs.TryGetValue(pair, out var found)) _pairs[pair] = found = new Found(confidence, rule, key);
        else if (confidence > found.Confidence) (found.Confidence, found.Rule, found.Key) = (confidence, rule, key);
        if (!found.Reasons.Contains(reason)) found.Reasons.Add(reason);
    }

    private List<DuplicatePair> Result(int minimum) =>
        _pairs.Where(p => p.Value.Confidence >= minimum)
            .Select(p => new DuplicatePair(p.Key.Item1, p.Key.Item2, p.Value.Confidence, p.Value.Reasons, p.Value.Rule, p.Value.Key))
            .OrderByDescending(p => p.Confidence).ThenBy(p => p.A).ThenBy(p => p.B)
            .ToList();
}

/// <summary>Jaro-Winkler similarity (0–1): typos near the end cost less than at the start, where names differ most.</summary>
public static class JaroWinkler
{
    public static double Similarity(string a, string b)
    {
        if (a == b) return 1;
        if (a.Length == 0 || b.Length == 0) return 0;
        var range = Math.Max(0, Math.Max(a.Length, b.Length) / 2 - 1);
        Span<bool> aMatched = a.Length <= 128 ? stackalloc bool[a.Length] : new bool[a.Length];
        Span<bool> bMatched = b.Length <= 128 ? stackalloc bool[b.Length] : new bool[b.Length];
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var start = Math.Max(0, i - range);
            var end = Math.Min(b.Length - 1, i + range);
            for (var j = start; j <= end; j++)
            {
                if (bMatched[j] || a[i] != b[j]) continue;
                aMatched[i] = bMatched[j] = true;
                matches++;
                break;
            }
        }
        if (matches == 0) return 0;
        var transpositions = 0;
        for (int i = 0, k = 0; i < a.Length; i++)
        {
            if (!aMatched[i]) continue;
            while (!bMatched[k]) k++;
            if (a[i] != b[k]) transpositions++;
            k++;
        }
        var m = (double)matches;
        var jaro = (m / a.Length + m / b.Length + (m - transpositions / 2.0) / m) / 3;
        var prefix = 0;
        while (prefix < Math.Min(4, Math.Min(a.Length, b.Length)) && a[prefix] == b[prefix]) prefix++;
        return jaro + prefix * 0.1 * (1 - jaro);
    }
}

public static class Edits
{
    /// <summary>True when the strings are equal or one insertion, deletion, substitution or adjacent swap apart.</summary>
    public static bool AtMostOne(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 1) return false;
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        if (i == a.Length && i == b.Length) return true;
        if (a.Length == b.Length)
        {
            // Substitution, or two neighbours swapped.
            if (a.AsSpan(i + 1).SequenceEqual(b.AsSpan(i + 1))) return true;
            return i + 1 < a.Length && a[i] == b[i + 1] && a[i + 1] == b[i] && a.AsSpan(i + 2).SequenceEqual(b.AsSpan(i + 2));
        }
        return a.Length > b.Length ? a.AsSpan(i + 1).SequenceEqual(b.AsSpan(i)) : a.AsSpan(i).SequenceEqual(b.AsSpan(i + 1));
    }
}
