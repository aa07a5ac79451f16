using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Duplicates;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Benchmarks;

/// <summary>
/// `dedup --rows N`: N contacts, about 5% of them planted duplicates of another contact, of known kinds — the same
/// email in other case, accents added or dropped, a one-letter typo, the same phone written differently, the same
/// LinkedIn profile from another URL, the same person at the same account with another email — among distinct
/// look-alikes that must not match (namesakes at other companies, colleagues with nearly the same short name, a
/// switchboard number many colleagues share, short names one letter apart). The workspace scan runs in a child
/// process (so the peak working set is its own); precision and recall are computed on the queue it filled.
/// </summary>
public static class DedupBenchmark
{
    private enum Kind { Case, Accents, Typo, Phone, LinkedIn, NewEmail }

    private sealed class Person
    {
        public long Id;
        public string First = "";
        public string Last = "";
        public string? Email;
        public string? Phone;
        public string? LinkedIn;
        public long? AccountId;
        public int PhoneStyle;
    }

    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        var directory = options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "crm-bench-dedup-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            var truthFile = Path.Combine(directory, "dedup-truth.tsv");
            long workspaceId;
            if (File.Exists(Path.Combine(directory, "crm.db")) && File.Exists(truthFile))
            {
                workspaceId = await WorkspaceAsync(directory);
                Console.WriteLine($"reusing the database in {directory}");
            }
            else
            {
                await using var host = await BenchmarkHost.StartAsync(directory, keep: true);
                workspaceId = await SeedAsync(host, options.Rows, truthFile);
            }
            SqliteConnection.ClearAllPools();
            if (options.PrepareOnly) return 0;

            var child = await RunChildAsync(directory, workspaceId);
            var quality = await QualityAsync(directory, truthFile);
            var result = new Dictionary<string, object>(child);
            foreach (var (key, value) in quality) result[key] = value;
            result["targets"] = "seconds <= 60, peak_working_set_mb <= 1024, precision >= 0.98, recall >= 0.95";
            Console.WriteLine(JsonSerializer.Serialize(result));
            return 0;
        }
        finally
        {
            if (options.WorkDirectory is null && !options.PrepareOnly) try { Directory.Delete(directory, true); } catch (IOException) { }
        }
    }

    private static async Task<long> WorkspaceAsync(string directory)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "crm.db")}");
        await connection.OpenAsync();
        await using var command = new SqliteCommand("SELECT \"Id\" FROM \"Workspaces\" ORDER BY \"Id\" LIMIT 1", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    // ---- The people -------------------------------------------------------------------------------------------

    private static readonly string[] FirstNames =
    [
        "James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "William", "Linda", "David", "Elizabeth", "Richard", "Barbara", "Joseph", "Susan",
        "Thomas", "Jessica", "Christopher", "Sarah", "Charles", "Karen", "Daniel", "Margaret", "Matthew", "Nancy", "Anthony", "Lisa", "Mark", "Betty",
        "Donald", "Sandra", "Steven", "Ashley", "Andrew", "Kimberly", "Kenneth", "Emily", "Joshua", "Donna", "Kevin", "Michelle", "Brian", "Carol",
        "George", "Amanda", "Timothy", "Melissa", "Ronald", "Deborah", "Jason", "Stephanie", "Edward", "Rebecca", "Jeffrey", "Sharon", "Ryan", "Laura",
        "Jacob", "Cynthia", "Gary", "Dorothy", "Nicholas", "Amy", "Eric", "Kathleen", "Jonathan", "Angela", "Stephen", "Shirley", "Larry", "Brenda",
        "Justin", "Emma", "Scott", "Anna", "Brandon", "Pamela", "Benjamin", "Nicole", "Samuel", "Samantha", "Gregory", "Katherine", "Alexander", "Christine",
        "Frank", "Debra", "Patrick", "Rachel", "Raymond", "Carolyn", "Jack", "Janet", "Dennis", "Maria", "Jerry", "Olivia", "Tyler", "Heather",
        "Zoë", "José", "Renée", "Søren", "Łukasz", "François", "Chloé", "Björn", "Inés", "Jürgen", "Agnès", "Zoltán", "Małgorzata", "Åsa", "Gaëlle",
        "Noémie", "Héloïse", "Siobhán", "Mónica", "Ramón", "Dagný", "Jiří", "Ségolène", "Thérèse", "Bénédicte", "Øystein", "Ángel", "Sébastien",
        "Hiroshi", "Yuki", "Wei", "Priya", "Arjun", "Aisha", "Omar", "Fatima", "Mateo", "Valentina", "Lukas", "Mia", "Elif", "Mehmet", "Ngozi", "Chidi",
        "Ingrid", "Lars", "Freya", "Astrid", "Dmitri", "Olga", "Svetlana", "Ivan", "Paolo", "Giulia", "Lorenzo", "Chiara", "Pieter", "Anouk", "Joost",
    ];

    private static readonly string[] Syllables =
    [
        "an", "ber", "cal", "dor", "el", "fen", "gar", "hol", "ing", "jas", "kov", "lin", "mar", "nor", "ost", "pel", "quin", "ros", "sten", "tor",
        "ul", "ven", "wick", "xan", "yar", "zel", "brook", "field", "man", "son", "berg", "ski", "ez", "elli", "ova", "sen", "ham", "ley", "ton", "ard",
    ];

    private static readonly string[] AccentedLastNames =
    [
        "Müller", "Gómez", "Lefèvre", "Sørensen", "Wójcik", "Nuñez", "Dvořák", "Öztürk", "Björklund", "Ferrández", "Håkansson", "Élise", "Château",
        "Łęcki", "Fernández", "Pérez", "Jiménez", "Kovács", "Şahin", "Zieliński", "Mårtensson", "Grünewald", "Bézier", "Nguyễn", "Brontë",
    ];

    /// <summary>Nicknames a duplicate might carry instead of the formal first name.</summary>
    private static readonly Dictionary<string, string> Nicknames = new()
    {
        ["Robert"] = "Bob", ["William"] = "Bill", ["Richard"] = "Dick", ["Elizabeth"] = "Liz", ["Margaret"] = "Peggy", ["Katherine"] = "Kate",
        ["Christopher"] = "Chris", ["Jennifer"] = "Jen", ["Michael"] = "Mike", ["Alexander"] = "Alex", ["Nicholas"] = "Nick", ["Jonathan"] = "Jon",
    };

    private static string Surname(Random random)
    {
        if (random.Next(12) == 0) return AccentedLastNames[random.Next(AccentedLastNames.Length)];
        var builder = new StringBuilder();
        var parts = 2 + random.Next(2);
        for (var i = 0; i < parts; i++) builder.Append(Syllables[random.Next(Syllables.Length)]);
        builder[0] = char.ToUpperInvariant(builder[0]);
        return builder.ToString();
    }

    private static string Slug(string text) => DuplicateKeys.Fold(text).Replace(" ", "", StringComparison.Ordinal);

    /// <summary>A US number written the way people write it, in one of several formats; the same number underneath.</summary>
    private static string Phone(long n, int style) => style switch
    {
        0 => $"+1{n}",
        1 => $"({n / 10_000_000 % 1000:D3}) {n / 10_000 % 1000:D3}-{n % 10_000:D4}",
        2 => $"{n / 10_000_000 % 1000:D3}.{n / 10_000 % 1000:D3}.{n % 10_000:D4}",
        3 => $"+1 {n / 10_000_000 % 1000:D3} {n / 10_000 % 1000:D3} {n % 10_000:D4}",
        _ => $"1-{n / 10_000_000 % 1000:D3}-{n / 10_000 % 1000:D3}-{n % 10_000:D4}",
    };

    private static readonly string Vowels = "aeiou";
    private static readonly Dictionary<char, char> Accents = new() { ['a'] = 'á', ['e'] = 'é', ['i'] = 'í', ['o'] = 'ö', ['u'] = 'ü' };

    /// <summary>The same name with its accents dropped, or — if it has none — with one added.</summary>
    private static string? Reaccent(string name, Random random)
    {
        var stripped = new string(name.Normalize(NormalizationForm.FormD).Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).ToArray()).Normalize();
        if (stripped != name) return stripped;
        var positions = Enumerable.Range(0, name.Length).Where(i => Vowels.Contains(name[i])).ToList();
        if (positions.Count == 0) return null;
        var at = positions[random.Next(positions.Count)];
        return name[..at] + Accents[name[at]] + name[(at + 1)..];
    }

    /// <summary>One letter changed, dropped, added, or two neighbours swapped.</summary>
    private static string Typo(string name, Random random)
    {
        for (var attempt = 0; ; attempt++)
        {
            var at = 1 + random.Next(Math.Max(1, name.Length - 1));
            var letter = (char)('a' + random.Next(26));
            var result = random.Next(4) switch
            {
                0 when at < name.Length => name[..at] + letter + name[(at + 1)..],
                1 when name.Length > 3 && at < name.Length => name[..at] + name[(at + 1)..],
                2 => name[..at] + letter + name[at..],
                _ when at + 1 < name.Length => name[..at] + name[at + 1] + name[at] + name[(at + 2)..],
                _ => name + letter,
            };
            if (DuplicateKeys.Fold(result) != DuplicateKeys.Fold(name) || attempt > 20) return result;
        }
    }

    private static async Task<long> SeedAsync(BenchmarkHost host, int rows, string truthFile)
    {
        var clock = Stopwatch.StartNew();
        var (workspaceId, adminId) = await host.CreateWorkspaceAsync();
        var random = new Random(20261126);

        // Accounts: most have a few to forty people; a few enterprises have thousands (compared by sorted neighbourhood).
        var accountCount = Math.Max(10, rows / 20);
        var accountNames = new List<(string Name, string Domain)>(accountCount);
        var sizes = new int[accountCount];
        for (var i = 0; i < accountCount; i++)
        {
            var name = $"{Surname(random)} {(i % 3 == 0 ? "Labs" : i % 3 == 1 ? "Systems" : "Group")} {i}";
            accountNames.Add((name, $"{Slug(name)}.example"));
            sizes[i] = i < 20 ? 2_000 + random.Next(3_000) : 1 + random.Next(36);
        }

        var people = new List<Person>(rows);
        var namesAtAccount = new HashSet<(long, string)>();
        long nextPhone = 2_125_550_000;
        Person NewPerson(long? account)
        {
            for (var attempt = 0; ; attempt++)
            {
                var first = FirstNames[random.Next(FirstNames.Length)];
                var last = Surname(random);
                // Two different people with the same name at the same company are left out: that is what a duplicate looks like.
                if (account is { } a && !namesAtAccount.Add((a, DuplicateKeys.Name(first, last))) && attempt < 50) continue;
                var id = people.Count + 1;
                var p = new Person { Id = id, First = first, Last = last, AccountId = account, Email = $"{Slug(first)}.{Slug(last)}{id}@{(account is { } x ? accountNames[(int)x - 1].Domain : "mail.example")}" };
                if (random.Next(10) < 7)
                {
                    var n = nextPhone += 1 + random.Next(50);
                    p.PhoneStyle = random.Next(5);
                    p.Phone = Phone(n, p.PhoneStyle);
                }
                if (random.Next(5) == 0) p.LinkedIn = $"https://www.linkedin.com/in/{Slug(first)}-{Slug(last)}-{id:x}";
                people.Add(p);
                return p;
            }
        }

        // Look-alikes that must not match, recorded to report how many slipped through.
        var lookAlikes = new List<(long, long, string)>();
        var switchboards = Math.Max(1, rows / 5_000);
        for (var s = 0; s < switchboards; s++)
        {
            // A switchboard number thirty colleagues give as theirs: not an identity.
            var account = 21 + s;
            var n = nextPhone += 100;
            var members = new List<long>();
            for (var k = 0; k < 30; k++)
            {
                var p = NewPerson(account);
                (p.Phone, p.PhoneStyle) = (Phone(n, k % 5), k % 5);
                members.Add(p.Id);
            }
            for (var k = 1; k < members.Count; k++) lookAlikes.Add((members[0], members[k], "switchboard"));
        }
        var shortPairs = Math.Max(1, rows / 200);
        string[] shortFirst = ["Ann", "Anna", "Jon", "Jan", "Eva", "Ava", "Max", "Mia", "Leo", "Lea", "Ian", "Ivan", "Tom", "Tim", "Ada", "Ida"];
        string[] shortLast = ["Lee", "Li", "Ng", "Wu", "Kim", "Ito", "Roy", "Cho", "Lin", "Park"];
        for (var s = 0; s < shortPairs; s++)
        {
            // Colleagues whose short names are one letter apart: similar (70, a "possible duplicate"), not queued.
            var account = 21 + random.Next(accountCount - 21);
            var pick = random.Next(shortFirst.Length / 2) * 2;
            var last = shortLast[random.Next(shortLast.Length)];
            if (!namesAtAccount.Add((account, DuplicateKeys.Name(shortFirst[pick], last))) | !namesAtAccount.Add((account, DuplicateKeys.Name(shortFirst[pick + 1], last)))) continue;
            var a = NewPerson(account);
            (a.First, a.Last) = (shortFirst[pick], last);
            var b = NewPerson(account);
            (b.First, b.Last) = (shortFirst[pick + 1], last);
            lookAlikes.Add((a.Id, b.Id, "similar short names"));
        }

        // The originals: everyone else but the planted copies and namesakes, spread over the accounts (10% with none).
        var copies = rows / 20;
        var namesakes = rows / 50;
        var originalsWanted = rows - copies - namesakes - people.Count;
        var slots = new List<long?>();
        for (var i = 0; i < accountCount && slots.Count < originalsWanted; i++)
            for (var k = 0; k < sizes[i] && slots.Count < originalsWanted; k++) slots.Add(i + 1);
        while (slots.Count < originalsWanted) slots.Add(random.Next(10) == 0 ? null : 21 + random.Next(accountCount - 21));
        for (var i = 0; i < originalsWanted; i++)
        {
            var j = random.Next(i, slots.Count);
            (slots[i], slots[j]) = (slots[j], slots[i]);
            NewPerson(slots[i]);
        }
        var lookAlikeIds = lookAlikes.SelectMany(l => new[] { l.Item1, l.Item2 }).ToHashSet();

        // Namesakes: the same name at another company (different email, phone, profile).
        for (var s = 0; s < namesakes; s++)
        {
            var of = people[random.Next(people.Count)];
            var account = (long)(21 + random.Next(accountCount - 21));
            if (account == of.AccountId || !namesAtAccount.Add((account, DuplicateKeys.Name(of.First, of.Last)))) { s--; continue; }
            var p = NewPerson(account);
            (p.First, p.Last) = (of.First, of.Last);
            lookAlikes.Add((of.Id, p.Id, "namesake at another company"));
        }

        // The planted duplicates: each of a different original, of one known kind.
        var truth = new List<(long Original, long Copy, Kind Kind)>(copies);
        var taken = new HashSet<long>(lookAlikeIds);
        var kinds = Enum.GetValues<Kind>();
        var before = people.Count;
        while (truth.Count < copies)
        {
            // Copies of the people generated so far (never of a copy: its truth would be the original's).
            var of = people[random.Next(before)];
            var kind = kinds[truth.Count % kinds.Length];
            if (!taken.Add(of.Id)) continue;
            var fit = kind switch
            {
                Kind.Accents or Kind.Typo or Kind.NewEmail => of.AccountId is not null,
                Kind.Phone => of.Phone is not null,
                Kind.LinkedIn => of.LinkedIn is not null,
                _ => of.Email is not null,
            };
            if (!fit) { taken.Remove(of.Id); continue; }
            var id = people.Count + 1;
            var copy = new Person { Id = id, First = of.First, Last = of.Last };
            var personal = $"{Slug(of.First)[..1]}{Slug(of.Last)}.{id}@inbox.example";
            switch (kind)
            {
                case Kind.Case:
                    // The same address as another system wrote it, the name in capitals, no company.
                    (copy.Email, copy.First, copy.Last) = (of.Email!.ToUpperInvariant(), of.First.ToUpperInvariant(), of.Last.ToUpperInvariant());
                    break;
                case Kind.Accents:
                    var first = Reaccent(of.First, random);
                    var last = Reaccent(of.Last, random);
                    if (first is null && last is null) { taken.Remove(of.Id); continue; }
                    (copy.First, copy.Last) = random.Next(2) == 0 && first is not null || last is null ? (first!, of.Last) : (of.First, last);
                    (copy.Email, copy.AccountId) = (personal, of.AccountId);
                    break;
                case Kind.Typo:
                    if (random.Next(2) == 0) copy.First = Typo(of.First, random);
                    else copy.Last = Typo(of.Last, random);
                    (copy.Email, copy.AccountId) = (personal, of.AccountId);
                    break;
                case Kind.Phone:
                    // The same number in another format, a nickname, a personal address, no company.
                    var digits = new string(of.Phone!.Where(char.IsDigit).ToArray());
                    var n = long.Parse(digits.Length == 11 ? digits[1..] : digits, CultureInfo.InvariantCulture);
                    copy.Phone = Phone(n, (of.PhoneStyle + random.Next(1, 5)) % 5);
                    copy.First = Nicknames.GetValueOrDefault(of.First) ?? of.First[..1] + ".";
                    copy.Email = personal;
                    break;
                case Kind.LinkedIn:
                    copy.LinkedIn = "http://uk.linkedin.com/in/" + of.LinkedIn![(of.LinkedIn!.LastIndexOf('/') + 1)..].ToUpperInvariant() + "/?trk=profile";
                    copy.First = Nicknames.GetValueOrDefault(of.First) ?? of.First[..1] + ".";
                    copy.Email = personal;
                    break;
                case Kind.NewEmail:
                    (copy.Email, copy.AccountId) = (personal, of.AccountId);
                    break;
            }
            people.Add(copy);
            truth.Add((of.Id, copy.Id, kind));
        }
        Console.WriteLine($"generated {people.Count:N0} contacts ({truth.Count:N0} planted duplicates, {lookAlikes.Count:N0} look-alike pairs) in {clock.Elapsed.TotalSeconds:F1} s");

        await using (var writer = new StreamWriter(truthFile))
        {
            foreach (var (a, b, kind) in truth) await writer.WriteLineAsync($"dup\t{Math.Min(a, b)}\t{Math.Max(a, b)}\t{kind}");
            foreach (var (a, b, kind) in lookAlikes) await writer.WriteLineAsync($"not\t{Math.Min(a, b)}\t{Math.Max(a, b)}\t{kind}");
        }

        await using var connection = await host.OpenSeedingConnectionAsync();
        var now = BenchmarkHost.StoredNow();
        await using (var transaction = connection.BeginTransaction())
        {
            await using var insert = new SqliteCommand("""
                INSERT INTO "Accounts" ("Id", "WorkspaceId", "Name", "Domain", "Version", "CreatedSource", "CreatedByUserId", "CreatedAt", "UpdatedAt")
                VALUES ($id, $ws, $name, $domain, 0, 1, $user, $now, $now)
                """, connection, transaction);
            var id = insert.Parameters.Add("$id", SqliteType.Integer);
            var name = insert.Parameters.Add("$name", SqliteType.Text);
            var domain = insert.Parameters.Add("$domain", SqliteType.Text);
            insert.Parameters.AddWithValue("$ws", workspaceId);
            insert.Parameters.AddWithValue("$user", adminId);
            insert.Parameters.AddWithValue("$now", now);
            for (var i = 0; i < accountNames.Count; i++)
            {
                (id.Value, name.Value, domain.Value) = (i + 1, accountNames[i].Name, accountNames[i].Domain);
                await insert.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
        }
        const int batch = 50_000;
        for (var start = 0; start < people.Count; start += batch)
        {
            await using var transaction = connection.BeginTransaction();
            await using var insert = new SqliteCommand("""
                INSERT INTO "Contacts" ("Id", "WorkspaceId", "FirstName", "LastName", "Email", "Phone", "LinkedInUrl", "AccountId",
                    "AdditionalEmails", "Lifecycle", "CustomFields", "Version", "CreatedSource", "CreatedByUserId", "CreatedAt", "UpdatedAt")
                VALUES ($id, $ws, $first, $last, $email, $phone, $linkedin, $account, '[]', 0, '{}', 0, 1, $user, $now, $now)
                """, connection, transaction);
            var id = insert.Parameters.Add("$id", SqliteType.Integer);
            var first = insert.Parameters.Add("$first", SqliteType.Text);
            var last = insert.Parameters.Add("$last", SqliteType.Text);
            var email = insert.Parameters.Add("$email", SqliteType.Text);
            var phone = insert.Parameters.Add("$phone", SqliteType.Text);
            var linkedin = insert.Parameters.Add("$linkedin", SqliteType.Text);
            var account = insert.Parameters.Add("$account", SqliteType.Integer);
            insert.Parameters.AddWithValue("$ws", workspaceId);
            insert.Parameters.AddWithValue("$user", adminId);
            insert.Parameters.AddWithValue("$now", now);
            insert.Prepare();
            for (var i = start; i < Math.Min(people.Count, start + batch); i++)
            {
                var p = people[i];
                id.Value = p.Id;
                first.Value = p.First;
                last.Value = p.Last;
                email.Value = (object?)p.Email ?? DBNull.Value;
                phone.Value = (object?)p.Phone ?? DBNull.Value;
                linkedin.Value = (object?)p.LinkedIn ?? DBNull.Value;
                account.Value = (object?)p.AccountId ?? DBNull.Value;
                await insert.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
        }
        await using (var analyze = new SqliteCommand("ANALYZE;", connection)) await analyze.ExecuteNonQueryAsync();
        Console.WriteLine($"seeded {people.Count:N0} contacts and {accountNames.Count:N0} accounts in {clock.Elapsed.TotalSeconds:F1} s");
        return workspaceId;
    }

    // ---- The scan, alone in a child process --------------------------------------------------------------------

    private static Task<Dictionary<string, object>> RunChildAsync(string directory, long workspaceId)
    {
        return ChildProcess.RunAsync("scan", "dedup-child", "--dir", directory, "--workspace", workspaceId.ToString(CultureInfo.InvariantCulture));
    }

    public static async Task<int> ChildAsync(string[] args)
    {
        string Value(string name) => ChildProcess.Argument(args, name);
        var directory = Value("--dir");
        var workspaceId = long.Parse(Value("--workspace"), CultureInfo.InvariantCulture);
        await using var host = await BenchmarkHost.StartAsync(directory, keep: true);
        // A rerun starts from an empty queue, as the first nightly scan would.
        await using (var connection = new SqliteConnection(host.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var clear = new SqliteCommand("DELETE FROM \"DuplicateCandidates\"", connection);
            await clear.ExecuteNonQueryAsync();
        }
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var before = self.PeakWorkingSet64;

        var clock = Stopwatch.StartNew();
        var result = await host.RunScopedAsync(services => services.GetRequiredService<DuplicateScanner>().RunAsync(CancellationToken.None),
            Actor.System(workspaceId, ChangeSource.System, "duplicate-scan"));
        var seconds = clock.Elapsed.TotalSeconds;
        self.Refresh();
        Console.WriteLine($"scan: {result.ContactPairs:N0} contact pairs and {result.AccountPairs:N0} account pairs queued, {result.PairsCompared:N0} pairs compared");
        Console.WriteLine($"gc: {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} collections, paused {GC.GetTotalPauseDuration().TotalSeconds:F2} s, allocated {GC.GetTotalAllocatedBytes() / 1048576:N0} MB; peak before the scan {before / 1048576:N0} MB");
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["benchmark"] = "dedup",
            ["seconds"] = Math.Round(seconds, 2),
            ["peak_working_set_mb"] = Math.Round(self.PeakWorkingSet64 / 1048576.0),
            ["pairs_compared"] = result.PairsCompared,
            ["pairs_found"] = result.ContactPairs,
        }));
        return 0;
    }

    // ---- Precision and recall on the planted truth --------------------------------------------------------------

    private static async Task<Dictionary<string, object>> QualityAsync(string directory, string truthFile)
    {
        var planted = new Dictionary<(long, long), string>();
        var lookAlikes = new Dictionary<(long, long), string>();
        foreach (var line in await File.ReadAllLinesAsync(truthFile))
        {
            var parts = line.Split('\t');
            var key = (long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
            (parts[0] == "dup" ? planted : lookAlikes)[key] = parts[3];
        }
        var found = new List<(long, long, int, string)>();
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "crm.db")}"))
        {
            await connection.OpenAsync();
            await using var command = new SqliteCommand("SELECT \"RecordAId\", \"RecordBId\", \"Confidence\", \"Reasons\" FROM \"DuplicateCandidates\" WHERE \"RecordType\" = 1", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) found.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetString(3)));
        }
        var truePositives = found.Count(f => planted.ContainsKey((f.Item1, f.Item2)));
        var precision = found.Count == 0 ? 0 : (double)truePositives / found.Count;
        var recall = (double)truePositives / planted.Count;
        var foundSet = found.Select(f => (f.Item1, f.Item2)).ToHashSet();
        Console.WriteLine($"planted {planted.Count:N0} duplicates; the queue holds {found.Count:N0} contact pairs, {truePositives:N0} of them planted");
        foreach (var group in planted.GroupBy(p => p.Value))
            Console.WriteLine($"  recall {group.Key,-9} {group.Count(p => foundSet.Contains(p.Key)),7:N0} / {group.Count(),7:N0}");
        foreach (var group in lookAlikes.GroupBy(p => p.Value))
            Console.WriteLine($"  look-alikes matched, {group.Key,-28} {group.Count(p => foundSet.Contains(p.Key)),5:N0} / {group.Count(),7:N0}");
        foreach (var miss in planted.Where(p => !foundSet.Contains(p.Key)).Take(5))
            Console.WriteLine($"  missed: {miss.Key.Item1} / {miss.Key.Item2} ({miss.Value})");
        foreach (var wrong in found.Where(f => !planted.ContainsKey((f.Item1, f.Item2))).Take(5))
            Console.WriteLine($"  not planted: {wrong.Item1} / {wrong.Item2} ({wrong.Item3}: {wrong.Item4})");
        return new Dictionary<string, object>
        {
            ["planted"] = planted.Count,
            ["true_positives"] = truePositives,
            ["precision"] = Math.Round(precision, 4),
            ["recall"] = Math.Round(recall, 4),
            ["look_alikes_matched"] = lookAlikes.Keys.Count(foundSet.Contains),
        };
    }
}
