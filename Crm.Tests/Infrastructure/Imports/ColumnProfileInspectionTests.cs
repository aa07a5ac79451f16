using System.Text;
using Crm.Core.Common;
using Crm.Core.Imports;
using Crm.Infrastructure.Imports;
using Crm.Tests.TestSupport;

namespace Crm.Tests.Infrastructure.Imports;

/// <summary>
/// The inspection's one pass profiles every column over the whole file — not only the rows shown as samples — so the
/// mapping page knows before any test which columns are empty and which picklist values match no option.
/// </summary>
public sealed class ColumnProfileInspectionTests : IAsyncLifetime
{
    private readonly string _directory = TestPaths.NewTempDirectory("profile");
    private readonly TabularFileReader _reader = new(new PathStore());
    private CrmTestHost _host = default!;
    private TestWorkspace _ws = default!;

    public async ValueTask InitializeAsync()
    {
        _host = await CrmTestHost.StartAsync();
        _ws = await _host.CreateWorkspaceAsync("Acme");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        try { Directory.Delete(_directory, true); } catch (IOException) { }
    }

    private async Task<FileInspection> InspectAsync(string csv)
    {
        var path = Path.Combine(_directory, "file.csv");
        await File.WriteAllTextAsync(path, csv, TestContext.Current.CancellationToken);
        return await _reader.InspectAsync(path, "file.csv", null, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Inspection_ProfilesEveryRow_AValueFarBelowTheSamplesIncluded()
    {
        var csv = new StringBuilder("Notes: exported today\n\nEmail,Lifecycle Stage,Fax,Website\n");
        for (var i = 1; i <= 1_000; i++)
            csv.Append($"p{i}@example.com,{(i == 900 ? "subscriber" : i % 2 == 0 ? "Lead" : "customer")},,{(i == 950 ? "example.com" : "")}\n");
        var inspection = await InspectAsync(csv.ToString());

        Assert.Equal(2, inspection.Settings.HeaderRow); // counted among non-blank records
        Assert.Equal(1_000, inspection.TotalRows);
        Assert.Equal(4, inspection.Columns!.Count);
        Assert.Equal(1_000, inspection.ColumnAt(0).NonEmpty);
        Assert.Null(inspection.ColumnAt(0).Values); // every email differs
        Assert.Equal([new ValueCount("customer", 500), new ValueCount("Lead", 499), new ValueCount("subscriber", 1)], inspection.ColumnAt(1).Values);
        Assert.True(inspection.ColumnAt(2).IsEmpty);
        Assert.Equal(1, inspection.ColumnAt(3).NonEmpty);
    }

    [Fact]
    public async Task ShortFile_IsProfiledFromTheRowsAfterItsHeader()
    {
        var inspection = await InspectAsync("Name,Stage\nAcme deal,Won\nBeta deal,won\n");
        Assert.Equal([new ValueCount("Acme deal", 1), new ValueCount("Beta deal", 1)], inspection.ColumnAt(0).Values);
        Assert.Equal(2, inspection.ColumnAt(1).Values!.Count);
    }

    [Fact]
    public async Task AccountsFile_WithAnEmptyWebsiteColumn_IsMatchedByName_NotByAnEmptyDomain()
    {
        var draft = await _host.UploadAsync(_ws, "Account Name,Website,City\nAcme,,Denver\nGlobex,,Springfield\n", RecordType.Account, "accounts.csv");
        Assert.Contains(draft.Mapping.Columns, c => c.Header == "Website" && c.Field == "domain");
        Assert.Equal("name", draft.Options.MatchField);

        var withDomains = await _host.UploadAsync(_ws, "Account Name,Website,City\nAcme,acme.example,Denver\n", RecordType.Account, "accounts.csv");
        Assert.Equal("domain", withDomains.Options.MatchField);
    }
}
