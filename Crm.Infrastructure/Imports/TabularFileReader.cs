using System.Globalization;
using System.Runtime.CompilerServices;
using CsvHelper;
using Crm.Core.Imports;
using MiniExcelLibs;

namespace Crm.Infrastructure.Imports;

/// <summary>
/// Reads uploads streaming: CSV/TSV/TXT with CsvHelper (encoding from the BOM or the bytes, delimiter sniffed,
/// RFC 4180 quotes, a preamble before the header skipped, line numbers kept) and .xlsx with MiniExcel.
/// </summary>
public sealed class TabularFileReader(IFileStore files) : ITabularFileReader
{
    private const int SampleRows = 5;
    private const int SniffChars = 1 << 16;
    /// <summary>A record longer than this is refused (a 1 MB value is fine; a broken file is not read forever).</summary>
    public const int MaxRecordBytes = 16 * 1024 * 1024;

    public async Task<FileInspection> InspectAsync(string fileKey, string fileName, ImportFileSettings? overrides, CancellationToken ct = default)
    {
        await using var stream = files.OpenRead(fileKey);
        var isXlsx = fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) || await TextSniffer.IsZipAsync(stream, ct);
        return isXlsx ? InspectXlsx(stream, fileName, overrides) : await InspectCsvAsync(stream, fileName, overrides, ct);
    }

    public async IAsyncEnumerable<SourceRow> ReadAsync(string fileKey, ImportFileSettings settings, int headerCount, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var stream = files.OpenRead(fileKey);
        var rows = settings.Format == ImportFormat.Xlsx ? ReadXlsx(stream, settings) : ReadCsv(stream, settings, ct);
        foreach (var (record, line, fields, problem) in rows.Where(r => r.Record > settings.HeaderRow))
        {
            ct.ThrowIfCancellationRequested();
            var rowProblem = problem ?? (fields.Length != headerCount && !TrailingBlanks(fields, headerCount)
                ? $"The row has {fields.Length} values but the header has {headerCount} columns."
                : null);
            yield return new SourceRow(record - settings.HeaderRow, line, fields, rowProblem);
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

        var settings = new ImportFileSettings { Format = ImportFormat.Csv, Encoding = encoding, Delimiter = delimiter, HeaderRow = 1 };
        var head = ReadCsv(stream, settings, ct).Take(200).ToList();
        stream.Position = 0;
        settings = settings with { HeaderRow = overrides?.HeaderRow is > 0 and var row ? row : HeaderRowOf(head) };
        var warnings = new List<string>();
        if (encoding == TextSniffer.Windows1252 && overrides?.Encoding is null)
            warnings.Add("The file is not valid UTF-8, so it is read as Windows-1252. If accents look wrong, choose another encoding.");
        return Inspection(settings, TextSniffer.Label(encoding), [], head, warnings, fileName);
    }

    private static FileInspection InspectXlsx(Stream stream, string fileName, ImportFileSettings? overrides)
    {
        List<string> sheets;
        try
        {
            sheets = MiniExcel.GetSheetNames(stream);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ImportFileException($"'{fileName}' could not be opened as an Excel workbook (it may be damaged or password-protected). Save it again as .xlsx or export it as CSV.");
        }
        stream.Position = 0;
        if (sheets.Count == 0) throw new ImportFileException($"'{fileName}' has no worksheets.");
        var sheet = overrides?.Sheet is { } wanted && sheets.Contains(wanted) ? wanted : sheets[0];
        var settings = new ImportFileSettings { Format = ImportFormat.Xlsx, Sheet = sheet, HeaderRow = 1 };
        var head = ReadXlsx(stream, settings).Take(200).ToList();
        stream.Position = 0;
        settings = settings with { HeaderRow = overrides?.HeaderRow is > 0 and var row ? row : HeaderRowOf(head) };
        return Inspection(settings, "Excel workbook", sheets, head, [], fileName);
    }

    private static FileInspection Inspection(ImportFileSettings settings, string encodingLabel, IReadOnlyList<string> sheets,
        List<(int Record, long Line, string?[] Fields, string? Problem)> head, List<string> warnings, string fileName)
    {
        if (head.Count == 0) throw new ImportFileException($"'{fileName}' has no rows: there is nothing to import.");
        if (settings.HeaderRow > head.Count) throw new ImportFileException($"Row {settings.HeaderRow} cannot be the header: the file starts with only {head.Count} rows.");
        var header = head[settings.HeaderRow - 1].Fields;
        var headers = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Length; i++)
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
    /// The header is the first row with as many fields as most rows after it: a preamble ("Notes:" in LinkedIn's
    /// export) has fewer, so it is skipped.
    /// </summary>
    private static int HeaderRowOf(List<(int Record, long Line, string?[] Fields, string? Problem)> head)
    {
        if (head.Count < 2) return 1;
        var widths = head.Select(r => r.Fields.Count(f => !string.IsNullOrWhiteSpace(f))).ToList();
        var typical = widths.Skip(1).GroupBy(w => w).OrderByDescending(g => g.Count()).ThenByDescending(g => g.Key).First().Key;
        if (typical < 2) return 1;
        for (var i = 0; i < Math.Min(20, head.Count); i++)
            if (head[i].Fields.Length >= typical && widths[i] >= Math.Max(2, typical / 2)) return i + 1;
        return 1;
    }

    private static IEnumerable<(int Record, long Line, string?[] Fields, string? Problem)> ReadCsv(Stream stream, ImportFileSettings settings, CancellationToken ct)
    {
        var options = new CsvReaderOptions
        {
            HasHeader = false, Separator = settings.Delimiter ?? ',', TrackLineNumbers = true, FormatProvider = CultureInfo.InvariantCulture,
            FieldCountMismatch = CsvFieldCountHandling.Allow, MalformedData = CsvMalformedDataHandling.Recover,
            MaxRecordSize = MaxRecordBytes, TrimWhitespace = false, SkipEmptyLines = true, DetectSeparatorHint = false,
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
            record++;
            var fields = csv.Current.ToArray();
            if (record == 1 && fields.Length > 0 && fields[0] is { } first && first.StartsWith('\uFEFF')) fields[0] = first[1..];
            yield return (record, csv.LineNumber, fields, null);
        }
    }

    private static IEnumerable<(int Record, long Line, string?[] Fields, string? Problem)> ReadXlsx(Stream stream, ImportFileSettings settings)
    {
        IEnumerable<dynamic> rows;
        try
        {
            rows = MiniExcel.Query(stream, useHeaderRow: false, sheetName: settings.Sheet);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ImportFileException("The workbook could not be read (it may be damaged or password-protected).");
        }
        var line = 0;
        var record = 0;
        foreach (IDictionary<string, object?> row in rows)
        {
            line++;
            var values = row.Values.Select(Cell).ToArray();
            var last = Array.FindLastIndex(values, v => !string.IsNullOrEmpty(v));
            if (last < 0) continue;
            record++;
            yield return (record, line, values, null);
        }
    }

    /// <summary>Typed cells back to text, the way a CSV export would write them.</summary>
    private static string? Cell(object? value) => value switch
    {
        null => null,
        string s => s,
        DateTime d => d.TimeOfDay == TimeSpan.Zero ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : d.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        double d => d.ToString("0.###############", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
