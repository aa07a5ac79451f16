using System.Diagnostics;
using System.Text;
using Crm.Core.Imports;
using Crm.Infrastructure.Imports;
using Crm.Tests.TestSupport;
using static Crm.Tests.TestSupport.TestWorkbook;

namespace Crm.Tests.Infrastructure.Imports;

/// <summary>
/// Workbooks as people and hostile tools make them: Mac Excel's date system, an empty first sheet, claimed sizes
/// far beyond what is there, cells and shared text built to exhaust the server. Each is read right or refused
/// quickly with a reason, in little memory.
/// </summary>
public sealed class WorkbookReadingTests : IDisposable
{
    private readonly string _directory = TestPaths.NewTempDirectory("workbooks");
    private readonly TabularFileReader _reader = new(new PathStore());

    public void Dispose()
    {
        try { Directory.Delete(_directory, true); } catch (IOException) { }
    }

    private string Save(TestWorkbook workbook, string name = "book.xlsx")
    {
        var path = Path.Combine(_directory, name);
        workbook.Save(path);
        return path;
    }

    private async Task<(FileInspection Inspection, List<SourceRow> Rows)> ReadAsync(string path, ImportFileSettings? overrides = null, CancellationToken ct = default)
    {
        ct = ct == default ? TestContext.Current.CancellationToken : ct;
        var inspection = await _reader.InspectAsync(path, Path.GetFileName(path), overrides, ct);
        var rows = new List<SourceRow>();
        await foreach (var row in _reader.ReadAsync(path, inspection.Settings, inspection.Headers.Count, ct)) rows.Add(row);
        return (inspection, rows);
    }

    [Fact]
    public async Task Workbook_InThe1904DateSystem_ReadsItsDatesAsExcelShowsThem()
    {
        var birthday = new DateTime(2024, 3, 5);
        var serial1904 = (birthday - new DateTime(1904, 1, 1)).TotalDays;
        var path = Save(new TestWorkbook { Date1904 = true }.Sheet("People",
            Row(1, Text("A1", "Name"), Text("B1", "Birthday"), Text("C1", "Score")) +
            Row(2, Text("A2", "Ada"), Number("B2", serial1904, DateStyle), Number("C2", 42))));

        var (_, rows) = await ReadAsync(path);

        Assert.Equal(new string?[] { "Ada", "2024-03-05", "42" }, rows.Single().Fields);
    }

    [Fact]
    public async Task Workbook_In1900DateSystem_ReadsDatesAndTimes()
    {
        var path = Save(new TestWorkbook().Sheet("People",
            Row(1, Text("A1", "Name"), Text("B1", "Met")) +
            Row(2, Text("A2", "Ada"), Number("B2", 45356.5, DateStyle))));

        var (_, rows) = await ReadAsync(path);

        Assert.Equal(new string?[] { "Ada", "2024-03-05T12:00:00" }, rows.Single().Fields);
    }

    [Fact]
    public async Task Workbook_WhoseFirstSheetIsEmpty_ReadsTheFirstSheetWithData_AndAChosenSheetIsHonoured()
    {
        var path = Save(new TestWorkbook()
            .Sheet("Cover", "")
            .Sheet("People", Row(1, Text("A1", "Email")) + Row(2, Text("A2", "ada@example.com")))
            .Sheet("Archive", Row(1, Text("A1", "Email")) + Row(2, Text("A2", "old@example.com")) + Row(3, Text("A3", "older@example.com"))));

        var (inspection, rows) = await ReadAsync(path);
        Assert.Equal("People", inspection.Settings.Sheet);
        Assert.Contains(inspection.Warnings, w => w.Contains("'Cover'", StringComparison.Ordinal) && w.Contains("empty", StringComparison.Ordinal));
        Assert.Equal("ada@example.com", rows.Single().Fields[0]);

        var (chosen, archived) = await ReadAsync(path, new ImportFileSettings { Format = ImportFormat.Xlsx, Sheet = "Archive" });
        Assert.Equal(("Archive", 2), (chosen.Settings.Sheet, chosen.TotalRows));
        Assert.Equal(2, archived.Count);

        var empty = await Assert.ThrowsAsync<ImportFileException>(() => ReadAsync(path, new ImportFileSettings { Format = ImportFormat.Xlsx, Sheet = "Cover" }));
        Assert.Contains("no rows", empty.Message);
        var missing = await Assert.ThrowsAsync<ImportFileException>(() => ReadAsync(path, new ImportFileSettings { Format = ImportFormat.Xlsx, Sheet = "Nope" }));
        Assert.Contains("no sheet named 'Nope'", missing.Message);
    }

    [Fact]
    public async Task Workbook_ClaimingColumnXFD_WithOneCellThere_IsReadAtOnce_AndThatRowIsReported()
    {
        var rows = Row(1, Text("A1", "Name"), Text("B1", "Email")) + Row(2, Text("A2", "Ada"), Text("B2", "ada@example.com"), Text("XFD2", "far away"))
                   + string.Concat(Enumerable.Range(3, 48).Select(r => Row(r, Text($"A{r}", $"P{r}"), Text($"B{r}", $"p{r}@example.com"))));
        var path = Save(new TestWorkbook().Sheet("Sheet1", rows, dimension: "A1:XFD50"));
        var clock = Stopwatch.StartNew();

        var (inspection, read) = await ReadAsync(path);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(["Name", "Email"], inspection.Headers);
        Assert.Equal(49, read.Count);
        Assert.Contains("column XFD", read[0].Problem);
        Assert.All(read.Skip(1), r => Assert.Null(r.Problem));
    }

    [Fact]
    public async Task Workbook_WithAHeaderBeyondTheColumnLimit_IsRefused()
    {
        var path = Save(new TestWorkbook().Sheet("Sheet1", Row(1, Text("A1", "Name"), Text("ALN1", "Column 1,002")) + Row(2, Text("A2", "Ada"))));

        var error = await Assert.ThrowsAsync<ImportFileException>(() => ReadAsync(path));

        Assert.Contains("1,000", error.Message);
    }

    [Fact]
    public async Task Workbook_WithTwentyThousandEmptyRows_SkipsAndCountsThem()
    {
        var empty = new StringBuilder();
        for (var r = 3; r < 20_003; r++) empty.Append("<row r=\"").Append(r).Append("\"><c r=\"A").Append(r).Append("\" s=\"0\"/></row>");
        var path = Save(new TestWorkbook().Sheet("Sheet1", Row(1, Text("A1", "Email")) + Row(2, Text("A2", "ada@example.com")) + empty + Row(20_003, Text("A20003", "grace@example.com"))));

        var (inspection, rows) = await ReadAsync(path);

        Assert.Equal((2, 20_000), (inspection.TotalRows, inspection.BlankRows));
        Assert.Equal([2L, 20_003L], rows.Select(r => r.LineNumber));
    }

    [Fact]
    public async Task Workbook_WithACellOfMillionsOfCharacters_IsRefusedWithoutReadingItAll()
    {
        var path = Save(new TestWorkbook().Sheet("Sheet1", s =>
        {
            TestWorkbook.Write(s, """<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>""");
            var chunk = Encoding.ASCII.GetBytes(new string('a', 1 << 20));
            for (var i = 0; i < 40; i++) s.Write(chunk); // 40 million characters, a few KB compressed
            TestWorkbook.Write(s, "</t></is></c></row></sheetData></worksheet>");
        }));
        var before = GC.GetTotalAllocatedBytes();

        var error = await Assert.ThrowsAsync<ImportFileException>(() => ReadAsync(path));

        Assert.True(error.Message.Contains("32,767", StringComparison.Ordinal) || error.Message.Contains("expands to more than", StringComparison.Ordinal), error.Message);
        Assert.True(GC.GetTotalAllocatedBytes() - before < 64L * 1024 * 1024, "the cell was read whole");
    }

    [Fact]
    public async Task Workbook_WhoseSharedTextExpandsLikeABomb_IsRefused()
    {
        var path = Save(new TestWorkbook()
            .Sheet("Sheet1", Row(1, "<c r=\"A1\" t=\"s\"><v>0</v></c>") + Row(2, "<c r=\"A2\" t=\"s\"><v>1</v></c>"))
            .SharedStrings(s =>
            {
                TestWorkbook.Write(s, "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">");
                var item = Encoding.ASCII.GetBytes("<si><t>" + new string('x', 30_000) + "</t></si>");
                for (var i = 0; i < 2_000; i++) s.Write(item); // 60 MB of text from a few hundred KB
                TestWorkbook.Write(s, "</sst>");
            }));

        var error = await Assert.ThrowsAsync<ImportFileException>(() => ReadAsync(path));

        Assert.Contains("expands to more than", error.Message);
    }

    [Fact]
    public async Task Workbook_ReadIsCancelled_WhenAskedTo()
    {
        var rows = new StringBuilder(Row(1, Text("A1", "Email")));
        for (var r = 2; r < 50_000; r++) rows.Append(Row(r, Text($"A{r}", $"p{r}@example.com")));
        var path = Save(new TestWorkbook().Sheet("Sheet1", rows.ToString()));
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ReadAsync(path, ct: cancel.Token));
    }

    [Fact]
    public async Task Workbook_TextWithExcelsEscapes_IsReadAsTheCharactersTheyStandFor()
    {
        var path = Save(new TestWorkbook().Sheet("Sheet1", Row(1, Text("A1", "Notes")) + Row(2, Text("A2", "line one_x000D_\nline two, _x005F_x000D_ kept"))));

        var (_, rows) = await ReadAsync(path);

        Assert.Equal("line one\r\nline two, _x000D_ kept", rows.Single().Fields[0]);
    }

    [Theory]
    [InlineData("Name,Email\nAda,ada@example.com\n,\n   ,  \n\nGrace,grace@example.com\n", 2, 3)]
    [InlineData("Name;Email\r\nAda;ada@example.com\r\n;\r\n\r\n", 1, 2)]
    public async Task Csv_BlankRows_OfOnlyDelimitersSpacesOrNothing_AreSkippedAndCounted(string csv, int rows, int blank)
    {
        var path = Path.Combine(_directory, "blank.csv");
        await File.WriteAllTextAsync(path, csv, TestContext.Current.CancellationToken);

        var (inspection, read) = await ReadAsync(path);

        Assert.Equal((rows, blank), (inspection.TotalRows, inspection.BlankRows));
        Assert.Equal(rows, read.Count);
        Assert.All(read, r => Assert.Null(r.Problem));
    }

    [Theory]
    [InlineData("Name,Email,City\nAda,ada@example.com,London\nGrace,grace@example.com,Arlington,extra\n")]
    [InlineData("Name,Email,City\nAda,ada@example.com,London\nGrace,grace@example.com,Arlington,extra,more\nAlan,alan@example.com,Wilmslow,x,y\n")]
    public async Task Csv_CleanHeaderWithARaggedRowLater_KeepsTheFirstRowAsTheHeader(string csv)
    {
        var path = Path.Combine(_directory, "ragged.csv");
        await File.WriteAllTextAsync(path, csv, TestContext.Current.CancellationToken);

        var (inspection, read) = await ReadAsync(path);

        Assert.Equal(1, inspection.Settings.HeaderRow);
        Assert.Equal(["Name", "Email", "City"], inspection.Headers);
        Assert.Equal(inspection.TotalRows, read.Count);
    }

    [Fact]
    public async Task Csv_WithMoreColumnsThanAnImportReads_IsRefused()
    {
        var path = Path.Combine(_directory, "wide.csv");
        await File.WriteAllTextAsync(path, string.Join(',', Enumerable.Range(1, 1_200).Select(i => $"C{i}")) + "\n" + string.Join(',', Enumerable.Range(1, 1_200)) + "\n",
            TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<ImportFileException>(() => ReadAsync(path));

        Assert.Contains("more than 1,000 columns", error.Message);
    }
}
