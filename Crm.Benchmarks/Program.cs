using Crm.Benchmarks;

// Each command prints what it measured and, as its last line, one JSON object with the figures and the floor.
var command = args.FirstOrDefault();
if (command == "import-child") return await ImportBenchmark.ChildAsync(args);
if (command == "dedup-child") return await DedupBenchmark.ChildAsync(args);
if (command == "export-child") return await ExportBenchmark.ChildAsync(args);
var options = BenchmarkOptions.Parse(args.Skip(1).ToArray());
return command switch
{
    "contacts-list" => await ContactsListBenchmark.RunAsync(options),
    "import" => await ImportBenchmark.RunAsync(options),
    "export" => await ExportBenchmark.RunAsync(options),
    "dedup" => await DedupBenchmark.RunAsync(options),
    "duplicates-queue" => await DuplicatesQueueBenchmark.RunAsync(options with { Repeat = args.Contains("--repeat") ? options.Repeat : 20 }),
    "webhooks" => await WebhooksBenchmark.RunAsync(options),
    "webhooks-out" => await WebhooksOutBenchmark.RunAsync(args.Contains("--events") ? options : options with { Events = 100_000 }),
    "budget" => await BudgetBenchmark.RunAsync(options),
    "mail-bcc" => await MailBccBenchmark.RunAsync(options),
    "mail-initial" => await MailInitialBenchmark.RunAsync(args.Contains("--messages") ? options : options with { Messages = 20_000 }),
    "calendar-initial" => await CalendarInitialBenchmark.RunAsync(args.Contains("--events") ? options : options with { Events = 10_000 }),
    "calendar-faults" => await CalendarFaultsBenchmark.RunAsync(args.Contains("--events") ? options : options with { Events = 2_000 }),
    "mail-faults" => await MailFaultsBenchmark.RunAsync(args.Contains("--messages") ? options : options with { Messages = 2_000 }),
    "hubspot-initial" => await HubSpotSyncBenchmark.RunAsync(options, incremental: false),
    "hubspot-incremental" => await HubSpotSyncBenchmark.RunAsync(options, incremental: true),
    // Smaller by default: every run under faults starts again from the beginning of a first sync.
    "hubspot-faults" => await HubSpotFaultsBenchmark.RunAsync(args.Contains("--contacts") ? options : options with { Contacts = 10_000, Companies = 1_000, Deals = 2_000 }),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        Usage: dotnet run -c Release --project Crm.Benchmarks -- <command> [options]
          contacts-list [--rows 100000] [--repeat 30]   list queries (paging, sorting, search, filters) over N contacts
          import [--rows 1000000]                       a HubSpot-like export imported (update strategy) over N existing contacts
          export [--rows 1000000] [--format csv|json|xlsx]  N contacts with their accounts exported through the export job
          dedup [--rows 1000000]                        the duplicate scan over N contacts with 5% planted duplicates and look-alikes
          duplicates-queue [--pairs 1000000]            the review queue's first page, a group's page and a search over N open pairs
          webhooks [--events 100000]                    signed HubSpot deliveries (1-100 events, 5% duplicates, some forged) into the running app
          mail-initial [--messages 20000] [--only gmail|outlook] [--graph-base-ms 100 --graph-per-message-ms 10] the first sync of a Gmail mailbox (250 quota units / s) and an Outlook one (4 requests at once) of N messages
          mail-faults [--messages 2000]                 a Gmail and an Outlook mailbox synced under 5xx, 429 storms, token expiry and expired cursors: lost, duplicates, missing
          calendar-initial [--calendars 5] [--events 10000] [--only google|outlook]  the first sync of a Google account and an Outlook mailbox with N events over C calendars, then 50 changes
          calendar-faults [--events 2000]               Google, Outlook and CalDAV-like calendars synced under 5xx, 429 storms, token expiry and expired sync tokens: lost, duplicates
          webhooks-out [--events 100000]                N contact events delivered by the app to a receiver here: slow and failing 5% with the app killed once (lost, out of order), then fast (deliveries/s)
          mail-bcc [--messages 10000]                   BCC'd mail (raw MIME) posted to the inbound webhook of the running app by 8 senders, each logged
          budget [--seconds 60]                         8 workers calling the sandbox's HubSpot API through one connection's 100 / 10 s budget
          hubspot-initial [--contacts 100000 --companies 10000 --deals 20000]  the first sync of a portal that size at 100 / 10 s
          hubspot-incremental [--contacts 100000 --changes 100]  after that first sync, 100 contacts changed on each side and one run
          hubspot-faults [--contacts 10000 --companies 1000 --deals 2000]  first and incremental sync under 10% 5xx, drops, lost answers, a 429 storm, token expiry
        """);
    return 2;
}
