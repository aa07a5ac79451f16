using Crm.Core.Runs;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.CustomFields;
using Crm.Core.Exports;
using Crm.Core.Imports;
using Crm.Core.Users;
using Crm.Infrastructure.Jobs;
using Crm.Tests.Infrastructure.Imports;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace Crm.Tests.Infrastructure.Exports;

/// <summary>Exports through the use cases and the background runner, on a real SQLite file, read back as a person would.</summary>
public class ExportTests : WorkspaceTests
{
    private async Task<ContactDetails> ContactAsync(ContactInput input) =>
        await Host.RunAsync<CreateContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(input));

    private async Task<(ExportView View, byte[] File)> ExportAsync(ExportRequest request, Actor? actor = null)
    {
        var started = await Host.RunAsync<StartExportHandler, ExportView>(actor ?? Ws.Admin(), h => h.HandleAsync(request));
        await Host.Exports.RunAllAsync(TestContext.Current.CancellationToken);
        var view = await Host.RunAsync<GetExportHandler, ExportView>(actor ?? Ws.Admin(), h => h.HandleAsync(started.Id));
        if (view.Status != ExportStatus.Completed) return (view, []);
        var file = await Host.RunAsync<DownloadExportHandler, ExportFile>(actor ?? Ws.Admin(), h => h.HandleAsync(started.Id));
        await using var content = file.Content;
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, TestContext.Current.CancellationToken);
        return (view, copy.ToArray());
    }

    private static ExportRequest Contacts(ExportFormat format, ExportFilter? filter = null, params string[] fields) =>
        new() { Format = format, Parts = [new ExportPart { Object = ExportObject.Contact, Filter = filter ?? new ExportFilter(), Fields = [.. fields] }] };

    private async Task SeedAsync()
    {
        var owner = await Host.RunAsync<CreateUserHandler, UserView>(Ws.Admin(), h => h.HandleAsync(new NewUserInput { Name = "Riley Rep", Email = "riley@acme.example" }));
        var account = await Host.RunAsync<CreateAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(new AccountInput { Name = "Analytical Engines", Domain = "engines.example" }));
        await Host.RunAsync<CreateCustomFieldHandler, CustomFieldView>(Ws.Admin(), h => h.HandleAsync(new NewCustomFieldInput { Label = "Shoe size", Key = "shoe_size", Type = CustomFieldType.Number }));
        await ContactAsync(new ContactInput { FirstName = "Ada", LastName = "Lovelace", Email = "ada@example.com", Lifecycle = Lifecycle.Customer, LeadScore = 90,
            AccountId = account.Id, OwnerId = owner.Id, AdditionalEmails = ["countess@example.com"], CustomFields = new() { ["shoe_size"] = "38.5" } });
        await ContactAsync(new ContactInput { FirstName = "Grace", LastName = "Hopper", Email = "grace@example.com", Lifecycle = Lifecycle.Lead, JobTitle = "=HYPERLINK(\"http://evil.example\")" });
        await ContactAsync(new ContactInput { FirstName = "Ünïcødé", LastName = "日本語 🚀", Email = "uni@example.com", Lifecycle = Lifecycle.Customer, City = "Zürich, \"CH\"" });
    }

    [Fact]
    public async Task Csv_HoldsExactlyTheFilteredRows_InTheListsOrder_WithRelatedAndCustomFields()
    {
        await SeedAsync();

        var (view, file) = await ExportAsync(Contacts(ExportFormat.Csv, new ExportFilter { Lifecycle = Lifecycle.Customer, Sort = "-lastName" },
            "id", "firstName", "lastName", "additionalEmails", "company", "companyDomain", "owner", "leadScore", "custom.shoe_size", "city"));

        Assert.Equal((ExportStatus.Completed, 2, 2), (view.Status, view.TotalRows, view.RowsWritten));
        Assert.StartsWith("contacts-", view.FileName);
        var text = Encoding.UTF8.GetString(file);
        Assert.False(text.StartsWith('\uFEFF'));
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Record ID,First Name,Last Name,Other Emails,Company,Company Domain,Owner,Lead Score,Shoe size (custom),City", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Matches("^\\d+,Ünïcødé,日本語 🚀,,,,,,,\"Zürich, \"\"CH\"\"\"$", lines[1]);
        Assert.Matches("^\\d+,Ada,Lovelace,countess@example.com,Analytical Engines,engines.example,riley@acme.example,90,38.5,$", lines[2]);
    }

    private static JsonElement InjectionCases() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.TestData, "security", "csv-injection-cases.json"))).RootElement;

    public static TheoryData<string> DangerousLeadingCharacters()
    {
        var cases = InjectionCases();
        return new(cases.GetProperty("owasp_dangerous_leading_chars").EnumerateArray().Select(e => e.GetString()!)
            .Concat(cases.GetProperty("asvs_1_2_10_leading_chars").EnumerateArray().Select(e => e.GetString()!))
            .Concat(["＝", "＋", "－", "＠"]).Distinct().ToArray());
    }

    [Theory]
    [MemberData(nameof(DangerousLeadingCharacters))]
    public void FormulaGuard_PrefixesEveryDangerousLeadingCharacter(string leading)
    {
        var (text, guarded) = Crm.Infrastructure.Exports.FormulaGuard.Neutralise(leading + "cmd|' /C calc'!A0");

        Assert.True(guarded);
        Assert.Equal("'" + leading + "cmd|' /C calc'!A0", text);
    }

    [Fact]
    public async Task Csv_NeutralisesFormulas_AsOwaspEscapesThem_ButNotNumbers()
    {
        // What can be stored (leading spaces, tabs and line breaks are trimmed on the way in) is guarded on the way out.
        foreach (var (c, i) in new[] { "=", "+", "-", "@", "＝", "＋", "－", "＠" }.Select((c, i) => (c, i)))
            await ContactAsync(new ContactInput { FirstName = $"P{i:00}", JobTitle = c + "cmd|' /C calc'!A0" });
        var examples = InjectionCases().GetProperty("owasp_examples").EnumerateArray().ToList();
        foreach (var (example, i) in examples.Select((e, i) => (e, i)))
            await ContactAsync(new ContactInput { FirstName = $"Q{i}", JobTitle = example.GetProperty("input").GetString() });
        await ContactAsync(new ContactInput { FirstName = "Zed", LeadScore = 0 });

        var (_, file) = await ExportAsync(Contacts(ExportFormat.Csv, new ExportFilter { Sort = "firstName" }, "firstName", "jobTitle", "leadScore"));

        var lines = Encoding.UTF8.GetString(file).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        foreach (var (c, i) in new[] { "=", "+", "-", "@", "＝", "＋", "－", "＠" }.Select((c, i) => (c, i)))
            Assert.Contains($"P{i:00},\"'{c}cmd|' /C calc'!A0\",", lines);
        // OWASP's own examples, escaped exactly as OWASP writes them.
        foreach (var (example, i) in examples.Select((e, i) => (e, i)))
            Assert.Contains($"Q{i},{example.GetProperty("escaped_output").GetString()},", lines);
        Assert.Contains("Zed,,0", lines);
    }

    [Fact]
    public async Task AccountsAndDeals_ExportTheirCustomFields_UnderTheirLabels_AndReimportUnderThem()
    {
        await Host.RunAsync<CreateCustomFieldHandler, CustomFieldView>(Ws.Admin(), h => h.HandleAsync(new NewCustomFieldInput { RecordType = RecordType.Account, Label = "Employees", Type = CustomFieldType.Number }));
        await Host.RunAsync<CreateCustomFieldHandler, CustomFieldView>(Ws.Admin(), h => h.HandleAsync(new NewCustomFieldInput { RecordType = RecordType.Deal, Label = "Renewal", Type = CustomFieldType.Date }));
        await Host.RunAsync<CreateAccountHandler, AccountDetails>(Ws.Admin(), h => h.HandleAsync(new AccountInput { Name = "Globex", CustomFields = new() { ["employees"] = "1200" } }));
        await Host.RunAsync<Crm.Core.Deals.CreateDealHandler, Crm.Core.Deals.DealDetails>(Ws.Admin(), h => h.HandleAsync(new Crm.Core.Deals.DealInput { Name = "Renewal 2027", CustomFields = new() { ["renewal"] = "2027-03-01" } }));

        var (_, accounts) = await ExportAsync(new ExportRequest { Format = ExportFormat.Csv, Parts = [new ExportPart { Object = ExportObject.Account, Fields = ["name", "custom.employees"] }] });
        var (_, deals) = await ExportAsync(new ExportRequest { Format = ExportFormat.Csv, Parts = [new ExportPart { Object = ExportObject.Deal, Fields = ["name", "custom.renewal"] }] });

        Assert.Equal(["Name,Employees (custom)", "Globex,1200"], Encoding.UTF8.GetString(accounts).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["Deal Name,Renewal (custom)", "Renewal 2027,2027-03-01"], Encoding.UTF8.GetString(deals).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
        // The export's header is a name our import maps back to the same field.
        var draft = await Host.UploadAsync(Ws, Encoding.UTF8.GetString(accounts).TrimStart('\uFEFF'), RecordType.Account, "accounts.csv");
        Assert.Equal("custom.employees", draft.Mapping.Columns.Single(c => c.Header == "Employees (custom)").Field);
        // Every catalog lists only its own type's fields.
        var catalog = await Host.RunAsync<ListExportFieldsHandler, IReadOnlyList<ExportField>>(Ws.Admin(), h => h.HandleAsync(ExportObject.Contact));
        Assert.DoesNotContain(catalog, f => f.IsCustom);
    }

    [Fact]
    public void FormulaGuard_LeavesNegativeNumbersInNumericColumns_AndOrdinaryTextAlone()
    {
        var cells = new Crm.Infrastructure.Exports.CsvCells(System.Globalization.CultureInfo.InvariantCulture, false);

        Assert.Equal(("-5", false), cells.Text(ExportKind.Integer, -5L));
        Assert.Equal(("-12.5", false), cells.Text(ExportKind.Decimal, -12.5m));
        Assert.Equal(("'-5", true), cells.Text(ExportKind.Text, "-5"));
        Assert.Equal(("Ada", false), cells.Text(ExportKind.Text, "Ada"));
        Assert.Equal(("a=b", false), cells.Text(ExportKind.Text, "a=b"));
    }

    [Theory]
    [InlineData("de-DE", ';', "1234,5")]
    [InlineData("fr-FR", ';', "1234,5")]
    [InlineData("en-US", ',', "1234.5")]
    public async Task ExcelFriendlyCsv_HasABom_TheCulturesSeparator_AndDecimalComma(string culture, char separator, string amount)
    {
        await Host.RunAsync<Crm.Core.Deals.CreateDealHandler, Crm.Core.Deals.DealDetails>(Ws.Admin(), h => h.HandleAsync(new Crm.Core.Deals.DealInput { Name = "Big; deal", Amount = 1234.5m }));

        var (_, file) = await ExportAsync(new ExportRequest
        {
            Format = ExportFormat.Csv, ExcelFriendly = true, Culture = culture,
            Parts = [new ExportPart { Object = ExportObject.Deal, Fields = ["name", "amount", "stage"] }],
        });

        Assert.Equal([0xEF, 0xBB, 0xBF], file[..3]);
        var lines = Encoding.UTF8.GetString(file[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"Deal Name{separator}Amount{separator}Deal Stage", lines[0]);
        var name = separator == ';' ? "\"Big; deal\"" : "Big; deal";
        Assert.Equal($"{name}{separator}{amount}{separator}Qualification", lines[1]);
    }

    [Fact]
    public async Task Json_AndNdjson_AreTyped()
    {
        await SeedAsync();
        var fields = new[] { "id", "firstName", "additionalEmails", "leadScore", "lifecycle", "custom.shoe_size", "createdAt" };

        var (_, json) = await ExportAsync(Contacts(ExportFormat.Json, new ExportFilter { Search = "ada" }, fields));
        var (_, ndjson) = await ExportAsync(Contacts(ExportFormat.Ndjson, new ExportFilter { Sort = "firstName" }, fields));

        var ada = Assert.Single(JsonDocument.Parse(json).RootElement.EnumerateArray());
        Assert.Equal(JsonValueKind.Number, ada.GetProperty("id").ValueKind);
        Assert.Equal(("Ada", 90, "customer", 38.5m), (ada.GetProperty("firstName").GetString(), ada.GetProperty("leadScore").GetInt32(),
            ada.GetProperty("lifecycle").GetString(), ada.GetProperty("custom.shoe_size").GetDecimal()));
        Assert.Equal(["countess@example.com"], ada.GetProperty("additionalEmails").EnumerateArray().Select(e => e.GetString()));
        Assert.EndsWith("Z", ada.GetProperty("createdAt").GetString());
        var lines = Encoding.UTF8.GetString(ndjson).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["Ada", "Grace", "Ünïcødé"], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("firstName").GetString()));
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(lines[1]).RootElement.GetProperty("leadScore").ValueKind);
    }

    [Fact]
    public async Task Xlsx_HasTypedCells_ABoldFrozenHeader_AndOneSheetPerObjectType()
    {
        await SeedAsync();
        await Host.RunAsync<Crm.Core.Deals.CreateDealHandler, Crm.Core.Deals.DealDetails>(Ws.Admin(), h => h.HandleAsync(new Crm.Core.Deals.DealInput { Name = "Engines", Amount = 1234.5m, CloseDate = new DateOnly(2026, 3, 31) }));

        var (view, file) = await ExportAsync(new ExportRequest
        {
            Format = ExportFormat.Xlsx,
            Parts =
            [
                new ExportPart { Object = ExportObject.Contact, Filter = new ExportFilter { Sort = "firstName" }, Fields = ["firstName", "leadScore", "createdAt"] },
                new ExportPart { Object = ExportObject.Deal, Fields = ["name", "amount", "closeDate"] },
            ],
        });

        Assert.Equal(4, view.RowsWritten);
        await using var stream = new MemoryStream(file);
        Assert.Equal(["Contacts", "Deals"], MiniExcel.GetSheetNames(stream));
        var contacts = MiniExcel.Query(stream, useHeaderRow: true, sheetName: "Contacts").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(["Ada", "Grace", "Ünïcødé"], contacts.Select(r => r["First Name"]));
        Assert.Equal(90d, contacts[0]["Lead Score"]);
        Assert.IsType<DateTime>(contacts[0]["Created At"]);
        var deal = MiniExcel.Query(stream, useHeaderRow: true, sheetName: "Deals").Cast<IDictionary<string, object?>>().Single();
        Assert.Equal((1234.5d, new DateTime(2026, 3, 31)), (deal["Amount"], deal["Close Date"]));

        using var zip = new ZipArchive(new MemoryStream(file));
        var sheet = await new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open()).ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.Contains("state=\"frozen\"", sheet);
        var styles = await new StreamReader(zip.GetEntry("xl/styles.xml")!.Open()).ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.Contains("<x:b", styles);
    }

    [Fact]
    public async Task OverTheRowLimit_IsRefusedWithTheCount_UntilAnAdminRaisesIt()
    {
        for (var i = 0; i < 5; i++) await ContactAsync(new ContactInput { FirstName = $"P{i}" });
        await Host.RunAsync<UpdateExportSettingsHandler, ExportSettingsView>(Ws.Admin(), h => h.HandleAsync(new ExportSettingsInput { RowLimit = 3 }));

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => Host.RunAsync<StartExportHandler, ExportView>(Ws.Admin(), h => h.HandleAsync(Contacts(ExportFormat.Csv))));
        Assert.Equal("This export would hold 5 contacts; the workspace's limit is 3 rows per export. Narrow the list, or ask an admin to raise the limit.", refused.Errors["Rows"].Single());
        var (view, _) = await ExportAsync(Contacts(ExportFormat.Csv, new ExportFilter { Search = "P1" }));
        Assert.Equal(1, view.RowsWritten);

        await Host.RunAsync<UpdateExportSettingsHandler, ExportSettingsView>(Ws.Admin(), h => h.HandleAsync(new ExportSettingsInput { RowLimit = 10 }));
        Assert.Equal(5, (await ExportAsync(Contacts(ExportFormat.Csv))).View.RowsWritten);
        await Assert.ThrowsAsync<ValidationFailedException>(() => Host.RunAsync<UpdateExportSettingsHandler, ExportSettingsView>(Ws.Admin(),
            h => h.HandleAsync(new ExportSettingsInput { RowLimit = 20_000_000 })));
    }

    [Fact]
    public async Task AdminOnlyExports_AreRefusedToReps_AndAnotherWorkspaceFindsNothing()
    {
        await ContactAsync(new ContactInput { FirstName = "Ada" });
        var repUser = await Host.RunAsync<CreateUserHandler, UserView>(Ws.Admin(), h => h.HandleAsync(new NewUserInput { Name = "Riley", Email = "riley@acme.example", Role = UserRole.Rep }));
        var rep = new Actor(Ws.Id, repUser.Id, UserRole.Rep, ChangeSource.User);

        var (repsOwn, _) = await ExportAsync(Contacts(ExportFormat.Csv), rep);
        Assert.Equal(ExportStatus.Completed, repsOwn.Status);

        await Host.RunAsync<UpdateExportSettingsHandler, ExportSettingsView>(Ws.Admin(), h => h.HandleAsync(new ExportSettingsInput { AdminOnly = true }));
        var (adminOnly, _) = await ExportAsync(Contacts(ExportFormat.Csv));
        Assert.True(adminOnly.AdminOnly);
        await Assert.ThrowsAsync<ForbiddenException>(() => Host.RunAsync<DownloadExportHandler, ExportFile>(rep, h => h.HandleAsync(adminOnly.Id)));
        await Assert.ThrowsAsync<ForbiddenException>(() => Host.RunAsync<StartExportHandler, ExportView>(rep, h => h.HandleAsync(Contacts(ExportFormat.Csv))));
        // The setting is read when a file is asked for: the rep's own earlier export is closed to them too, and the list.
        await Assert.ThrowsAsync<ForbiddenException>(() => Host.RunAsync<DownloadExportHandler, ExportFile>(rep, h => h.HandleAsync(repsOwn.Id)));
        await Assert.ThrowsAsync<ForbiddenException>(() => Host.RunAsync<GetExportHandler, ExportView>(rep, h => h.HandleAsync(repsOwn.Id)));
        await Assert.ThrowsAsync<ForbiddenException>(() => Host.RunAsync<ListExportsHandler, PagedResult<ExportView>>(rep, h => h.HandleAsync()));
        // Switched off again, the rep's earlier export opens; the one made while it was on stays for admins.
        await Host.RunAsync<UpdateExportSettingsHandler, ExportSettingsView>(Ws.Admin(), h => h.HandleAsync(new ExportSettingsInput { AdminOnly = false }));
        (await Host.RunAsync<DownloadExportHandler, ExportFile>(rep, h => h.HandleAsync(repsOwn.Id))).Content.Dispose();
        await Assert.ThrowsAsync<ForbiddenException>(() => Host.RunAsync<DownloadExportHandler, ExportFile>(rep, h => h.HandleAsync(adminOnly.Id)));

        var other = await Host.CreateWorkspaceAsync("Other");
        await Assert.ThrowsAsync<NotFoundException>(() => Host.RunAsync<DownloadExportHandler, ExportFile>(other.Admin(), h => h.HandleAsync(adminOnly.Id)));
        await Assert.ThrowsAsync<NotFoundException>(() => Host.RunAsync<GetExportHandler, ExportView>(other.Admin(), h => h.HandleAsync(adminOnly.Id)));
        Assert.Equal(0, (await Host.RunAsync<ListExportsHandler, PagedResult<ExportView>>(other.Admin(), h => h.HandleAsync())).Total);
    }

    [Fact]
    public async Task ExpiredExports_LoseTheirFile_AndSaySo()
    {
        await ContactAsync(new ContactInput { FirstName = "Ada" });
        var (view, _) = await ExportAsync(Contacts(ExportFormat.Csv));
        var files = Host.Resolve<IFileStore>();
        await using var db = Host.Database.Create(Actor.System(Ws.Id));
        var key = (await db.ExportJobs.SingleAsync(j => j.Id == view.Id, TestContext.Current.CancellationToken)).FileKey!;
        Assert.True(files.Exists(key));
        Assert.Equal(view.CompletedAt!.Value.AddHours(24), view.ExpiresAt);

        await ExportExpiry.RunAsync(Host.Database, files, view.ExpiresAt!.Value.AddMinutes(-1), TestContext.Current.CancellationToken);
        Assert.True(files.Exists(key));
        var expired = await ExportExpiry.RunAsync(Host.Database, files, view.ExpiresAt!.Value.AddMinutes(1), TestContext.Current.CancellationToken);

        Assert.Equal(1, expired);
        Assert.False(files.Exists(key));
        Assert.Equal(ExportStatus.Expired, (await Host.RunAsync<GetExportHandler, ExportView>(Ws.Admin(), h => h.HandleAsync(view.Id))).Status);
        var gone = await Assert.ThrowsAsync<ExportGoneException>(() => Host.RunAsync<DownloadExportHandler, ExportFile>(Ws.Admin(), h => h.HandleAsync(view.Id)));
        Assert.Contains("expired", gone.Message);
    }

    [Fact]
    public async Task AnExportWhoseRunnerDied_IsQueuedAgainByTheRescue_AndFinishes()
    {
        await ContactAsync(new ContactInput { FirstName = "Ada" });
        var started = await Host.RunAsync<StartExportHandler, ExportView>(Ws.Admin(), h => h.HandleAsync(Contacts(ExportFormat.Csv)));
        Assert.Equal(1, Host.Exports.Pending);
        // The process died mid-export: the export says "processing", its run's heartbeat went quiet, the queued work is lost.
        var runs = Host.Resolve<IRunService>();
        var run = (await runs.LatestAsync(Ws.Id, RunKind.Export, started.Id, TestContext.Current.CancellationToken))!;
        Assert.NotNull(await runs.ClaimAsync(run.Id, "dead", TestContext.Current.CancellationToken));
        await using (var db = Host.Database.Create(Actor.System(Ws.Id)))
            await db.ExportJobs.Where(j => j.Id == started.Id).ExecuteUpdateAsync(x => x.SetProperty(j => j.Status, ExportStatus.Processing), TestContext.Current.CancellationToken);
        await Host.Exports.RunAllAsync(TestContext.Current.CancellationToken); // the lost worker: the run is the dead runner's
        Assert.Equal(ExportStatus.Processing, (await Host.RunAsync<GetExportHandler, ExportView>(Ws.Admin(), h => h.HandleAsync(started.Id))).Status);
        Assert.Equal(0, await RunRescueJob.RescueAsync(runs, Host.Runs, TestContext.Current.CancellationToken));

        Host.Time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(1, await RunRescueJob.RescueAsync(runs, Host.Runs, TestContext.Current.CancellationToken));
        Assert.Equal(1, Host.Exports.Pending);
        await Host.Exports.RunAllAsync(TestContext.Current.CancellationToken);

        var view = await Host.RunAsync<GetExportHandler, ExportView>(Ws.Admin(), h => h.HandleAsync(started.Id));
        Assert.Equal((ExportStatus.Completed, 1), (view.Status, view.RowsWritten));
        var finished = (await runs.GetAsync(run.Id, TestContext.Current.CancellationToken))!;
        Assert.Equal((RunStatus.Succeeded, 2, 1L), (finished.Status, finished.Attempts, finished.Done));
    }

    [Fact]
    public async Task ExportedContacts_ImportedBackWithUpdate_ChangeNothing()
    {
        await SeedAsync();
        var fields = ExportFields.For(ExportObject.Contact, [new CustomFieldView(0, RecordType.Contact, "shoe_size", "Shoe size", CustomFieldType.Number)])
            .Where(f => f.Key is not ("createdAt" or "updatedAt" or "ownerName")).Select(f => f.Key).ToArray();
        var (_, file) = await ExportAsync(Contacts(ExportFormat.Csv, null, fields));
        var before = await StateAsync();

        var draft = await Host.UploadAsync(Ws, file, RecordType.Contact, "contacts.csv");
        Assert.Equal(fields.Length, draft.Mapping.Columns.Count(c => c.Field is not null));
        Assert.Equal("id", draft.Mapping.Columns.Single(c => c.Header == "Record ID").Field);
        var import = await Host.RunAsync<StartImportHandler, ImportView>(Ws.Admin(), h => h.HandleAsync(draft.ImportId, draft.Mapping,
            draft.Options with { Strategy = DuplicateStrategy.Update, MatchField = "id" }));
        await Host.Jobs.RunAllAsync(ct: TestContext.Current.CancellationToken);
        import = await Host.RunAsync<GetImportHandler, ImportView>(Ws.Admin(), h => h.HandleAsync(import.Id));

        Assert.Equal((ImportStatus.Completed, 3, 0, 0, 0), (import.Status, import.RowsSkipped, import.RowsUpdated, import.RowsCreated, import.RowsFailed));
        Assert.Equal(before, await StateAsync());
    }

    [Theory]
    [InlineData(ExportFormat.Csv, "contacts.csv")]
    [InlineData(ExportFormat.Xlsx, "contacts.xlsx")]
    public async Task OurOwnExport_ImportedBackWithTheSuggestedOptions_ChangesNothing(ExportFormat format, string fileName)
    {
        await SeedAsync();
        // What real data holds: a contact without an email, a phone typed by hand, a street on two lines.
        await ContactAsync(new ContactInput { FirstName = "No", LastName = "Email", Phone = "(415) 555-2671", Street = "1 Main Street\r\nFloor 2" });
        var fields = ExportFields.For(ExportObject.Contact, [new CustomFieldView(0, RecordType.Contact, "shoe_size", "Shoe size", CustomFieldType.Number)])
            .Where(f => f.Key is not ("createdAt" or "updatedAt" or "ownerName")).Select(f => f.Key).ToArray();
        var (_, file) = await ExportAsync(Contacts(format, null, fields));
        var before = await StateAsync();

        var draft = await Host.UploadAsync(Ws, file, RecordType.Contact, fileName);
        Assert.Equal("id", draft.Options.MatchField);
        var import = await Host.RunAsync<StartImportHandler, ImportView>(Ws.Admin(), h => h.HandleAsync(draft.ImportId, draft.Mapping, draft.Options));
        await Host.Jobs.RunAllAsync(ct: TestContext.Current.CancellationToken);
        import = await Host.RunAsync<GetImportHandler, ImportView>(Ws.Admin(), h => h.HandleAsync(import.Id));

        var errors = string.Join("; ", (await Host.ErrorsAsync(Ws, import.Id)).Items.Select(e => $"{e.Column}: {e.Message}"));
        Assert.True((ImportStatus.Completed, 4, 0, 0, 0) == (import.Status, import.RowsSkipped, import.RowsUpdated, import.RowsCreated, import.RowsFailed),
            $"{import.RowsSkipped} skipped, {import.RowsUpdated} updated, {import.RowsCreated} created, {import.RowsFailed} failed: {errors}");
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task AnotherSystemsRecordIds_DoNotMakeTheImportMatchById_EvenWhenTheyAreAlsoOurs()
    {
        await SeedAsync();
        long[] ids;
        await using (var db = Host.Database.Create(Actor.System(Ws.Id)))
            ids = await db.Contacts.OrderBy(c => c.Id).Select(c => c.Id).ToArrayAsync(TestContext.Current.CancellationToken);

        var unknown = await Host.UploadAsync(Ws, "Record ID,Email,First Name\n90210,new@example.com,New\n90211,other@example.com,Other\n");
        // HubSpot's record ids 1, 2, 3 are ids of our contacts too, but not of these people.
        var coincident = await Host.UploadAsync(Ws, $"Record ID,Email,First Name\n{ids[0]},new@example.com,New\n{ids[1]},other@example.com,Other\n");

        Assert.Equal(("email", "email"), (unknown.Options.MatchField, coincident.Options.MatchField));
    }

    private async Task<string> StateAsync()
    {
        await using var db = Host.Database.Create(Actor.System(Ws.Id));
        var contacts = await db.Contacts.AsNoTracking().OrderBy(c => c.Id).ToListAsync(TestContext.Current.CancellationToken);
        var history = await db.FieldChanges.CountAsync(TestContext.Current.CancellationToken);
        var accounts = await db.Accounts.CountAsync(TestContext.Current.CancellationToken);
        return JsonSerializer.Serialize(new { contacts, history, accounts });
    }

    [Fact]
    public async Task FieldSets_AreSavedPerObjectType_AndUnknownFieldsAreRefused()
    {
        var saved = await Host.RunAsync<SaveExportFieldSetHandler, ExportFieldSetView>(Ws.Admin(), h => h.HandleAsync(ExportObject.Contact, "Mailing", ["firstName", "email", "company"]));
        await Host.RunAsync<SaveExportFieldSetHandler, ExportFieldSetView>(Ws.Admin(), h => h.HandleAsync(ExportObject.Contact, "Mailing", ["email"]));

        var sets = await Host.RunAsync<ListExportFieldSetsHandler, IReadOnlyList<ExportFieldSetView>>(Ws.Admin(), h => h.HandleAsync(ExportObject.Contact));
        Assert.Equal(["email"], Assert.Single(sets).Fields);
        Assert.Empty(await Host.RunAsync<ListExportFieldSetsHandler, IReadOnlyList<ExportFieldSetView>>(Ws.Admin(), h => h.HandleAsync(ExportObject.Deal)));
        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Host.RunAsync<SaveExportFieldSetHandler, ExportFieldSetView>(Ws.Admin(), h => h.HandleAsync(ExportObject.Contact, "Bad", ["email", "favouriteColour"])));
        Assert.Contains("'favouriteColour' is not a field of contacts", error.Errors["Fields"].Single());
        Assert.NotEqual(0, saved.Id);
    }

    [Fact]
    public async Task Activities_AndSeveralTypesInOneCsv_AreHandled()
    {
        var ada = await ContactAsync(new ContactInput { FirstName = "Ada", LastName = "Lovelace", Email = "ada@example.com" });
        await Host.RunAsync<Crm.Core.Timeline.CreateActivityHandler, Crm.Core.Timeline.ActivityDto>(Ws.Admin(), h => h.HandleAsync(new Crm.Core.Timeline.ActivityInput
        {
            Type = Crm.Core.Timeline.ActivityType.Task, ContactId = ada.Id, Title = "Send the brochure", OccurredAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        }));

        var (view, file) = await ExportAsync(new ExportRequest { Format = ExportFormat.Csv, Parts = [new ExportPart { Object = ExportObject.Activity, Fields = ["type", "subject", "contact", "contactName", "done", "occurredAt"] }] });

        Assert.Equal(1, view.RowsWritten);
        Assert.Equal("task,Send the brochure,ada@example.com,Ada Lovelace,false,2026-01-02T03:04:05Z", Encoding.UTF8.GetString(file).Split("\r\n")[1]);
        var several = await Assert.ThrowsAsync<ValidationFailedException>(() => Host.RunAsync<StartExportHandler, ExportView>(Ws.Admin(), h => h.HandleAsync(new ExportRequest
        {
            Format = ExportFormat.Csv, Parts = [new ExportPart { Object = ExportObject.Contact }, new ExportPart { Object = ExportObject.Deal }],
        })));
        Assert.Contains("choose XLSX", several.Errors["Format"].Single());
    }
}
