using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Deals;
using Crm.Core.Timeline;
using Crm.Core.Users;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Crm.Infrastructure.Seeding;

/// <summary>
/// A believable sample workspace: a rep beside the admin, companies with their people, a pipeline with deals, and a
/// few months of notes, tasks, calls, emails and meetings. Deterministic, so screenshots and tests see the same data.
/// </summary>
public sealed class DemoDataSeeder(CrmDatabase database, ILocalAccounts accounts, IOptions<DemoDataOptions> options, TimeProvider time)
{
    private static readonly string[] FirstNames =
    [
        "Ada", "Alan", "Grace", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Tim", "Radia", "Vint", "Hedy",
        "José", "Zoë", "Łukasz", "Søren", "Amélie", "Björn", "Chloé", "Mateo", "Yuki", "Aisha", "Priya", "Olu", "Ingrid",
        "Diego", "Fatima", "Hiroshi", "Noor", "Elena", "Kwame", "Sofia", "Liam", "Mei", "Rafael", "Anya", "Tariq", "Greta", "Jonas",
    ];

    private static readonly string[] LastNames =
    [
        "Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie", "Allen", "Berners-Lee",
        "Perlman", "Cerf", "Lamarr", "García", "Müller", "Nowak", "Kierkegaard", "Dubois", "Lindqvist", "Moreau", "Rossi",
        "Tanaka", "Okafor", "Patel", "Adeyemi", "Johansson", "Fernández", "Haddad", "Sato", "Khan", "Petrova", "Mensah",
        "Costa", "O'Brien", "Chen", "Silva", "Ivanova", "Aziz", "Nilsson", "Weber",
    ];

    private static readonly string[] CompanyWords =
    [
        "Northwind", "Contoso", "Fabrikam", "Tailspin", "Litware", "Adventure", "Proseware", "Woodgrove", "Lucerne", "Wingtip",
        "Alpine", "Blue Yonder", "Coho", "Fourth Coffee", "Margie's", "Trey", "Wide World", "Humongous", "Graphic", "Southridge",
    ];

    private static readonly string[] CompanySuffixes = ["Inc.", "Ltd", "GmbH", "Labs", "Group", "Systems", "Partners", "Co.", "AG", "SA"];
    private static readonly string[] Industries = ["Software", "Manufacturing", "Retail", "Healthcare", "Finance", "Education", "Logistics", "Energy", "Media", "Hospitality"];
    private static readonly (string City, string Country)[] Places =
    [
        ("London", "United Kingdom"), ("Berlin", "Germany"), ("Paris", "France"), ("Lisbon", "Portugal"), ("New York", "United States"),
        ("Austin", "United States"), ("Toronto", "Canada"), ("Tokyo", "Japan"), ("Lagos", "Nigeria"), ("São Paulo", "Brazil"),
        ("Stockholm", "Sweden"), ("Warsaw", "Poland"), ("Madrid", "Spain"), ("Bengaluru", "India"), ("Sydney", "Australia"),
    ];

    private static readonly string[] Titles = ["CEO", "CTO", "Head of Sales", "VP Marketing", "Procurement Manager", "Engineer", "Operations Lead", "CFO", "Product Manager", "Office Manager"];
    private static readonly string[] Sources = ["Organic search", "Referral", "Paid search", "Event", "Social media", "Direct traffic", "Email marketing", "Offline"];
    private static readonly string[] Tiers = ["A", "B", "C", "D"];

    public async Task SeedAsync(long workspaceId, long adminId, CancellationToken ct = default)
    {
        var settings = options.Value;
        var random = new Random(20261126);
        var now = time.GetUtcNow();
        await using var db = database.Create(Actor.System(workspaceId));

        var rep = new User { Name = "Riley Rep", Email = settings.RepEmail.Trim().ToLowerInvariant(), Role = UserRole.Rep, IsActive = true };
        db.CrmUsers.Add(rep);
        await db.SaveChangesAsync(ct);
        if (!string.IsNullOrEmpty(settings.RepPassword)) await accounts.SetPasswordAsync(rep, settings.RepPassword, ct: ct);
        long[] owners = [adminId, rep.Id];

        var accountRows = new List<Account>();
        var usedNames = new HashSet<string>();
        while (accountRows.Count < settings.Accounts)
        {
            var name = $"{Pick(random, CompanyWords)} {Pick(random, CompanySuffixes)}";
            if (!usedNames.Add(name)) name = $"{name} {accountRows.Count}";
            var place = Pick(random, Places);
            var slug = new string(name.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());
            accountRows.Add(new Account
            {
                Name = name, Domain = $"{slug}.example", Industry = Pick(random, Industries), City = place.City, Country = place.Country,
                Phone = $"+1 555 {random.Next(100, 999)} {random.Next(1000, 9999)}", OwnerId = Pick(random, owners),
            });
        }
        db.Accounts.AddRange(accountRows);

        var contactRows = new List<Contact>();
        var usedEmails = new HashSet<string>();
        for (var i = 0; i < settings.Contacts; i++)
        {
            var first = Pick(random, FirstNames);
            var last = Pick(random, LastNames);
            var account = random.NextDouble() < 0.9 ? Pick(random, accountRows) : null;
            var local = $"{Ascii(first)}.{Ascii(last)}";
            var email = $"{local}@{account?.Domain ?? "mail.example"}";
            for (var n = 2; !usedEmails.Add(email); n++) email = $"{local}{n}@{account?.Domain ?? "mail.example"}";
            contactRows.Add(new Contact
            {
                FirstName = first, LastName = last,
                Email = email,
                Phone = random.NextDouble() < 0.7 ? $"+44 20 {random.Next(1000, 9999)} {random.Next(1000, 9999)}" : null,
                JobTitle = Pick(random, Titles), Account = account, Lifecycle = (Lifecycle)random.Next(0, 5),
                LeadScore = random.Next(0, 101), ScoreTier = Pick(random, Tiers), OwnerId = Pick(random, owners),
                Source = Pick(random, Sources), City = account?.City, Country = account?.Country,
                LinkedInUrl = random.NextDouble() < 0.4 ? $"https://www.linkedin.com/in/{local}-{i}" : null,
            });
        }
        db.Contacts.AddRange(contactRows);
        await db.SaveChangesAsync(ct);

        var pipeline = await db.Pipelines.Include(p => p.Stages).FirstAsync(p => p.IsDefault, ct);
        var stages = pipeline.Stages.OrderBy(s => s.Order).ToList();
        var dealRows = new List<Deal>();
        for (var i = 0; i < settings.Deals; i++)
        {
            var account = Pick(random, accountRows);
            var stage = Pick(random, stages);
            var people = contactRows.Where(c => c.AccountId == account.Id).Take(random.Next(1, 3)).ToList();
            dealRows.Add(new Deal
            {
                Name = $"{account.Name} — {Pick(random, ["Platform", "Renewal", "Expansion", "Pilot", "Support plan", "Licences"])}",
                Amount = random.Next(5, 500) * 1000m, Currency = "USD", PipelineId = pipeline.Id, StageId = stage.Id,
                Probability = stage.Probability, CloseDate = DateOnly.FromDateTime(now.AddDays(random.Next(-30, 120)).UtcDateTime),
                OwnerId = Pick(random, owners), AccountId = account.Id,
                Contacts = people.Select(c => new DealContact { ContactId = c.Id }).ToList(),
            });
        }
        db.Deals.AddRange(dealRows);
        await db.SaveChangesAsync(ct);

        db.Activities.AddRange(Activities(random, now, contactRows, dealRows, owners));
        await db.SaveChangesAsync(ct);
    }

    private static IEnumerable<Activity> Activities(Random random, DateTimeOffset now, List<Contact> contacts, List<Deal> deals, long[] owners)
    {
        for (var i = 0; i < 360; i++)
        {
            var contact = Pick(random, contacts);
            var deal = random.NextDouble() < 0.2 ? deals.FirstOrDefault(d => d.Contacts.Any(c => c.ContactId == contact.Id)) : null;
            var at = now.AddMinutes(-random.Next(30, 120 * 24 * 60));
            var owner = Pick(random, owners);
            Activity activity = (i % 5) switch
            {
                0 => new NoteActivity { Body = Pick(random, ["Met at the trade show; interested in the enterprise plan.", "Prefers email over phone.", "Budget approved for next quarter.", "Asked for a security questionnaire.", "Champion is moving teams — find a new sponsor."]) },
                1 => new TaskActivity { Title = Pick(random, ["Send proposal", "Follow up on pricing", "Book a demo", "Share case study", "Prepare contract"]), DueAt = at.AddDays(random.Next(1, 14)), IsDone = random.NextDouble() < 0.5 },
                2 => new CallActivity { Direction = (ActivityDirection)random.Next(0, 2), Outcome = (CallOutcome)random.Next(0, 5), DurationSeconds = random.Next(30, 1800), PhoneNumber = contact.Phone, Notes = "Discussed next steps." },
                3 => new EmailActivity
                {
                    Subject = Pick(random, ["Re: Proposal", "Quick question", "Meeting notes", "Pricing for 2027", "Intro"]),
                    Body = "Hi, thanks for your time today. Sending over the details we discussed.",
                    Direction = (ActivityDirection)random.Next(0, 2), From = "sales@crm.example", To = [contact.Email!],
                    Provider = EmailProvider.Manual, SentAt = at, OpenCount = random.Next(0, 4),
                },
                _ => new MeetingActivity
                {
                    Title = Pick(random, ["Discovery call", "Product demo", "Quarterly review", "Contract walkthrough"]),
                    StartTime = at, EndTime = at.AddMinutes(random.Next(2, 5) * 15), Location = "Video call",
                    MeetingUrl = "https://meet.example/abc-defg-hij",
                    Attendees = [new MeetingAttendee("sales@crm.example", "Sales", AttendeeResponse.Accepted, true), new MeetingAttendee(contact.Email!, contact.DisplayName, AttendeeResponse.Accepted, false, contact.Id)],
                    Outcome = at < now ? MeetingOutcome.Completed : null,
                },
            };
            activity.ContactId = contact.Id;
            activity.DealId = deal?.Id;
            activity.OccurredAt = at;
            activity.OwnerId = owner;
            if (activity is TaskActivity { IsDone: true } task) task.CompletedAt = at.AddDays(1);
            yield return activity;
        }
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static string Ascii(string name) =>
        new string(name.Normalize(System.Text.NormalizationForm.FormD).Where(char.IsAsciiLetter).ToArray()).ToLowerInvariant() is { Length: > 0 } s ? s : "x";
}
