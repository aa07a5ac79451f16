using System.Globalization;
using System.Text;

namespace Crm.Benchmarks;

/// <summary>
/// A HubSpot-like contacts export: 20 columns, accents, CJK and emoji, quoted commas and line breaks, about 10% of
/// emails already in the CRM (with case and space changes) and about 2% invalid rows.
/// </summary>
public static class HubSpotExport
{
    public static readonly string[] Header =
    [
        "Record ID", "First Name", "Last Name", "Email", "Phone Number", "Company Name", "Job Title", "Lifecycle Stage", "Lead Status",
        "Contact owner", "Street Address", "City", "State/Region", "Postal Code", "Country/Region", "LinkedIn URL", "Original Source",
        "Original Source Drill-Down 1", "Create Date", "HubSpot Score",
    ];

    private static readonly string[] First = ["Ada", "Alan", "Grace", "Linus", "José", "Zoë", "Søren", "Amélie", "Björn", "Chloé", "Mateo", "Yuki", "Aisha", "Priya", "Олег", "美咲", "Noor", "Kwame"];
    private static readonly string[] Last = ["Lovelace", "Turing", "Hopper", "Torvalds", "García", "Müller", "Nowak", "Kierkegaard", "Dubois", "O'Brien", "Tanaka", "Okafor", "Patel", "Иванов", "佐藤", "Haddad"];
    private static readonly string[] Titles = ["CEO", "CTO", "Head of Sales", "VP, Marketing", "Engineer", "Operations \"Ops\" Lead", "CFO"];
    private static readonly string[] Stages = ["lead", "Marketing Qualified Lead", "Sales Qualified Lead", "opportunity", "customer", "Lead"];
    private static readonly string[] Sources = ["Organic Search", "Referrals", "Paid Search", "Direct Traffic", "Social Media", "Offline Sources"];
    private static readonly string[] Cities = ["London", "Berlin", "São Paulo", "Tokyo", "Lagos", "Kraków", "New York, NY"];

    /// <summary>The email of existing contact <paramref name="i"/> (also what the seeded CRM holds).</summary>
    public static string ExistingEmail(int i) => $"person{i}@existing.example";

    public static async Task WriteAsync(string path, int rows, int existing, int seed = 7)
    {
        var random = new Random(seed);
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(true), 1 << 20);
        await writer.WriteLineAsync(string.Join(',', Header.Select(Quote)));
        var line = new StringBuilder(512);
        for (var i = 0; i < rows; i++)
        {
            var roll = random.NextDouble();
            var matchesExisting = roll < 0.10 && existing > 0;
            var invalid = roll is >= 0.10 and < 0.12;
            var first = First[random.Next(First.Length)];
            var last = Last[random.Next(Last.Length)];
            var email = matchesExisting
                ? (random.Next(2) == 0 ? ExistingEmail(random.Next(existing)).ToUpperInvariant() : " " + ExistingEmail(random.Next(existing)) + " ")
                : invalid ? $"{first}.{last}.{i}-at-example.com" : $"contact{i}@import{i % 97}.example";
            string[] values =
            [
                (100_000 + i).ToString(CultureInfo.InvariantCulture), first, last, email,
                random.Next(3) == 0 ? $"+1 ({AreaCodes[random.Next(AreaCodes.Length)]}) {random.Next(200, 999)}-{random.Next(1000, 9999)}" : "",
                $"Company {random.Next(20_000)}", Titles[random.Next(Titles.Length)], Stages[random.Next(Stages.Length)],
                random.Next(2) == 0 ? "NEW" : "OPEN", "", $"{random.Next(1, 999)} Main Street\nSuite {random.Next(1, 50)}",
                Cities[random.Next(Cities.Length)], "", random.Next(10000, 99999).ToString(CultureInfo.InvariantCulture), "United States",
                random.Next(4) == 0 ? $"https://www.linkedin.com/in/{first.ToLowerInvariant()}-{i}" : "", Sources[random.Next(Sources.Length)],
                random.Next(5) == 0 ? "Campaign 🚀 " + random.Next(100) : "",
                $"2025-{random.Next(1, 13):D2}-{random.Next(1, 29):D2} 10:15", random.Next(0, 101).ToString(CultureInfo.InvariantCulture),
            ];
            line.Clear();
            for (var v = 0; v < values.Length; v++)
            {
                if (v > 0) line.Append(',');
                line.Append(Quote(values[v]));
            }
            await writer.WriteLineAsync(line);
        }
    }

    /// <summary>Area codes in use (a random 3-digit code is often none, and the import refuses numbers no one could dial).</summary>
    private static readonly int[] AreaCodes = [201, 202, 206, 212, 213, 214, 305, 310, 312, 404, 415, 512, 602, 617, 646, 702, 713, 718, 773, 808, 917];

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
