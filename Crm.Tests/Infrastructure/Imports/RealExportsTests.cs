using Crm.Core.Common;
using Crm.Core.Imports;
using Crm.Tests.TestSupport;

namespace Crm.Tests.Infrastructure.Imports;

/// <summary>The real files of other systems in Crm.Tests/TestData: how they map, and that each imports or is refused with a reason.</summary>
public class RealExportsTests : WorkspaceTests
{
    public static TheoryData<string> EveryFile() =>
        new(TestPaths.TestDataFiles("csv").Concat(TestPaths.TestDataFiles("csv-edge"))
            .Select(f => Path.GetRelativePath(TestPaths.TestData, f)).Order(StringComparer.Ordinal).ToArray());

    /// <summary>What each file holds, as a person would choose it on the upload page.</summary>
    private static RecordType TypeOf(string file) => Path.GetFileName(file) switch
    {
        "accountData.csv" or "m2m_customers_tags.csv" or "acctsWithBinaryDataInRTF.csv" or "dateWithTimeZone.csv" or "emptyFirstRowFieldValueInCsvTemplate.csv"
            or "timeZoneFormatTesting.csv" => RecordType.Account,
        "opportunityData.csv" => RecordType.Deal,
        _ => RecordType.Contact,
    };

    [Theory]
    [MemberData(nameof(EveryFile))]
    public async Task EveryFile_EitherImports_OrIsRefusedWithAReason(string file)
    {
        var path = Path.Combine(TestPaths.TestData, file);
        var type = TypeOf(file);
        string? refusal = null;
        ImportView? import = null;
        try
        {
            var draft = await Host.UploadAsync(Ws, await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken), type, Path.GetFileName(path));
            var started = await Host.RunAsync<StartImportHandler, ImportView>(Ws.Admin(), h => h.HandleAsync(draft.ImportId, draft.Mapping, draft.Options));
            await Host.Jobs.RunAllAsync();
            import = await Host.RunAsync<GetImportHandler, ImportView>(Ws.Admin(), h => h.HandleAsync(started.Id));
        }
        catch (ValidationFailedException e)
        {
            refusal = string.Join(" ", e.Errors.SelectMany(x => x.Value));
        }

        if (refusal is not null)
        {
            TestContext.Current.SendDiagnosticMessage($"{file}: refused — {refusal}");
            Assert.True(refusal.Length > 20, $"The refusal of {file} says too little: {refusal}");
            return;
        }
        TestContext.Current.SendDiagnosticMessage($"{file}: {import!.Status}, {import.RowsCreated} created, {import.RowsFailed} failed");
        Assert.Equal(ImportStatus.Completed, import.Status);
        Assert.Equal(import.TotalRows, import.RowsProcessed);
        Assert.Equal(import.RowsProcessed, import.RowsCreated + import.RowsUpdated + import.RowsSkipped + import.RowsFailed);
        var errors = await Host.ErrorsAsync(Ws, import.Id);
        Assert.All(errors.Items, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
        // Refused rows are listed once each; values left empty are listed too, on rows that came in.
        Assert.Equal(import.RowsFailed, errors.Items.Where(e => !e.Kept).Select(e => e.RowNumber).Distinct().Count());
    }

    public static TheoryData<string, RecordType, string> RealExportMappings() => new()
    {
        // Old Google Contacts (roundcube): values, not their "- Type" descriptions; the street, not the formatted block.
        { "csv/roundcube/gmail.csv", RecordType.Contact, "Name→fullName; Given Name→firstName; Family Name→lastName; E-mail 1 - Value→email; E-mail 2 - Value→additionalEmails; E-mail 3 - Value→additionalEmails; E-mail 4 - Value→additionalEmails; Phone 1 - Value→phone; Address 1 - Street→street; Address 1 - City→city; Address 1 - Region→region; Address 1 - Postal Code→postalCode; Address 1 - Country→country; Organization 1 - Name→company; Organization 1 - Title→jobTitle" },
        // Outlook (60 columns, UTF-8 BOM): "Job Title" over the name prefix "Title", the work address over the home one.
        { "csv/roundcube/all.csv", RecordType.Contact, "Display Name→fullName; First Name→firstName; Last Name→lastName; Company→company; Job Title→jobTitle; Email Home→additionalEmails; Email Work→email; Email Other→additionalEmails; Primary Phone→phone; Business Street→street; Work City→city; Work State→region; Work Zip→postalCode; Work Country→country" },
        { "csv/roundcube/outlook.csv", RecordType.Contact, "E-mail Address→email; E-mail 2 Address→additionalEmails; E-mail 3 Address→additionalEmails" },
        // Thunderbird: the work address over the home one.
        { "csv/roundcube/tb_plain.csv", RecordType.Contact, "First Name→firstName; Last Name→lastName; Display Name→fullName; Primary Email→email; Secondary Email→additionalEmails; Mobile Number→phone; Work Address→street; Work City→city; Work State→region; Work ZipCode→postalCode; Work Country→country; Job Title→jobTitle; Organization→company" },
        // Odoo: people with their company.
        { "csv/odoo/o2m_customers_contacts.csv", RecordType.Contact, "Name→fullName; Is a company→isCompany; Related company→company; Street→street; ZIP→postalCode; City→city; State→region; Country→country" },
        { "csv/odoo/m2m_customers_tags.csv", RecordType.Account, "Name→name; Street→street; City→city; Country→country" },
        // Salesforce Data Loader extracts: API names as headers; Salesforce ids are not ours.
        { "csv/salesforce-dataloader/accountData.csv", RecordType.Account, "NAME→name; BILLINGSTREET→street; BILLINGCITY→city; BILLINGSTATE→region; BILLINGPOSTALCODE→postalCode; BILLINGCOUNTRY→country; PHONE→phone; WEBSITE→domain; INDUSTRY→industry" },
        { "csv/salesforce-dataloader/opportunityData.csv", RecordType.Deal, "ACCOUNTID→company; NAME→name; STAGENAME→stage; AMOUNT→amount; PROBABILITY→probability; CLOSEDATE→closeDate" },
    };

    [Theory]
    [MemberData(nameof(RealExportMappings))]
    public async Task RealExport_IsMappedAsExpected(string file, RecordType type, string expected)
    {
        var draft = await Host.UploadAsync(Ws, await File.ReadAllBytesAsync(Path.Combine(TestPaths.TestData, file), TestContext.Current.CancellationToken), type, Path.GetFileName(file));

        var actual = string.Join("; ", draft.Mapping.Columns.Where(c => c.Field is not null).Select(c => $"{c.Header}→{c.Field}"));

        Assert.Equal(expected, actual);
    }
}
