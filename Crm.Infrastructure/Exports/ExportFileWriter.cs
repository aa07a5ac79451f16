using System.Collections;
using System.Data;
using System.Globalization;
using System.Text.Json;
using Crm.Core.Exports;
using CsvHelper;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace Crm.Infrastructure.Exports;

/// <summary>
/// Writes export files streaming: CSV with CsvHelper (formula injection neutralised), XLSX with MiniExcel from a
/// data reader (typed cells, bold frozen header, one sheet per object type), JSON and NDJSON with Utf8JsonWriter.
/// Memory stays flat in the number of rows.
/// </summary>
public sealed class ExportFileWriter : IExportFileWriter
{
    private const int ProgressEvery = 5_000;

    public async Task WriteAsync(ExportJob job, IReadOnlyList<ExportSheet> sheets, Stream output, Action<int> progress, CancellationToken ct)
    {
        switch (job.Format)
        {
            case ExportFormat.Csv:
                await WriteCsvAsync(job, sheets.Single(), output, progress, ct);
                break;
            case ExportFormat.Xlsx:
                WriteXlsx(sheets, output, progress, ct);
                break;
            default:
                await WriteJsonAsync(sheets.Single(), output, job.Format == ExportFormat.Ndjson, progress, ct);
                break;
        }
    }

    private static async Task WriteCsvAsync(ExportJob job, ExportSheet sheet, Stream output, Action<int> progress, CancellationToken ct)
    {
        var culture = job.ExcelFriendly ? CultureInfo.GetCultureInfo(job.Culture ?? "en-US") : CultureInfo.InvariantCulture;
        var separator = job.ExcelFriendly ? SeparatorOf(culture) : ',';
        var options = new CsvWriterOptions
        {
            Separator = separator, WriteByteOrderMark = job.ExcelFriendly, FormatProvider = CultureInfo.InvariantCulture,
            NewLine = "\r\n", Injection = CsvInjection.None, HasHeader = false,
        };
        var format = new CsvCells(culture, job.ExcelFriendly);
        await using var csv = CsvWriter.Create(output, options, leaveOpen: true);
        foreach (var column in sheet.Columns) csv.WriteField(column.Header);
        csv.EndRecord();
        var rows = 0;
        await foreach (var row in sheet.RowsAsync(ct))
        {
            for (var i = 0; i < row.Length; i++)
            {
                var (text, guarded) = format.Text(sheet.Columns[i].Kind, row[i]);
                if (guarded) csv.WriteField(text, CsvQuoting.Always);
                else csv.WriteField(text);
            }
            csv.EndRecord();
            if (++rows % ProgressEvery == 0) progress(rows);
        }
        await csv.FlushAsync(ct);
        progress(rows);
    }

    /// <summary>The culture's list separator as Excel uses it: ";" where the decimal separator is a comma.</summary>
    public static char SeparatorOf(CultureInfo culture) =>
        culture.TextInfo.ListSeparator is { Length: 1 } s && s[0] != culture.NumberFormat.NumberDecimalSeparator[0] ? s[0]
        : culture.NumberFormat.NumberDecimalSeparator == "," ? ';' : ',';

    private static void WriteXlsx(IReadOnlyList<ExportSheet> sheets, Stream output, Action<int> progress, CancellationToken ct)
    {
        var written = 0;
        var repair = false;
        var data = new Dictionary<string, object>();
        foreach (var sheet in sheets)
            data[sheet.Name] = new SheetReader(sheet, ct, () => { if (++written % ProgressEvery == 0) progress(written); }, () => repair = true);
        var configuration = new OpenXmlConfiguration
        {
            FreezeRowCount = 1, TableStyles = TableStyles.Default, AutoFilter = true, EnableWriteNullValueCell = false,
            // Shared strings cached in memory are what a million-row sheet cannot afford.
            EnableSharedStringCache = false,
        };
        var temporary = Path.Combine(Path.GetTempPath(), $"crm-export-{Guid.NewGuid():N}.xlsx");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
                MiniExcel.SaveAs(file, data, printHeader: true, excelType: ExcelType.XLSX, configuration: configuration);
            using var written_ = File.OpenRead(temporary);
            if (repair) XlsxTextRepair.Repair(written_, output, ct);
            else written_.CopyTo(output);
        }
        finally
        {
            File.Delete(temporary);
        }
        progress(written);
    }

    private static async Task WriteJsonAsync(ExportSheet sheet, Stream output, bool lines, Action<int> progress, CancellationToken ct)
    {
        var names = sheet.Columns.Select(c => JsonEncodedText.Encode(c.Key)).ToArray();
        var rows = 0;
        // Unicode as itself (the file is downloaded, never embedded in HTML); quotes and control characters stay escaped.
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false, SkipValidation = lines, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        if (!lines) json.WriteStartArray();
        await foreach (var row in sheet.RowsAsync(ct))
        {
            json.WriteStartObject();
            for (var i = 0; i < row.Length; i++)
            {
                json.WritePropertyName(names[i]);
                JsonCells.Write(json, sheet.Columns[i].Kind, row[i]);
            }
            json.WriteEndObject();
            if (lines)
            {
                await json.FlushAsync(ct);
                output.WriteByte((byte)'\n');
                json.Reset(output);
            }
            if (++rows % ProgressEvery == 0)
            {
                await json.FlushAsync(ct);
                progress(rows);
            }
        }
        if (!lines) json.WriteEndArray();
        await json.FlushAsync(ct);
        progress(rows);
    }

    /// <summary>
    /// A sheet's rows as a forward-only data reader for MiniExcel: typed values (numbers, dates, yes/no) become typed
    /// cells; lists are joined; enums are their names as the API writes them.
    /// </summary>
    private sealed class SheetReader(ExportSheet sheet, CancellationToken ct, Action counted, Action needsRepair) : IDataReader
    {
        private IEnumerator<object?[]>? _rows;
        private object?[] _current = [];

        public int FieldCount => sheet.Columns.Count;
        public string GetName(int i) => sheet.Columns[i].Header;
        public int GetOrdinal(string name) => sheet.Columns.ToList().FindIndex(c => c.Header == name);
        public Type GetFieldType(int i) => typeof(object);
        public string GetDataTypeName(int i) => "object";

        public bool Read()
        {
            ct.ThrowIfCancellationRequested();
            _rows ??= sheet.Rows().GetEnumerator();
            if (!_rows.MoveNext()) return false;
            _current = _rows.Current;
            counted();
            return true;
        }

        public object GetValue(int i)
        {
            var value = XlsxCells.Value(sheet.Columns[i].Kind, _current[i]);
            if (value is string text && (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0 || text.Contains('\r'))) needsRepair();
            return value ?? DBNull.Value;
        }
        public bool IsDBNull(int i) => GetValue(i) is DBNull;

        public int GetValues(object[] values)
        {
            for (var i = 0; i < FieldCount; i++) values[i] = GetValue(i);
            return FieldCount;
        }

        public object this[int i] => GetValue(i);
        public object this[string name] => GetValue(GetOrdinal(name));
        public int Depth => 0;
        public bool IsClosed => false;
        public int RecordsAffected => -1;
        public bool NextResult() => false;
        public void Close() => _rows?.Dispose();
        public void Dispose() => _rows?.Dispose();
        public DataTable GetSchemaTable() => throw new NotSupportedException();
        public bool GetBoolean(int i) => (bool)GetValue(i);
        public byte GetByte(int i) => (byte)GetValue(i);
        public long GetBytes(int i, long fieldOffset, byte[]? buffer, int bufferoffset, int length) => throw new NotSupportedException();
        public char GetChar(int i) => (char)GetValue(i);
        public long GetChars(int i, long fieldoffset, char[]? buffer, int bufferoffset, int length) => throw new NotSupportedException();
        public IDataReader GetData(int i) => throw new NotSupportedException();
        public DateTime GetDateTime(int i) => (DateTime)GetValue(i);
        public decimal GetDecimal(int i) => (decimal)GetValue(i);
        public double GetDouble(int i) => (double)GetValue(i);
        public float GetFloat(int i) => (float)GetValue(i);
        public Guid GetGuid(int i) => (Guid)GetValue(i);
        public short GetInt16(int i) => (short)GetValue(i);
        public int GetInt32(int i) => (int)GetValue(i);
        public long GetInt64(int i) => (long)GetValue(i);
        public string GetString(int i) => (string)GetValue(i);
    }
}

/// <summary>Values as CSV text: invariant or the culture's decimal separator, ISO dates, and the formula guard.</summary>
public sealed class CsvCells(CultureInfo culture, bool excelFriendly)
{
    private readonly NumberFormatInfo _numbers = (NumberFormatInfo)culture.NumberFormat.Clone();

    /// <summary>The cell's text, and whether the formula guard changed it (it is then always quoted, as OWASP asks).</summary>
    public (string Text, bool Guarded) Text(ExportKind kind, object? value)
    {
        switch (value)
        {
            case null:
                return ("", false);
            case long or int when kind is ExportKind.Integer or ExportKind.Decimal:
                return (Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture), false);
            case decimal d when kind is ExportKind.Decimal or ExportKind.Integer:
                return (d.ToString("0.############################", _numbers), false);
            case DateOnly date:
                return (date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), false);
            case DateTimeOffset at:
                return (excelFriendly
                    ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
                    : at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), false);
            case bool flag:
                return (flag ? "true" : "false", false);
            default:
                return FormulaGuard.Neutralise(ExportText.Of(value));
        }
    }
}

/// <summary>
/// OWASP's CSV injection defence: a text cell starting with = + - @ tab CR LF (or NUL, or their full-width forms)
/// gets a leading apostrophe, so spreadsheets show it as text instead of running it.
/// </summary>
public static class FormulaGuard
{
    public static (string Text, bool Guarded) Neutralise(string text) =>
        Crm.Core.Common.FormulaText.StartsDangerously(text) ? (Crm.Core.Common.FormulaText.Guard(text), true) : (text, false);
}

/// <summary>Non-numeric values as text: enums as the API names them, lists joined with "; ".</summary>
public static class ExportText
{
    public static string Of(object value) => value switch
    {
        string s => s,
        Enum e => JsonNamingPolicy.CamelCase.ConvertName(e.ToString()),
        IEnumerable list and not string => string.Join("; ", list.Cast<object?>().Where(v => v is not null)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>Values as XLSX cells: numbers stay numbers, dates become dates, the rest text (never formulas).</summary>
public static class XlsxCells
{
    public static object? Value(ExportKind kind, object? value) => value switch
    {
        null => null,
        long or int or decimal or double => value,
        DateOnly date => date.ToDateTime(TimeOnly.MinValue),
        DateTimeOffset at => at.UtcDateTime,
        bool flag => flag,
        _ => ExportText.Of(value),
    };
}

/// <summary>Values as JSON: numbers, ISO dates, booleans, arrays for lists, strings for the rest.</summary>
public static class JsonCells
{
    public static void Write(Utf8JsonWriter json, ExportKind kind, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case long l: json.WriteNumberValue(l); break;
            case int n: json.WriteNumberValue(n); break;
            case decimal d: json.WriteNumberValue(d); break;
            case bool b: json.WriteBooleanValue(b); break;
            case DateOnly date: json.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
            case DateTimeOffset at: json.WriteStringValue(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)); break;
            case IEnumerable list and not string:
                json.WriteStartArray();
                foreach (var item in list) if (item is not null) json.WriteStringValue(ExportText.Of(item));
                json.WriteEndArray();
                break;
            default: json.WriteStringValue(ExportText.Of(value)); break;
        }
    }
}
