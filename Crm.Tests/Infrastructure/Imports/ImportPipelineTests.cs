using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.History;
using Crm.Core.Imports;
using Crm.Core.Users;
using Crm.Infrastructure.Imports;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Crm.Tests.Infrastructure.Imports;

/// <summary>The whole import pipeline on a real SQLite file, once per batch writer.</summary>
public abstract class ImportPipelineTests(Type writer) : IAsyncLifetime
{
    protected CrmTestHost Host { get; private set; } = default!;
    protected TestWorkspace Ws { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        Host = await CrmTestHost.StartAsync(writer: writer);
        Ws = await Host.CreateWorkspaceAsync("Acme");
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private Task<ContactDetails> CreateAsync(ContactInput input) => Host.RunAsync<CreateContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(input));

    private async Task<List<Contact>> ContactsAsync()
    {
        await using var db = Host.Database.Create(Actor.System(Ws.Id));
        return await db.Contacts.AsNoTracking().OrderBy(c => c.Id).ToListAsync();
    }

    private const string Header = "First Name,Last Name,Email,Phone Number,Company Name,Lifecycle Stage,Contact owner,Job Title\n";

    [Fact]
    public async Task Import_WithDuplicateEmails_UpdatesExistingContact_AndCreatesTheRest()
    {
        var existing = await CreateAsync(new ContactInput { FirstName = "Ada", Email = "ada@example.com", JobTitle = "Analyst" });
        var owner = await Host.RunAsync<CreateUserHandler, UserView>(Ws.Admin(), h => h.HandleAsync(new NewUserInput { Name = "Riley Rep", Email = "riley@acme.example" }));

        var import = await Host.ImportAsync(Ws, Header +
            "Ada,Lovelace,ADA@example.com,+44 20 7946 0958,Analytical Engines,Customer,riley@acme.example,Countess\n" +
            "Grace,Hopper,grace@navy.example,(202) 555-0147,US Navy,lead,Riley Rep,Rear Admiral\n");

        Assert.Equal(ImportStatus.Completed, import.Status);
        Assert.Equal((2, 1, 1, 0, 0), (import.RowsProcessed, import.RowsCreated, import.RowsUpdated, import.RowsSkipped, import.RowsFailed));
        Assert.Equal(2, import.AccountsCreated);
        var contacts = await ContactsAsync();
        Assert.Equal(2, contacts.Count);
        var ada = contacts.Single(c => c.Id == existing.Id);
        Assert.Equal(("Lovelace", "Countess", "+442079460958", Lifecycle.Customer, owner.Id), (ada.LastName, ada.JobTitle, ada.Phone, ada.Lifecycle, ada.OwnerId));
        Assert.Equal(1, ada.Version);
        Assert.Null(ada.CreatedByImportId);
        var grace = contacts.Single(c => c.Email == "grace@navy.example");
        Assert.Equal(("+12025550147", import.Id, ChangeSource.Import, Ws.AdminId), (grace.Phone, grace.CreatedByImportId, grace.CreatedSource, grace.CreatedByUserId));

        await using var db = Host.Database.Create(Actor.System(Ws.Id));
        Assert.Equal(["Analytical Engines", "US Navy"], await db.Accounts.OrderBy(a => a.Name).Select(a => a.Name).ToListAsync());
        // One history row for the import's update; its fields are the before-image kept for rollback.
        var row = await db.FieldChanges.Where(f => f.RecordId == ada.Id && f.RecordType == RecordType.Contact).SingleAsync();
        Assert.Equal((ChangeKind.Imported, ChangeSource.Import, $"import:{import.Id}", (long?)Ws.AdminId), (row.Kind, row.Source, row.SourceRef, row.ActorUserId));
        var image = await db.ImportChanges.SingleAsync();
        Assert.Equal(("Analyst", "Countess", 1), (image.Before["JobTitle"], image.After["JobTitle"], image.VersionAfter));

        var history = await Host.RunAsync<GetRecordHistoryHandler, RecordHistory>(Ws.Admin(), h => h.HandleAsync(RecordType.Contact, ada.Id));
        var change = Assert.Single(history.Changes.Items);
        Assert.Equal((ChangeKind.Imported, "Admin of Acme", ChangeSource.Import), (change.Kind, change.ActorName, change.Source));
        Assert.Contains(new HistoryField("JobTitle", "Analyst", "Countess"), change.Fields);
        Assert.Contains(new HistoryField("LastName", null, "Lovelace"), change.Fields);
        Assert.Contains(change.Fields, f => f is { Field: "AccountId", OldValue: null, NewValue: not null });
    }

    [Fact]
    public async Task AnImport_LeavesTheAppsPooledConnectionsAsTheyWere_ForeignKeysCheckedAndTheDefaultCache()
    {
        await CreateAsync(new ContactInput { FirstName = "Ada", Email = "ada@example.com" });
        await Host.ImportAsync(Ws, Header + "Ada,Lovelace,ada@example.com,,Analytical Engines,,,Countess\nGrace,Hopper,grace@navy.example,,US Navy,,,Admiral\n");

        // Every connection the pool holds, at once: the import's settings (no foreign key checks, a large cache) would show on one.
        var connections = new List<Microsoft.Data.Sqlite.SqliteConnection>();
        try
        {
            for (var i = 0; i < 6; i++)
            {
                var connection = new Microsoft.Data.Sqlite.SqliteConnection(Host.Database.ConnectionString);
                await connection.OpenAsync();
                connections.Add(connection);
                await using var pragma = new Microsoft.Data.Sqlite.SqliteCommand("SELECT foreign_keys, cache_size FROM pragma_foreign_keys, pragma_cache_size", connection);
                await using var reader = await pragma.ExecuteReaderAsync();
                Assert.True(await reader.ReadAsync());
                Assert.Equal((1L, -2000L), (reader.GetInt64(0), reader.GetInt64(1)));
            }
        }
        finally
        {
            foreach (var connection in connections) await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task History_OfARecordUpdatedByTwoImportsAndByHand_ListsEachChangeNewestFirst_WithEachImportsOwnFields()
    {
        var ada = await CreateAsync(new ContactInput { FirstName = "Ada", Email = "ada@example.com", JobTitle = "Analyst" });
        var first = await Host.ImportAsync(Ws, "Email,Job Title\nada@example.com,Countess\n");
        var edit = (await Host.RunAsync<GetContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(ada.Id))).ToInput();
        edit.City = "London";
        await Host.RunAsync<UpdateContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(ada.Id, edit, null));
        var second = await Host.ImportAsync(Ws, "Email,Job Title,City\nada@example.com,Mathematician,Marylebone\n");

        var history = await Host.RunAsync<GetRecordHistoryHandler, RecordHistory>(Ws.Admin(), h => h.HandleAsync(RecordType.Contact, ada.Id));
        Assert.Equal(3, history.Changes.Total);
        var (latest, byHand, earliest) = (history.Changes.Items[0], history.Changes.Items[1], history.Changes.Items[2]);
        Assert.Equal($"import:{second.Id}", latest.SourceRef);
        Assert.Equal([new HistoryField("JobTitle", "Countess", "Mathematician"), new HistoryField("City", "London", "Marylebone")], latest.Fields.OrderByDescending(f => f.Field));
        Assert.Equal((ChangeKind.Updated, "City", null, "London"), (byHand.Kind, byHand.Field, byHand.OldValue, byHand.NewValue));
        Assert.Equal([new HistoryField("City", null, "London")], byHand.AllFields);
        Assert.Equal($"import:{first.Id}", earliest.SourceRef);
        Assert.Equal([new HistoryField("JobTitle", "Analyst", "Countess")], earliest.Fields);

        // Page sizes count changes, not fields.
        var page = await Host.RunAsync<GetRecordHistoryHandler, RecordHistory>(Ws.Admin(), h => h.HandleAsync(RecordType.Contact, ada.Id, page: 2, pageSize: 2));
        var only = Assert.Single(page.Changes.Items);
        Assert.Equal(earliest.SourceRef, only.SourceRef);
        Assert.Equal(earliest.Fields, only.Fields);
    }

    [Fact]
    public async Task Import_BadRows_AreReportedWithTheirLineColumnAndValue_AndTheRestImports()
    {
        var import = await Host.ImportAsync(Ws, Header +
            "Ada,Lovelace,ada@example.com,,,,,\n" +
            "\"Multi\nline\",Name,not-an-email,,,,,\n" +
            ",,,,,champion,,\n" +
            "Grace,Hopper,ada@example.com,,,,,\n" +
            "Alan,Turing,alan@example.com,,,,nobody@nowhere.example,\n" +
            "Linus,Torvalds,linus@example.com,,,,,\n");

        Assert.Equal((6, 2, 4), (import.RowsProcessed, import.RowsCreated, import.RowsFailed));
        var errors = (await Host.ErrorsAsync(Ws, import.Id)).Items;
        var email = errors.Single(e => e.RowNumber == 2);
        Assert.Equal((3L, "Email", "not-an-email", ImportErrorType.Format), (email.LineNumber, email.Column, email.Value, email.Type));
        Assert.Contains(errors, e => e is { RowNumber: 3, LineNumber: 5, Type: ImportErrorType.Picklist, Value: "champion" });
        Assert.Contains(errors, e => e is { RowNumber: 4, Type: ImportErrorType.Duplicate } && e.Message == "Same email as line 2 of this file.");
        Assert.Contains(errors, e => e is { RowNumber: 5, Type: ImportErrorType.Reference, Column: "Contact owner" });
    }

    [Theory]
    [InlineData(DuplicateStrategy.Skip, "Analyst", null, 1, 2)]
    [InlineData(DuplicateStrategy.Update, "Countess", "Lovelace", 1, 2)]
    [InlineData(DuplicateStrategy.Merge, "Analyst", "Lovelace", 1, 2)]
    [InlineData(DuplicateStrategy.UpdateOnly, "Countess", "Lovelace", 0, 1)]
    [InlineData(DuplicateStrategy.CreateNew, "Analyst", null, 2, 3)]
    public async Task Import_EachStrategy_TreatsAnExistingMatchAsDocumented(DuplicateStrategy strategy, string jobTitle, string? lastName, int created, int total)
    {
        var existing = await CreateAsync(new ContactInput { FirstName = "Ada", Email = "ada@example.com", JobTitle = "Analyst" });

        var import = await Host.ImportAsync(Ws, "First Name,Last Name,Email,Job Title\nAda,Lovelace,ada@example.com,Countess\nGrace,Hopper,grace@example.com,Admiral\n",
            new ImportOptions { Strategy = strategy });

        var contacts = await ContactsAsync();
        var ada = contacts.Single(c => c.Id == existing.Id);
        Assert.Equal((jobTitle, lastName), (ada.JobTitle, ada.LastName));
        Assert.Equal((created, total), (import.RowsCreated, contacts.Count));
        Assert.Equal(0, import.RowsFailed);
    }

    [Fact]
    public async Task Import_MatchingById_UpdatesThatRecord_AndRefusesUnknownIds()
    {
        var existing = await CreateAsync(new ContactInput { FirstName = "Ada", Email = "ada@example.com" });

        var import = await Host.ImportAsync(Ws, $"Record ID,First Name,Email\n{existing.Id},Augusta,augusta@example.com\n999999,Nobody,nobody@example.com\n",
            new ImportOptions { MatchField = "id" });

        Assert.Equal((1, 1, 0), (import.RowsUpdated, import.RowsFailed, import.RowsCreated));
        Assert.Equal("augusta@example.com", (await ContactsAsync()).Single().Email);
        Assert.Equal("No contact with id 999999 in this workspace.", (await Host.ErrorsAsync(Ws, import.Id)).Items.Single().Message);
    }

    [Fact]
    public async Task DryRun_WritesNothing_AndPredictsTheRealRun()
    {
        await CreateAsync(new ContactInput { FirstName = "Ada", Email = "ada@example.com", JobTitle = "Analyst" });
        const string csv = "First Name,Email,Job Title,Lifecycle Stage\nAda,ada@example.com,Countess,Customer\nGrace,grace@example.com,,lead\nBad,nope,,\n,,,VIP\n";
        var draft = await Host.UploadAsync(Ws, csv);

        var dry = await Host.RunAsync<DryRunImportHandler, DryRunResult>(Ws.Admin(), h => h.HandleAsync(draft.ImportId, ImportTestHost.RefusingRows(draft.Mapping), draft.Options));

        Assert.Equal((4, 1, 1, 0, 2), (dry.TotalRows, dry.WouldCreate, dry.WouldUpdate, dry.WouldSkip, dry.WouldFail));
        var update = dry.Rows.Single(r => r.Action == PlannedAction.Update);
        Assert.Contains(update.Changes, c => c is { Field: "JobTitle", Before: "Analyst", After: "Countess" });
        Assert.Contains(update.Changes, c => c is { Field: "Lifecycle", Before: "lead", After: "customer" });
        Assert.Equal([new ValueCount("VIP", 1)], Assert.Single(dry.UnknownPicklistValues).Values);
        Assert.Single(await ContactsAsync());

        var real = await Host.RunAsync<StartImportHandler, ImportView>(Ws.Admin(), h => h.HandleAsync(draft.ImportId, ImportTestHost.RefusingRows(draft.Mapping), draft.Options));
        await Host.Jobs.RunAllAsync();
        var done = await Host.RunAsync<GetImportHandler, ImportView>(Ws.Admin(), h => h.HandleAsync(real.Id));
        Assert.Equal((dry.WouldCreate, dry.WouldUpdate, dry.WouldFail), (done.RowsCreated, done.RowsUpdated, done.RowsFailed));
    }

    [Fact]
    public async Task ValueMap_MapsUnknownPicklistValues()
    {
        var import = await Host.ImportAsync(Ws, "Email,Lifecycle Stage\na@example.com,VIP\nb@example.com,Champion\n",
            mapping: m => m with { Columns = m.Columns.Select(c => c.Field == "lifecycle" ? c with { ValueMap = new() { ["vip"] = "customer", ["Champion"] = "sql" } } : c).ToList() });

        Assert.Equal(2, import.RowsCreated);
        Assert.Equal([Lifecycle.Customer, Lifecycle.Sql], (await ContactsAsync()).Select(c => c.Lifecycle));
    }

    [Fact]
    public async Task Rollback_DeletesCreated_RestoresUpdated_AndKeepsWhatPeopleChangedSince()
    {
        var ada = await CreateAsync(new ContactInput { FirstName = "Ada", Email = "ada@example.com", JobTitle = "Analyst", Phone = "+442079460000" });
        var grace = await CreateAsync(new ContactInput { FirstName = "Grace", Email = "grace@example.com", JobTitle = "Officer" });
        var import = await Host.ImportAsync(Ws,
            "First Name,Email,Job Title,Company\nAda,ada@example.com,Countess,Engines Ltd\nGrace,grace@example.com,Admiral,\nAlan,alan@example.com,Mathematician,Bletchley\nLinus,linus@example.com,Hacker,\n");
        Assert.Equal((2, 2, 2), (import.RowsCreated, import.RowsUpdated, import.AccountsCreated));
        // After the import, a person edits Grace and the imported Linus.
        var graceNow = await Host.RunAsync<GetContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(grace.Id));
        var edit = graceNow.ToInput();
        edit.City = "Arlington";
        await Host.RunAsync<UpdateContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(grace.Id, edit, null));
        var linus = (await ContactsAsync()).Single(c => c.Email == "linus@example.com");
        var linusEdit = (await Host.RunAsync<GetContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(linus.Id))).ToInput();
        linusEdit.City = "Portland";
        await Host.RunAsync<UpdateContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(linus.Id, linusEdit, null));

        var preview = await Host.RunAsync<PreviewRollbackHandler, RollbackPreview>(Ws.Admin(), h => h.HandleAsync(import.Id));
        Assert.Equal((2, 1, 2, 1, 2), (preview.CreatedRecords, preview.CreatedChangedSince, preview.UpdatedRecords, preview.UpdatedChangedSince, preview.AccountsCreated));
        Assert.Equal(["Grace", "Linus"], preview.Conflicts.Select(c => c.Name).Order());

        var rolledBack = await Host.RollBackAsync(Ws, import.Id, restoreChanged: false);

        Assert.Equal(ImportStatus.RolledBack, rolledBack.Status);
        var contacts = await ContactsAsync();
        Assert.Equal(["ada@example.com", "grace@example.com", "linus@example.com"], contacts.Select(c => c.Email).Order());
        var adaNow = contacts.Single(c => c.Id == ada.Id);
        Assert.Equal(("Analyst", "+442079460000", (long?)null), (adaNow.JobTitle, adaNow.Phone, adaNow.AccountId));
        Assert.Equal("Admiral", contacts.Single(c => c.Id == grace.Id).JobTitle);
        // Deleted: Alan, and both accounts the import created (nothing uses them once Ada's company is restored).
        Assert.Equal((3, 1, 2), (rolledBack.RollbackDeleted, rolledBack.RollbackRestored, rolledBack.RollbackKeptChanged));
        await using var db = Host.Database.Create(Actor.System(Ws.Id));
        Assert.Empty(await db.Accounts.ToListAsync());
        Assert.Contains(await db.FieldChanges.Where(f => f.RecordId == ada.Id).ToListAsync(), f => f is { Field: "JobTitle", NewValue: "Analyst" } && f.SourceRef == $"rollback:import:{import.Id}");
    }

    [Fact]
    public async Task Rollback_WithRestoreChanged_UndoesEverything()
    {
        var grace = await CreateAsync(new ContactInput { FirstName = "Grace", Email = "grace@example.com", JobTitle = "Officer" });
        var import = await Host.ImportAsync(Ws, "First Name,Email,Job Title\nGrace,grace@example.com,Admiral\nAlan,alan@example.com,Mathematician\n");
        var edit = (await Host.RunAsync<GetContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(grace.Id))).ToInput();
        edit.City = "Arlington";
        await Host.RunAsync<UpdateContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(grace.Id, edit, null));

        var rolledBack = await Host.RollBackAsync(Ws, import.Id, restoreChanged: true);

        var contacts = await ContactsAsync();
        var only = Assert.Single(contacts);
        Assert.Equal(("Officer", "Arlington"), (only.JobTitle, only.City));
        Assert.Equal((1, 1, 0), (rolledBack.RollbackDeleted, rolledBack.RollbackRestored, rolledBack.RollbackKeptChanged));
        await Assert.ThrowsAsync<ValidationFailedException>(() => Host.RunAsync<StartRollbackHandler, ImportView>(Ws.Admin(), h => h.HandleAsync(import.Id, false)));
    }

    [Fact]
    public async Task InterruptedImport_ResumesAfterTheLastCommittedRow_WithoutDuplicates()
    {
        var csv = "First Name,Email\n" + string.Concat(Enumerable.Range(1, 23).Select(i => $"Person{i},p{i}@example.com\n")) + "Again,p3@example.com\n";
        var draft = await Host.UploadAsync(Ws, csv);
        var view = await Host.RunAsync<StartImportHandler, ImportView>(Ws.Admin(), h => h.HandleAsync(draft.ImportId, draft.Mapping, draft.Options));

        // The first run is stopped (the app shuts down) right after its second batch of five is committed.
        using (var stop = new CancellationTokenSource())
        {
            var scope = Host.Resolve<IServiceProvider>().CreateAsyncScope();
            await using (scope)
            {
                var services = scope.ServiceProvider;
                services.GetRequiredService<ExplicitActor>().Value = Actor.System(Ws.Id, ChangeSource.Import);
                var runner = new ImportRunner(services.GetRequiredService<ImportContextLoader>(), services.GetRequiredService<IImportJobStore>(),
                    new StopAfterCommits(services.GetRequiredService<IImportStore>(), 2, stop), services.GetRequiredService<ITabularFileReader>(),
                    services.GetRequiredService<ImportPlanner>(), services.GetRequiredService<Crm.Core.Runs.IRunService>(), services.GetRequiredService<DatabaseRetry>(), Host.Time, NullLogger<ImportRunner>.Instance) { RowsPerBatch = 5, RowsPerCommit = 5 };
                await runner.RunAsync(view.Id, stop.Token);
            }
        }
        var paused = await Host.RunAsync<GetImportHandler, ImportView>(Ws.Admin(), h => h.HandleAsync(view.Id));
        Assert.Equal((ImportStatus.Running, 10, 10), (paused.Status, paused.RowsProcessed, paused.RowsCreated));

        // The rescue job hands it out again; the new run continues after row 10.
        await Host.Jobs.ScheduleRunAsync(view.Id, Ws.Id);
        await Host.Jobs.RunAllAsync(runner => runner.RowsPerBatch = 5);

        var done = await Host.RunAsync<GetImportHandler, ImportView>(Ws.Admin(), h => h.HandleAsync(view.Id));
        Assert.Equal((ImportStatus.Completed, 24, 23, 1), (done.Status, done.RowsProcessed, done.RowsCreated, done.RowsFailed));
        var contacts = await ContactsAsync();
        Assert.Equal(23, contacts.Count);
        Assert.Equal(23, contacts.Select(c => c.Email).Distinct().Count());
        Assert.Equal("Same email as line 4 of this file.", (await Host.ErrorsAsync(Ws, view.Id)).Items.Single().Message);
    }

    [Fact]
    public async Task Deals_FindTheirPipelineStageOwnerCompanyAndContacts_ByName()
    {
        var owner = await Host.RunAsync<CreateUserHandler, UserView>(Ws.Admin(), h => h.HandleAsync(new NewUserInput { Name = "Riley Rep", Email = "riley@acme.example" }));
        var ada = await CreateAsync(new ContactInput { FirstName = "Ada", Email = "ada@example.com" });
        var pipeline = await Host.RunAsync<Crm.Core.Deals.ListPipelinesHandler, IReadOnlyList<Crm.Core.Deals.PipelineView>>(Ws.Admin(), h => h.HandleAsync());

        var import = await Host.ImportAsync(Ws, "Deal Name,Pipeline,Deal Stage,Amount,Close Date,Deal owner,Associated Company,Contacts\n" +
            $"Engines for the Navy,{pipeline[0].Name},negotiation,\"$1,234.50\",2026-03-31,RILEY@acme.example,Analytical Engines,ada@example.com\n" +
            $"Mystery deal,{pipeline[0].Name},Haggling,100,,,,\n" +
            "Lost deal,No such pipeline,,100,,,,\n" +
            $"Orphan deal,{pipeline[0].Name},Proposal,100,,nobody@acme.example,,ghost@example.com\n", type: RecordType.Deal);

        Assert.Equal((4, 1, 3), (import.RowsProcessed, import.RowsCreated, import.RowsFailed));
        await using var db = Host.Database.Create(Actor.System(Ws.Id));
        var deal = await db.Deals.AsNoTracking().Include(d => d.Contacts).Include(d => d.Stage).Include(d => d.Account).SingleAsync();
        Assert.Equal(("Negotiation", 1234.50m, new DateOnly(2026, 3, 31), owner.Id, "Analytical Engines", 75),
            (deal.Stage!.Name, deal.Amount, deal.CloseDate, deal.OwnerId, deal.Account!.Name, deal.Probability));
        Assert.Equal([ada.Id], deal.Contacts.Select(c => c.ContactId));
        var errors = (await Host.ErrorsAsync(Ws, import.Id)).Items;
        Assert.Contains(errors, e => e.Type == ImportErrorType.Picklist && e.Message.StartsWith("'Haggling' is not a stage of pipeline", StringComparison.Ordinal) && e.Message.Contains("Negotiation"));
        Assert.Contains(errors, e => e.Type == ImportErrorType.Picklist && e.Message.StartsWith("No pipeline named 'No such pipeline'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Type == ImportErrorType.Reference && e.Message == "No active user has the email or name 'nobody@acme.example'.");
    }

    [Fact]
    public async Task History_OfADealAnImportUpdated_ShowsItsNewAmountAndTheContactItLinked()
    {
        var ada = await CreateAsync(new ContactInput { FirstName = "Ada", Email = "ada@example.com" });
        var deal = await Host.RunAsync<Crm.Core.Deals.CreateDealHandler, Crm.Core.Deals.DealDetails>(Ws.Admin(), h => h.HandleAsync(new Crm.Core.Deals.DealInput { Name = "Engines", Amount = 100 }));

        var import = await Host.ImportAsync(Ws, $"Record ID,Deal Name,Amount,Contacts\n{deal.Id},Engines,250,ada@example.com\n",
            new ImportOptions { MatchField = "id" }, RecordType.Deal);

        Assert.Equal((1, 1), (import.RowsProcessed, import.RowsUpdated));
        var history = await Host.RunAsync<GetRecordHistoryHandler, RecordHistory>(Ws.Admin(), h => h.HandleAsync(RecordType.Deal, deal.Id));
        var change = Assert.Single(history.Changes.Items);
        Assert.Equal(ChangeKind.Imported, change.Kind);
        Assert.Contains(new HistoryField("Amount", "100", "250"), change.Fields);
        Assert.Contains(new HistoryField("Contacts", null, ada.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), change.Fields);
    }

    [Fact]
    public async Task MissingAccounts_AreReportedPerRow_WhenTheAdminChoosesNotToCreateThem()
    {
        await Host.RunAsync<Crm.Core.Accounts.CreateAccountHandler, Crm.Core.Accounts.AccountDetails>(Ws.Admin(), h => h.HandleAsync(new Crm.Core.Accounts.AccountInput { Name = "Analytical Engines" }));

        var import = await Host.ImportAsync(Ws, "Email,Company\nada@example.com,analytical engines\ngrace@example.com,US Navy\n",
            new ImportOptions { CreateMissingAccounts = false });

        Assert.Equal((1, 1, 0), (import.RowsCreated, import.RowsFailed, import.AccountsCreated));
        var error = Assert.Single((await Host.ErrorsAsync(Ws, import.Id)).Items);
        Assert.Equal((3L, "Company", "US Navy", ImportErrorType.Reference), (error.LineNumber, error.Column, error.Value, error.Type));
        var ada = Assert.Single(await ContactsAsync());
        Assert.NotNull(ada.AccountId);
    }

    [Fact]
    public async Task ASavedTemplate_IsAppliedToTheNextFileWithTheSameColumns()
    {
        const string header = "Courriel,Nom complet,Poste\n";
        var first = await Host.UploadAsync(Ws, header + "ada@example.com,Ada Lovelace,Comtesse\n");
        var mapping = first.Mapping with
        {
            Columns = first.Mapping.Columns.Select(c => c.Header switch
            {
                "Courriel" => c with { Field = "email" },
                "Nom complet" => c with { Field = "fullName" },
                _ => c with { Field = "jobTitle" },
            }).ToList(),
        };
        await Host.RunAsync<SaveImportTemplateHandler, ImportTemplateView>(Ws.Admin(), h => h.HandleAsync(first.ImportId, "French CRM", mapping,
            first.Options with { Strategy = DuplicateStrategy.Skip }, first.Inspection.Headers));

        var second = await Host.UploadAsync(Ws, "courriel, NOM COMPLET ,poste\ngrace@example.com,Grace Hopper,Amirale\n");

        Assert.Equal("French CRM", second.TemplateName);
        Assert.Equal(["email", "fullName", "jobTitle"], second.Mapping.Columns.Select(c => c.Field));
        Assert.Equal(DuplicateStrategy.Skip, second.Options.Strategy);
        var templates = await Host.RunAsync<ListImportTemplatesHandler, IReadOnlyList<ImportTemplateView>>(Ws.Admin(), h => h.HandleAsync());
        Assert.Equal("French CRM", Assert.Single(templates).Name);
    }

    [Fact]
    public async Task Cancel_StopsAtTheNextCommit_AndWhatWasWrittenCanBeRolledBack()
    {
        var csv = "First Name,Email\n" + string.Concat(Enumerable.Range(1, 30).Select(i => $"Person{i},p{i}@example.com\n"));
        var draft = await Host.UploadAsync(Ws, csv);
        var view = await Host.RunAsync<StartImportHandler, ImportView>(Ws.Admin(), h => h.HandleAsync(draft.ImportId, draft.Mapping, draft.Options));

        await RunWithHooksAsync(view.Id, afterCommit: async n =>
        {
            if (n == 1) await Host.RunAsync<CancelImportHandler, ImportView>(Ws.Admin(), h => h.HandleAsync(view.Id));
        });

        var cancelled = await Host.RunAsync<GetImportHandler, ImportView>(Ws.Admin(), h => h.HandleAsync(view.Id));
        Assert.Equal((ImportStatus.Cancelled, 10), (cancelled.Status, cancelled.RowsProcessed));
        Assert.True(cancelled.CanRollBack);
        Assert.Equal(10, (await ContactsAsync()).Count);

        var rolledBack = await Host.RollBackAsync(Ws, view.Id);
        Assert.Equal((ImportStatus.RolledBack, 10), (rolledBack.Status, rolledBack.RollbackDeleted));
        Assert.Empty(await ContactsAsync());
    }

    [Fact]
    public async Task ARunnerThatLostItsClaim_StopsWriting_AndKeepsOnlyWhatItCommittedBefore()
    {
        var csv = "First Name,Email\n" + string.Concat(Enumerable.Range(1, 20).Select(i => $"Person{i},p{i}@example.com\n"));
        var draft = await Host.UploadAsync(Ws, csv);
        var view = await Host.RunAsync<StartImportHandler, ImportView>(Ws.Admin(), h => h.HandleAsync(draft.ImportId, draft.Mapping, draft.Options));

        // After its first commit the job is taken over (this runner was thought dead): its second commit must not land.
        await RunWithHooksAsync(view.Id, afterCommit: async n =>
        {
            if (n != 1) return;
            await using var db = Host.Database.Create(Actor.System(Ws.Id));
            await db.Runs.Where(r => r.Kind == Crm.Core.Runs.RunKind.Import && r.SubjectId == view.Id).ExecuteUpdateAsync(x => x.SetProperty(r => r.RunnerId, "another-runner"));
        });

        var after = await Host.RunAsync<GetImportHandler, ImportView>(Ws.Admin(), h => h.HandleAsync(view.Id));
        Assert.Equal((ImportStatus.Running, 5, 5), (after.Status, after.RowsProcessed, after.RowsCreated));
        Assert.Equal(5, (await ContactsAsync()).Count);
    }

    [Fact]
    public async Task ARecordChangedBetweenLookupAndWrite_IsReadAgain_AndTheImportCompletesWithoutLosingEitherChange()
    {
        var existing = await CreateAsync(new ContactInput { FirstName = "Ada", Email = "ada@example.com", JobTitle = "Analyst" });
        var csv = "First Name,Email,Job Title\n" + string.Concat(Enumerable.Range(1, 7).Select(i => $"Person{i},p{i}@example.com,Engineer\n")) + "Ada,ada@example.com,Countess\n";
        var draft = await Host.UploadAsync(Ws, csv);
        var view = await Host.RunAsync<StartImportHandler, ImportView>(Ws.Admin(), h => h.HandleAsync(draft.ImportId, draft.Mapping, draft.Options));

        // Someone edits Ada right after the import looked her up, before it writes her.
        var edited = false;
        await RunWithHooksAsync(view.Id, afterLookup: async keys =>
        {
            if (edited || !keys.Contains("ada@example.com")) return;
            edited = true;
            var current = await Host.RunAsync<GetContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(existing.Id));
            await Host.RunAsync<UpdateContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(existing.Id,
                new ContactInput { FirstName = "Ada", Email = "ada@example.com", JobTitle = "Analyst", City = "London" }, current.Version));
        });

        var done = await Host.RunAsync<GetImportHandler, ImportView>(Ws.Admin(), h => h.HandleAsync(view.Id));
        Assert.True(edited);
        Assert.Equal((ImportStatus.Completed, 8, 7, 1), (done.Status, done.RowsProcessed, done.RowsCreated, done.RowsUpdated));
        var contacts = await ContactsAsync();
        Assert.Equal(8, contacts.Count);
        var ada = contacts.Single(c => c.Id == existing.Id);
        Assert.Equal(("Countess", "London"), (ada.JobTitle, ada.City));
    }

    /// <summary>Runs the import in this scope with small batches, calling the hooks after each lookup and commit.</summary>
    private async Task RunWithHooksAsync(long importId, Func<int, Task>? afterCommit = null, Func<IReadOnlyCollection<string>, Task>? afterLookup = null)
    {
        var scope = Host.Resolve<IServiceProvider>().CreateAsyncScope();
        await using (scope)
        {
            var services = scope.ServiceProvider;
            services.GetRequiredService<ExplicitActor>().Value = Actor.System(Ws.Id, ChangeSource.Import);
            var store = new HookedStore(services.GetRequiredService<IImportStore>(), afterCommit ?? (_ => Task.CompletedTask), afterLookup ?? (_ => Task.CompletedTask));
            var runner = new ImportRunner(services.GetRequiredService<ImportContextLoader>(), services.GetRequiredService<IImportJobStore>(), store,
                services.GetRequiredService<ITabularFileReader>(), new ImportPlanner(store), services.GetRequiredService<Crm.Core.Runs.IRunService>(), services.GetRequiredService<DatabaseRetry>(), Host.Time, NullLogger<ImportRunner>.Instance)
            { RowsPerBatch = 5, RowsPerCommit = 5 };
            await runner.RunAsync(importId, TestContext.Current.CancellationToken);
        }
    }

    private sealed class StopAfterCommits(IImportStore inner, int commits, CancellationTokenSource stop)
        : HookedStore(inner, async n => { if (n == commits) await stop.CancelAsync(); }, _ => Task.CompletedTask);

    /// <summary>The real store, with a hook after each lookup and after each commit (numbered from 1).</summary>
    private class HookedStore(IImportStore inner, Func<int, Task> afterCommit, Func<IReadOnlyCollection<string>, Task> afterLookup) : IImportStore
    {
        private int _commits;

        private Task CommittedAsync() => afterCommit(++_commits);

        public async Task<IReadOnlyDictionary<string, ITrackedRecord>> FindExistingAsync(ImportContext context, IReadOnlyCollection<string> keys, CancellationToken ct)
        {
            var found = await inner.FindExistingAsync(context, keys, ct);
            await afterLookup(keys);
            return found;
        }

        public Task<(IReadOnlyDictionary<string, long> ByName, IReadOnlyDictionary<string, long> ByDomain)> FindAccountsAsync(long workspaceId, IReadOnlyCollection<string>? names, IReadOnlyCollection<string>? domains, CancellationToken ct) =>
            inner.FindAccountsAsync(workspaceId, names, domains, ct);

        public Task<IReadOnlyDictionary<string, long>> FindContactsByEmailAsync(long workspaceId, IReadOnlyCollection<string> emails, CancellationToken ct) => inner.FindContactsByEmailAsync(workspaceId, emails, ct);

        public async Task<IImportWriter> OpenWriterAsync(ImportContext context, CancellationToken ct) => new CountedWriter(await inner.OpenWriterAsync(context, ct), this);

        private sealed class CountedWriter(IImportWriter inner, HookedStore owner) : IImportWriter
        {
            public async Task<IImportWrite> BeginAsync(CancellationToken ct) => new Counted(await inner.BeginAsync(ct), owner);

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }

        private sealed class Counted(IImportWrite inner, HookedStore owner) : IImportWrite
        {
            public int Rows => inner.Rows;

            public Task WriteAsync(BatchPlan plan, DateTimeOffset now, CancellationToken ct) => inner.WriteAsync(plan, now, ct);

            public async Task<BatchOutcome> CommitAsync(DateTimeOffset now, CancellationToken ct)
            {
                var outcome = await inner.CommitAsync(now, ct);
                await owner.CommittedAsync();
                return outcome;
            }

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }
}

public sealed class SqliteWriterImportTests() : ImportPipelineTests(typeof(SqliteImportWriter));

public sealed class EfWriterImportTests() : ImportPipelineTests(typeof(EfImportWriter));
