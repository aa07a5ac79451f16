using System.Globalization;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Exports;
using Crm.Tests.TestSupport;

namespace Crm.Tests.Infrastructure.Exports;

/// <summary>Exported files as real spreadsheet software reads them: LibreOffice converts them, cell by cell they must match.</summary>
public class SpreadsheetSoftwareTests : WorkspaceTests
{
    private static readonly string[] Fields = ["id", "firstName", "lastName", "email", "jobTitle", "leadScore", "city", "createdAt"];

    private async Task<List<string[]>> ExpectedAsync()
    {
        foreach (var (first, last, title, city, score) in new (string, string, string?, string?, int?)[]
        {
            ("Ada", "Lovelace", "Countess, \"of\" Lovelace", "London", 90),
            ("Zoë", "日本語 テスト", "Ingénieure\nseconde ligne", "Zürich", null),
            ("Grace", "Hopper 🚀", "=HYPERLINK(\"http://evil.example\")", "Arlington", 0),
            ("Иван", "Петров", "-5", "Москва", 42),
            ("Jean", "Dupont", "Line one\r\nline two", "Paris", 7),
        })
            await Host.RunAsync<CreateContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(new ContactInput
            {
                FirstName = first, LastName = last, Email = $"{first.ToLowerInvariant()}@example.com", JobTitle = title, City = city, LeadScore = score,
            }));
        await using var db = Host.Database.Create(Actor.System(Ws.Id));
        return db.Contacts.OrderBy(c => c.Id).AsEnumerable().Select(c => new[]
        {
            c.Id.ToString(CultureInfo.InvariantCulture), c.FirstName!, c.LastName!, c.Email!, c.JobTitle ?? "", c.LeadScore?.ToString(CultureInfo.InvariantCulture) ?? "",
            c.City ?? "", c.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        }).ToList();
    }

    [Theory]
    [InlineData(ExportFormat.Xlsx)]
    [InlineData(ExportFormat.Csv)]
    public async Task LibreOffice_ReadsTheExport_CellByCell(ExportFormat format)
    {
        var expected = await ExpectedAsync();
        var started = await Host.RunAsync<StartExportHandler, ExportView>(Ws.Admin(), h => h.HandleAsync(new ExportRequest
        {
            Format = format, Parts = [new ExportPart { Object = ExportObject.Contact, Filter = new ExportFilter { Sort = "createdAt" }, Fields = [.. Fields] }],
        }));
        await Host.Exports.RunAllAsync(TestContext.Current.CancellationToken);
        var file = await Host.RunAsync<DownloadExportHandler, ExportFile>(Ws.Admin(), h => h.HandleAsync(started.Id));
        var directory = TestPaths.NewTempDirectory("libreoffice");
        var input = Path.Combine(directory, "export." + (format == ExportFormat.Xlsx ? "xlsx" : "csv"));
        await using (var output = File.Create(input)) await using (file.Content) await file.Content.CopyToAsync(output, TestContext.Current.CancellationToken);

        var rows = await LibreOffice.ConvertToCsvAsync(input, directory);

        Assert.Equal(["Record ID", "First Name", "Last Name", "Email", "Job Title", "Lead Score", "City", "Created At"], rows[0]);
        Assert.Equal(expected.Count, rows.Count - 1);
        for (var r = 0; r < expected.Count; r++)
        {
            var row = rows[r + 1];
            // The formula guard's apostrophe: a CSV cell keeps it as text, an XLSX cell never needed it.
            var title = expected[r][4];
            var shownTitle = format == ExportFormat.Csv && Crm.Core.Common.FormulaText.StartsDangerously(title) ? "'" + title : title;
            // LibreOffice reads a CSV cell's CR LF as one line feed (our import keeps both); from XLSX it keeps both.
            if (format == ExportFormat.Csv) shownTitle = shownTitle.Replace("\r\n", "\n", StringComparison.Ordinal);
            Assert.Equal(expected[r][..4], row[..4]);
            Assert.Equal(shownTitle, row[4]);
            Assert.Equal(expected[r][5], row[5]);
            Assert.Equal(expected[r][6], row[6]);
            Assert.Equal(DateTime.Parse(expected[r][7], CultureInfo.InvariantCulture), DateTime.Parse(row[7].Replace('T', ' ').TrimEnd('Z'), CultureInfo.InvariantCulture));
        }
    }
}
