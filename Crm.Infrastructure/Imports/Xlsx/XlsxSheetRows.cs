using System.Globalization;
using System.Text;
using System.Xml;
using Crm.Core.Imports;

namespace Crm.Infrastructure.Imports.Xlsx;

/// <summary>One row of a sheet as text: its row number in the sheet, its values by column, and a problem if any.</summary>
public readonly record struct XlsxRow(int Number, string?[] Fields, string? Problem);

/// <summary>
/// Reads a sheet's rows streaming, whatever its &lt;dimension&gt; claims: only the cells that are there, typed cells
/// as a CSV export would write them (numbers invariant, dates ISO in the workbook's date system, booleans true/false).
/// Every row element counts against Excel's row limit, empty or not, and every step honours cancellation.
/// </summary>
public static class XlsxSheetRows
{
    private static readonly DateTime Epoch1904 = new(1904, 1, 1);

    public static IEnumerable<XlsxRow> Read(XlsxWorkbook workbook, string sheet, CancellationToken ct)
    {
        var strings = workbook.SharedStrings(ct);
        using var xml = workbook.OpenPart(workbook.PartOf(sheet));
        var fields = new List<string?>();
        var text = new StringBuilder();
        var rowNumber = 0;
        string? problem = null;
        while (XlsxWorkbook.Read(xml, ct))
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "row")
            {
                rowNumber = int.TryParse(xml.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r > rowNumber ? r : rowNumber + 1;
                if (rowNumber > XlsxLimits.MaxRows)
                    throw XlsxLimits.TooBig(workbook.FileName, $"sheet '{sheet}' goes beyond row {XlsxLimits.MaxRows:N0}, Excel's last row");
                fields.Clear();
                problem = null;
                if (xml.IsEmptyElement) yield return new XlsxRow(rowNumber, [], null);
            }
            else if (xml.NodeType == XmlNodeType.EndElement && xml.LocalName == "row")
            {
                yield return new XlsxRow(rowNumber, [.. fields], problem);
            }
            else if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "c")
            {
                var column = ColumnOf(xml.GetAttribute("r"), fields.Count);
                var value = CellValue(xml, workbook, strings, text);
                if (string.IsNullOrEmpty(value)) continue;
                if (column >= ImportLimits.MaxColumns)
                {
                    problem ??= $"Row {rowNumber} has a value in column {XlsxLimits.Column(column)}, beyond the {ImportLimits.MaxColumns:N0} columns an import reads.";
                    continue;
                }
                while (fields.Count < column) fields.Add(null);
                if (fields.Count == column) fields.Add(value);
                else fields[column] = value;
            }
        }
    }

    /// <summary>"AB12" → 27; without a reference, the next column.</summary>
    private static int ColumnOf(string? reference, int next)
    {
        if (string.IsNullOrEmpty(reference)) return next;
        var column = 0;
        var letters = 0;
        foreach (var c in reference)
        {
            if (c is >= 'A' and <= 'Z') column = column * 26 + (c - 'A' + 1);
            else if (c is >= 'a' and <= 'z') column = column * 26 + (c - 'a' + 1);
            else break;
            // Past "XFD" (16,384) a reference is nonsense; keep the number from growing.
            if (++letters > 3) return int.MaxValue - 1;
        }
        return letters == 0 ? next : column - 1;
    }

    /// <summary>Reads the &lt;c&gt; element the reader is on, leaving it on its end.</summary>
    private static string? CellValue(XmlReader xml, XlsxWorkbook workbook, XlsxSharedStrings strings, StringBuilder text)
    {
        var type = xml.GetAttribute("t");
        var style = int.TryParse(xml.GetAttribute("s"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        if (xml.IsEmptyElement) return null;
        var depth = xml.Depth;
        string? raw = null;
        text.Clear();
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.EndElement && xml.Depth == depth) break;
            if (xml.NodeType != XmlNodeType.Element) continue;
            if (xml.LocalName == "v")
            {
                text.Clear();
                XlsxText.Append(xml, text, workbook.FileName, "cell");
                raw = text.ToString();
            }
            else if (xml.LocalName == "t" && type == "inlineStr")
            {
                XlsxText.Append(xml, text, workbook.FileName, "cell");
                raw = text.ToString();
            }
        }
        if (raw is null) return null;
        switch (type)
        {
            case "s":
                return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? strings[index] : null;
            case "inlineStr" or "str":
                return XlsxText.Unescape(raw);
            case "b":
                return raw == "1" ? "true" : "false";
            case "e" or "d":
                return raw;
            default:
                if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return raw;
                return workbook.IsDateStyle(style) ? DateText(number, workbook.Date1904) : number.ToString("0.###############", CultureInfo.InvariantCulture);
        }
    }

    /// <summary>A date serial as ISO text: a date, a date and time, or a time of day alone.</summary>
    private static string DateText(double serial, bool date1904)
    {
        if (serial < 0 || serial > 2_958_465) return serial.ToString("0.###############", CultureInfo.InvariantCulture);
        var value = date1904 ? Epoch1904.AddDays(serial) : DateTime.FromOADate(serial);
        value = new DateTime(value.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond + (value.Millisecond >= 500 ? TimeSpan.TicksPerSecond : 0));
        if (serial < 1 && !date1904) return value.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        return value.TimeOfDay == TimeSpan.Zero
            ? value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : value.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
    }
}
