using System.Text;
using System.Text.Json;
using Crm.Core.Imports;
using Crm.Infrastructure.Files;
using Crm.Infrastructure.Imports;
using Crm.Tests.TestSupport;
using MiniExcelLibs;

namespace Crm.Tests.Infrastructure.Imports;

/// <summary>Reading uploads: RFC 4180 corner cases, encodings, delimiters, preambles, spreadsheets and broken files.</summary>
public sealed class TabularFileReaderTests : IDisposable
{
    private static readonly string Spectrum = Path.Combine(TestPaths.TestData, "csv-edge", "csv-spectrum");
    private static readonly string DataLoaderEdge = Path.Combine(TestPaths.TestData, "csv-edge", "salesforce-dataloader");
    private readonly string _directory = TestPaths.NewTempDirectory("reader");
    private readonly TabularFileReader _reader = new(new PathStore());

    public void Dispose()
    {
        try { Directory.Delete(_directory, true); } catch (IOException) { }
    }

    public static TheoryData<string> SpectrumFiles() =>
        new(TestPaths.TestDataFiles(Path.Combine("csv-edge", "csv-spectrum"), "*.csv").Select(Path.GetFileNameWithoutExtension).Order().ToArray()!);

    [Theory]
    [MemberData(nameof(SpectrumFiles))]
    public async Task CsvSpectrum_ParsesExactlyAsItsExpectedJson(string name)
    {
        var (headers, rows) = await ReadAsync(Path.Combine(Spectrum, name + ".csv"));
        var actual = rows.Select(r => headers.Select((h, i) => (h, v: i < r.Length ? r[i] ?? "" : "")).ToDictionary(x => x.h, x => x.v)).ToList();

        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Spectrum, $"expected_{name}.json")));
        // Upstream's expected_location_coordinates.json is a single object, not an array.
        var expected = (document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.EnumerateArray().ToList() : [document.RootElement])
            .Select(o => o.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)).ToList();
        if (name == "location_coordinates")
        {
            // ...and its phone number is not the one in the CSV (1234567890 vs 2095257564): we read what the file says.
            Assert.Equal("2095257564", actual[0]["Contact Phone Number"]);
            expected[0]["Contact Phone Number"] = "2095257564";
        }
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("csvtext.csv", "utf-8")]
    [InlineData("csvtext_BOM_UTF8.csv", "utf-8")]
    [InlineData("csvtext_BOM_UTF16LE.csv", "utf-16le")]
    [InlineData("csvtext_BOM_UTF16BE.csv", "utf-16be")]
    [InlineData("csvtext_BOM_UTF32LE.csv", "utf-32le")]
    [InlineData("csvtext_BOM_UTF32BE.csv", "utf-32be")]
    public async Task ByteOrderMarks_AreDetected_AndEveryEncodingReadsTheSame(string file, string encoding)
    {
        var path = Path.Combine(DataLoaderEdge, file);
        var inspection = await _reader.InspectAsync(path, file, null, TestContext.Current.CancellationToken);
        var (headers, rows) = await ReadAsync(path);

        Assert.Equal(encoding, inspection.Settings.Encoding);
        Assert.Equal(["column1", "column2", "column3"], headers);
        Assert.Equal([["row1-1", "row1-2", "row1-3"], ["row2-1", "row2-2", "row2-3"]], rows);
    }

    [Fact]
    public async Task BytesThatAreNotUtf8_AreReadAsWindows1252_WithAWarning_AndAnOverrideWins()
    {
        var path = Write("latin.csv", Encoding.Latin1.GetBytes("Name,City\nJosé Müller,Zürich\n"));

        var inspection = await _reader.InspectAsync(path, "latin.csv", null, TestContext.Current.CancellationToken);
        var (_, rows) = await ReadAsync(path);

        Assert.Equal("windows-1252", inspection.Settings.Encoding);
        Assert.Contains(inspection.Warnings, w => w.Contains("Windows-1252", StringComparison.Ordinal));
        Same(rows.Single(), "José Müller", "Zürich");

        var forced = await _reader.InspectAsync(path, "latin.csv", new ImportFileSettings { Encoding = "utf-8" }, TestContext.Current.CancellationToken);
        Assert.Equal("utf-8", forced.Settings.Encoding);
    }

    [Theory]
    [InlineData("Name;Email;City\nAda;ada@example.com;London\nGrace;grace@example.com;Arlington\n", ';')]
    [InlineData("Name\tEmail\tCity\nAda\tada@example.com\tLondon\nGrace\tgrace@example.com\tArlington\n", '\t')]
    [InlineData("Name|Email|City\nAda|ada@example.com|London\nGrace|grace@example.com|Arlington\n", '|')]
    [InlineData("Name,Email,City\n\"Lovelace; Ada\",ada@example.com,London\nGrace,grace@example.com,Arlington\n", ',')]
    public async Task Delimiter_IsSniffed_AmongCommaSemicolonTabAndPipe(string content, char delimiter)
    {
        var path = Write("people.csv", Encoding.UTF8.GetBytes(content));

        var inspection = await _reader.InspectAsync(path, "people.csv", null, TestContext.Current.CancellationToken);
        var (headers, rows) = await ReadAsync(path);

        Assert.Equal(delimiter, inspection.Settings.Delimiter);
        Assert.Equal(["Name", "Email", "City"], headers);
        Assert.Equal(2, rows.Count);
    }

    [Fact]
    public async Task Delimiter_CanBeOverridden()
    {
        var path = Path.Combine(DataLoaderEdge, "csvSeparator.csv");

        var (headers, _) = await ReadAsync(path, new ImportFileSettings { Delimiter = '!' });

        Assert.Equal(["column1,column2", "some,column3"], headers);
    }

    [Fact]
    public async Task LinkedInsNotesPreamble_IsSkipped_AndShown()
    {
        var linkedIn = """
            Notes:
            "When exporting your connection data, you may notice that some of the email addresses are missing. You will only see email addresses for connections who have allowed their connections to see or download their email address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn more about this in our help center."

            First Name,Last Name,URL,Email Address,Company,Position,Connected On
            Ada,Lovelace,https://www.linkedin.com/in/ada,ada@example.com,Analytical Engines,Countess,12 Mar 2024
            Grace,Hopper,https://www.linkedin.com/in/grace,,US Navy,Rear Admiral,01 Feb 2023
            """;
        var path = Write("Connections.csv", Encoding.UTF8.GetBytes(linkedIn));

        var inspection = await _reader.InspectAsync(path, "Connections.csv", null, TestContext.Current.CancellationToken);
        var (headers, rows) = await ReadAsync(path);

        Assert.Equal(3, inspection.Settings.HeaderRow);
        Assert.Equal("Notes:", inspection.Preamble[0]);
        Assert.Equal(["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"], headers);
        Assert.Equal(2, rows.Count);
        Assert.Equal("Grace", rows[1][0]);
    }

    [Fact]
    public async Task LeadingBlankLines_AreSkipped()
    {
        var path = Write("blank.csv", Encoding.UTF8.GetBytes("\n\n\nEmail,Name\nada@example.com,Ada\n"));

        var (headers, rows) = await ReadAsync(path);

        Assert.Equal(["Email", "Name"], headers);
        Assert.Single(rows);
    }

    [Fact]
    public async Task DuplicateAndBlankHeaders_GetNames_AndWarnings()
    {
        var path = Write("headers.csv", Encoding.UTF8.GetBytes("Email,,Phone,phone,Email\na@example.com,x,1,2,b@example.com\n"));

        var inspection = await _reader.InspectAsync(path, "headers.csv", null, TestContext.Current.CancellationToken);

        Assert.Equal(["Email", "Column 2", "Phone", "phone (2)", "Email (2)"], inspection.Headers);
        Assert.Equal(3, inspection.Warnings.Count);
    }

    [Fact]
    public async Task RaggedRows_AreReportedPerRow_WithTheirLineNumbers()
    {
        var path = Write("ragged.csv", Encoding.UTF8.GetBytes("Email,Name,City\na@example.com,A,X\nb@example.com,B\nc@example.com,C,Z,extra\nd@example.com,D,W,,\n"));

        var rows = await RowsAsync(path);

        Assert.Null(rows[0].Problem);
        Assert.Equal((3L, "The row has 2 values but the header has 3 columns."), (rows[1].LineNumber, rows[1].Problem));
        Assert.Equal((4L, "The row has 4 values but the header has 3 columns."), (rows[2].LineNumber, rows[2].Problem));
        Assert.Null(rows[3].Problem); // trailing empty values are not a different shape
    }

    [Fact]
    public async Task LineNumbers_CountTheNewlinesInsideQuotes()
    {
        var path = Path.Combine(Spectrum, "quotes_and_newlines.csv");

        var rows = await RowsAsync(path);

        Assert.Equal([2L, 5L], rows.Select(r => r.LineNumber));
    }

    [Fact]
    public async Task AnUnclosedQuote_RefusesTheFile_NamingTheLine()
    {
        var path = Write("quote.csv", Encoding.UTF8.GetBytes("Email,Name\na@example.com,Ada\nb@example.com,\"Grace\nc@example.com,Carl\n"));

        var error = await Assert.ThrowsAsync<ImportFileException>(() => RowsAsync(path));

        Assert.Contains("Line 3", error.Message);
        Assert.Contains("never closed", error.Message);
    }

    [Theory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 0x20, 0x0D, 0x0A, 0x0D, 0x0A }, "empty")]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1 }, "not a text file")]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37, 0x0A, 0, 0xE2, 0xE3, 0xCF, 0xD3, 0, 0, 0, 0 }, "not a text file")]
    public async Task EmptyAndBinaryFiles_AreRefused_WithAReason(byte[] content, string reason)
    {
        var path = Write("upload.csv", content);

        var error = await Assert.ThrowsAsync<ImportFileException>(() => _reader.InspectAsync(path, "upload.csv", null, TestContext.Current.CancellationToken));

        Assert.Contains(reason, error.Message);
        Assert.Contains("upload.csv", error.Message);
    }

    [Fact]
    public async Task AHeaderWithoutRows_ReadsNoRows()
    {
        var path = Write("header.csv", Encoding.UTF8.GetBytes("Email,Name\n"));

        var inspection = await _reader.InspectAsync(path, "header.csv", null, TestContext.Current.CancellationToken);

        Assert.Equal(["Email", "Name"], inspection.Headers);
        Assert.Empty(await RowsAsync(path));
    }

    [Fact]
    public async Task AOneMegabyteValue_IsReadWhole()
    {
        var big = new string('x', 1024 * 1024);
        var path = Write("big.csv", Encoding.UTF8.GetBytes($"Email,Notes\na@example.com,\"{big}\"\nb@example.com,short\n"));

        var rows = await RowsAsync(path);

        Assert.Equal(big, rows[0].Fields[1]);
        Assert.Equal("short", rows[1].Fields[1]);
    }

    [Fact]
    public async Task FormulaLookingValues_AreReadAsText()
    {
        var path = Write("formulas.csv", Encoding.UTF8.GetBytes("Name,Notes\n=1+2,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"\n@SUM(A1),+cmd|' /C calc'!A0\n"));

        var rows = await RowsAsync(path);

        Same(rows[0].Fields, "=1+2", "=HYPERLINK(\"http://evil.example\",\"x\")");
        Same(rows[1].Fields, "@SUM(A1)", "+cmd|' /C calc'!A0");
    }

    [Fact]
    public async Task AStrayNulByte_InATextFile_IsReadAsPartOfItsValue()
    {
        var path = Write("nul.csv", Encoding.UTF8.GetBytes("Email,Name\na@example.com,Ad\0a\nb@example.com,Grace\n"));

        var rows = await RowsAsync(path);

        Assert.Equal("Ad\0a", rows[0].Fields[1]);
    }

    [Fact]
    public async Task Xlsx_IsReadStreaming_FromTheChosenSheet_WithTypedCellsAsText()
    {
        var path = Path.Combine(_directory, "book.xlsx");
        var sheets = new Dictionary<string, object>
        {
            ["Notes"] = new[] { new Dictionary<string, object> { ["Ignore"] = "me" } },
            ["People"] = new[]
            {
                new Dictionary<string, object> { ["Email"] = "ada@example.com", ["Name"] = "Ada", ["Born"] = new DateTime(1995, 12, 10), ["Score"] = 42.5 },
                new Dictionary<string, object> { ["Email"] = "grace@example.com", ["Name"] = "Grace", ["Born"] = new DateTime(1906, 12, 9), ["Score"] = 7 },
            },
        };
        await MiniExcel.SaveAsAsync(path, sheets, cancellationToken: TestContext.Current.CancellationToken);

        var first = await _reader.InspectAsync(path, "book.xlsx", null, TestContext.Current.CancellationToken);
        Assert.Equal(["Notes", "People"], first.Sheets);
        Assert.Equal("Notes", first.Settings.Sheet);

        var (headers, rows) = await ReadAsync(path, new ImportFileSettings { Format = ImportFormat.Xlsx, Sheet = "People" }, "book.xlsx");
        Assert.Equal(["Email", "Name", "Born", "Score"], headers);
        Same(rows[0], "ada@example.com", "Ada", "1995-12-10", "42.5");
        Same(rows[1], "grace@example.com", "Grace", "1906-12-09", "7");
    }

    [Fact]
    public async Task Xlsx_RenamedToCsv_IsStillReadAsAWorkbook()
    {
        var path = Path.Combine(_directory, "export.csv");
        await MiniExcel.SaveAsAsync(path, new[] { new Dictionary<string, object> { ["Email"] = "ada@example.com" } }, excelType: ExcelType.XLSX, cancellationToken: TestContext.Current.CancellationToken);

        var inspection = await _reader.InspectAsync(path, "export.csv", null, TestContext.Current.CancellationToken);

        Assert.Equal(ImportFormat.Xlsx, inspection.Settings.Format);
        Assert.Equal(["Email"], inspection.Headers);
    }

    [Fact]
    public async Task ADamagedWorkbook_IsRefused_WithAReason()
    {
        var path = Write("broken.xlsx", [0x50, 0x4B, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8]);

        var error = await Assert.ThrowsAsync<ImportFileException>(() => _reader.InspectAsync(path, "broken.xlsx", null, TestContext.Current.CancellationToken));

        Assert.Contains("broken.xlsx", error.Message);
    }

    [Fact]
    public async Task TheFileStore_RefusesAnUploadOverTheLimit_AndKeepsNothing()
    {
        var store = new LocalFileStore(_directory);
        await using var content = new MemoryStream(new byte[4096]);

        var error = await Assert.ThrowsAsync<ImportFileException>(() => store.SaveAsync("imports", 1, ".csv", content, maxBytes: 1000, TestContext.Current.CancellationToken));

        Assert.Contains("MB", error.Message);
        Assert.Empty(Directory.EnumerateFiles(_directory, "*", SearchOption.AllDirectories));
    }

    private static void Same(string?[] actual, params string[] expected) => Assert.Equal(expected, actual.Select(v => v ?? "").ToArray());

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private async Task<(IReadOnlyList<string> Headers, List<string?[]> Rows)> ReadAsync(string path, ImportFileSettings? overrides = null, string? fileName = null)
    {
        var inspection = await _reader.InspectAsync(path, fileName ?? Path.GetFileName(path), overrides, TestContext.Current.CancellationToken);
        var rows = new List<string?[]>();
        await foreach (var row in _reader.ReadAsync(path, inspection.Settings, inspection.Headers.Count, TestContext.Current.CancellationToken))
            rows.Add(row.Fields);
        return (inspection.Headers, rows);
    }

    private async Task<List<SourceRow>> RowsAsync(string path)
    {
        var inspection = await _reader.InspectAsync(path, Path.GetFileName(path), null, TestContext.Current.CancellationToken);
        var rows = new List<SourceRow>();
        await foreach (var row in _reader.ReadAsync(path, inspection.Settings, inspection.Headers.Count, TestContext.Current.CancellationToken))
            rows.Add(row);
        return rows;
    }
}
