using System.Globalization;
using System.Runtime.CompilerServices;
using CsvHelper;
using Crm.Core.Imports;
using Crm.Infrastructure.Imports.Xlsx;
using static System.FormattableString;

namespace Crm.Infrastructure.Imports;

/// <summary>
/// Reads uploads streaming: CSV/TSV/TXT with CsvHelper (encoding from the BOM or the bytes, delimiter sniffed,
/// RFC 4180 quotes, a preamble before the header skipped, line numbers kept) and .xlsx with our own bounded reader
/// (<see cref="XlsxSheetRows"/>). Blank rows — only delimiters or spaces, or empty spreadsheet rows — are skipped and
/// counted. Inspection reads the file once: a sample for the header, the count of every row after it, and each column's profile.
/// </summary>
public sealed class TabularFileReader(IFileStore files) : ITabularFileReader
{
    private const int SampleRows = 5;
    private const int HeadRows = 200;
    private const int SniffChars = 1 << 16;
    /// <summary>A record longer than this is refused (a 1 MB value is fine; a broken file is not read forever).</summary>
    public const int MaxRecordBytes = 16 * 1024 * 1024;

    /// <summary>A row as read: its number among non-blank rows (0 for a blank one), the line or sheet row it starts on, its values.</summary>
    private readonly record struct RawRow(int Record, long Line, string?[] Fields, string? Problem)
    {
        public bool Blank => Record == 0;
    }

    public async Task<FileInspection> InspectAsync(string fileKey, string fileName, ImportFileSettings? overrides, CancellationToken ct = default)
    {
        await using var stream = files.OpenRead(fileKey);
        var isXlsx = fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) || await TextSniffer.IsZipAsync(stream, ct);
        return isXlsx ? InspectXlsx(stream, fileName, overrides, ct) : await InspectCsvAsync(stream, fileName, overrides, ct);
    }

    public async IAsyncEnumerable<SourceRow> ReadAsync(string fileKey, ImportFileSettings settings, int headerCount, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var stream = files.OpenRead(fileKey);
        using var workbook = settings.Format == ImportFormat.Xlsx ? XlsxWorkbook.Open(stream, "The workbook", ct) : null;
        var rows = workbook is not null ? ReadXlsx(workbook, settings.Sheet ?? FirstSheetWithData(workbook, ct), ct) : ReadCsv(stream, settings, ct);
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            if (row.Blank || row.Record <= settings.HeaderRow) continue;
            var fields = row.Fields;
            // A spreadsheet does not store empty cells: a row ending early has empty values there, not fewer columns.
            if (workbook is not null && fields.Length < headerCount) Array.Resize(ref fields, headerCount);
            var rowProblem = row.Problem ?? (fields.Length != headerCount && !TrailingBlanks(fields, headerCount)
                ? $"The row has {fields.Length} values but the header has {headerCount} columns."
                : null);
            yield return new SourceRow(row.Record - settings.HeaderRow, row.Line, fields, rowProblem);
        }
        await Task.CompletedTask;
    }

    /// <summary>Extra trailing empty values ("a,b,,") are not a different row shape.</summary>
    private static bool TrailingBlanks(string?[] fields, int headerCount) =>
        fields.Length > headerCount && fields.Skip(headerCount).All(string.IsNullOrEmpty);

    private async Task<FileInspection> InspectCsvAsync(Stream stream, string fileName, ImportFileSettings? overrides, CancellationToken ct)
    {
        var encoding = overrides?.Encoding ?? await TextSniffer.DetectEncodingAsync(stream, ct);
        await TextSniffer.EnsureTextAsync(stream, encoding, fileName, ct);
        string sample;
        TextSniffer.SkipByteOrderMark(stream);
        using (var text = new StreamReader(stream, TextSniffer.EncodingOf(encoding), detectEncodingFromByteOrderMarks: false, leaveOpen: true))
        {
            var buffer = new char[SniffChars];
            var read = await text.ReadBlockAsync(buffer, ct);
            sample = new string(buffer, 0, read);
        }
        stream.Position = 0;
        if (sample.Trim().Length == 0) throw new ImportFileException($"'{fileName}' is empty: there is nothing to import.");
        var delimiter = overrides?.Delimiter ?? TextSniffer.SniffDelimiter(sample, fileName);

        var settings = new ImportFileSettings { Format = ImportFormat.Csv, Encoding = encoding, Delimiter = delimiter, HeaderRow = overrides?.HeaderRow is > 0 and var row ? row : 0 };
        var warnings = new List<string>();
        if (encoding == TextSniffer.Windows1252 && overrides?.Encoding is null)
            warnings.Add("The file is not valid UTF-8, so it is read as Windows-1252. If accents look wrong, choose another encoding.");
        return Inspect(ReadCsv(stream, settings, ct), settings, TextSniffer.Label(encoding), [], warnings, fileName, ct);
    }

    private static FileInspection InspectXlsx(Stream stream, string fileName, ImportFileSettings? overrides, CancellationToken ct)
    {
        using var workbook = XlsxWorkbook.Open(stream, $"'{fileName}'", ct);
        var sheets = workbook.SheetNames;
        if (sheets.Count == 0) throw new ImportFileException($"'{fileName}' has no worksheets.");
        string sheet;
        if (overrides?.Sheet is { } wanted)
            sheet = sheets.Contains(wanted) ? wanted : throw new ImportFileException($"'{fileName}' has no sheet named '{wanted}'; it has {string.Join(", ", sheets.Select(s => $"'{s}'"))}.");
        else
            sheet = FirstSheetWithData(workbook, ct);
        var settings = new ImportFileSettings { Format = ImportFormat.Xlsx, Sheet = sheet, HeaderRow = overrides?.HeaderRow is > 0 and var row ? row : 0 };
        var warnings = new List<string>();
        if (overrides?.Sheet is null && sheet != sheets[0])
            warnings.Add($"The first sheet ('{sheets[0]}') is empty, so sheet '{sheet}' is read; choose another sheet if that is not the one.");
        return Inspect(ReadXlsx(workbook, sheet, ct), settings, "Excel workbook", sheets, warnings, fileName, ct);
    }

    /// <summary>The first sheet that has a value in it (a workbook often starts with an empty or a cover sheet); the first sheet when none has.</summary>
    private static string FirstSheetWithData(XlsxWorkbook workbook, CancellationToken ct) =>
        workbook.SheetNames.FirstOrDefault(name => ReadXlsx(workbook, name, ct).Any(r => !r.Blank)) ?? workbook.SheetNames.FirstOrDefault() ?? "";

    /// <summary>
    /// The one pass of an inspection: the first rows for the header and samples, then every other row counted (data
    /// rows and blank ones after the header) against the import's row limit.
    /// </summary>
    private static FileInspection Inspect(IEnumerable<RawRow> rows, ImportFileSettings settings, string encodingLabel, IReadOnlyList<string> sheets,
        List<string> warnings, string fileName, CancellationToken ct)
    {
        var head = new List<RawRow>();
        var blanksAfter = new List<int>(); // for each blank row: how many non-blank records came before it
        var records = 0;
        var blanksLater = 0;
        var headerRow = settings.HeaderRow;
        ColumnProfiler? profiler = null;
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            if (row.Blank)
            {
                if (head.Count < HeadRows) blanksAfter.Add(records);
                else blanksLater++;
                continue;
            }
            records = row.Record;
            if (head.Count < HeadRows) head.Add(row);
            else (profiler ??= ProfileHead(head, ref headerRow)).Add(row.Fields);
            if (records - Math.Max(1, headerRow) > ImportLimits.MaxRows)
                throw new ImportFileException(Invariant($"The file has more than {ImportLimits.MaxRows:N0} data rows, the most one import takes. Split it into several files."));
        }
        profiler ??= ProfileHead(head, ref headerRow);
        settings = settings with { HeaderRow = headerRow };
        var blankRows = blanksLater + blanksAfter.Count(after => after >= headerRow);
        var inspection = Inspection(settings, encodingLabel, sheets, head, warnings, fileName);
        return inspection with { TotalRows = Math.Max(0, records - headerRow), BlankRows = blankRows, Columns = profiler.Build(inspection.Headers.Count) };
    }

    /// <summary>Once the head is read the header row is settled (it is found among the head's rows): the rows after it start the columns' profiles.</summary>
    private static ColumnProfiler ProfileHead(List<RawRow> head, ref int headerRow)
    {
        if (headerRow <= 0) headerRow = HeaderRowOf(head);
        var profiler = new ColumnProfiler();
        foreach (var row in head.Skip(headerRow)) profiler.Add(row.Fields);
        return profiler;
    }

    private static FileInspection Inspection(ImportFileSettings settings, string encodingLabel, IReadOnlyList<string> sheets,
        List<RawRow> head, List<string> warnings, string fileName)
    {
        if (head.Count == 0) throw new ImportFileException($"'{fileName}' has no rows: there is nothing to import.");
        if (settings.HeaderRow > head.Count) throw new ImportFileException($"Row {settings.HeaderRow} cannot be the header: the file starts with only {head.Count} rows.");
        if (head[settings.HeaderRow - 1].Problem is not null)
            throw new ImportFileException(Invariant($"'{fileName}' has more than {ImportLimits.MaxColumns:N0} columns in its header, the most an import reads. Remove the columns you do not need and upload again."));
        var header = head[settings.HeaderRow - 1].Fields;
        if (header.Length > ImportLimits.MaxColumns && header.Skip(ImportLimits.MaxColumns).Any(h => !string.IsNullOrWhiteSpace(h)))
            throw new ImportFileException(Invariant($"'{fileName}' has more than {ImportLimits.MaxColumns:N0} columns, the most an import reads. Remove the columns you do not need and upload again."));
        var headers = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Math.Min(header.Length, ImportLimits.MaxColumns); i++)
        {
            var name = header[i]?.Trim().Trim('\uFEFF') ?? "";
            if (name.Length == 0)
            {
                if (i == header.Length - 1 && i > 0) break; // "a,b," — a trailing delimiter, not a column
                name = $"Column {i + 1}";
                warnings.Add($"Column {i + 1} has no header; it is called '{name}'.");
            }
            if (seen.TryGetValue(name, out var times))
            {
                seen[name] = times + 1;
                warnings.Add($"The header '{name}' appears more than once; its copy {times + 1} is called '{name} ({times + 1})'.");
                name = $"{name} ({times + 1})";
            }
            else
            {
                seen[name] = 1;
            }
            headers.Add(name);
        }
        var preamble = head.Take(settings.HeaderRow - 1).Select(r => string.Join(" ", r.Fields.Where(f => !string.IsNullOrWhiteSpace(f)))).ToList();
        if (preamble.Count > 0) warnings.Add($"The first {preamble.Count} row(s) before the header are skipped (for example \"{Shorten(preamble[0])}\").");
        var samples = head.Skip(settings.HeaderRow).Take(SampleRows).Select(r => r.Fields).ToList();
        return new FileInspection(settings, encodingLabel, sheets, headers, samples, preamble, warnings);
    }

    /// <summary>
    /// The header is the first row with at least 60% of the values most rows after it have: a preamble ("Notes:" in
    /// LinkedIn's export) has far fewer, so it is skipped, while a clean header stays the header when some rows later
    /// are ragged. On a tie the narrower width counts, and a header must have rows after it.
    /// </summary>
    private static int HeaderRowOf(List<RawRow> head)
    {
        if (head.Count < 2) return 1;
        var widths = head.Select(r => r.Fields.Count(f => !string.IsNullOrWhiteSpace(f))).ToList();
        var typical = widths.Skip(1).GroupBy(w => w).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        if (typical < 2) return 1;
        for (var i = 0; i < Math.Min(20, head.Count - 1); i++)
            if (widths[i] >= 2 && widths[i] * 5 >= typical * 3) return i + 1;
        return 1;
    }

    private static IEnumerable<RawRow> ReadCsv(Stream stream, ImportFileSettings settings, CancellationToken ct)
    {
        var options = new CsvReaderOptions
        {
            HasHeader = false, Separator = settings.Delimiter ?? ',', TrackLineNumbers = true, FormatProvider = CultureInfo.InvariantCulture,
            FieldCountMismatch = CsvFieldCountHandling.Allow, MalformedData = CsvMalformedDataHandling.Recover,
            MaxRecordSize = MaxRecordBytes, TrimWhitespace = false, SkipEmptyLines = false, DetectSeparatorHint = false,
            OnMalformedRecord = m =>
            {
                // Other slips (a quote inside an unquoted value) are read leniently, as spreadsheets read them.
                if (m.Reason.ToString() == "UnterminatedQuote")
                    throw new ImportFileException($"Line {m.LineNumber} opens a quoted value that is never closed, so the rest of the file cannot be read reliably. Fix the quote (a value with a \" inside must be written \"\"like this\"\") and upload again.");
            },
        };
        TextSniffer.SkipByteOrderMark(stream);
        using var text = new StreamReader(stream, TextSniffer.EncodingOf(settings.Encoding ?? TextSniffer.Utf8), detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16, leaveOpen: true);
        using var csv = CsvReader.Create(text, options, leaveOpen: true);
        var record = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            bool more;
            try
            {
                more = csv.Read();
            }
            catch (CsvFormatException e)
            {
                throw new ImportFileException($"The file could not be read after record {record}: {e.Message} A single row may be at most {MaxRecordBytes / (1024 * 1024)} MB.");
            }
            if (!more) yield break;
            var fields = csv.Current.ToArray();
            if (record == 0 && fields.Length > 0 && fields[0] is { } first && first.StartsWith('\uFEFF')) fields[0] = first[1..];
            if (fields.All(string.IsNullOrWhiteSpace))
            {
                yield return new RawRow(0, csv.LineNumber, [], null);
                continue;
            }
            record++;
            yield return new RawRow(record, csv.LineNumber, fields, null);
        }
    }

    private static IEnumerable<RawRow> ReadXlsx(XlsxWorkbook workbook, string sheet, CancellationToken ct)
    {
        var record = 0;
        foreach (var row in XlsxSheetRows.Read(workbook, sheet, ct))
        {
            if (row.Problem is null && row.Fields.All(string.IsNullOrWhiteSpace))
            {
                yield return new RawRow(0, row.Number, [], null);
                continue;
            }
            record++;
            yield return new RawRow(record, row.Number, row.Fields, row.Problem);
        }
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
