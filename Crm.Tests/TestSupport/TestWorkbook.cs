using System.IO.Compression;
using System.Text;

namespace Crm.Tests.TestSupport;

/// <summary>
/// Writes .xlsx packages part by part, as Excel or a hostile tool would, so tests can give the import what
/// spreadsheet libraries never write: a 1904 date system, an empty first sheet, a claimed dimension of 16,384
/// columns, a cell of millions of characters, shared text that expands a thousand times.
/// </summary>
public sealed class TestWorkbook
{
    private readonly List<(string Name, Action<Stream> Write)> _sheets = [];
    private Action<Stream>? _sharedStrings;

    public bool Date1904 { get; init; }

    /// <summary>Style 1 shows dates (built-in format 14); style 0 is General.</summary>
    public const int DateStyle = 1;

    public TestWorkbook Sheet(string name, string rowsXml, string? dimension = null) =>
        Sheet(name, s => Write(s, $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{(dimension is null ? "" : $"<dimension ref=\"{dimension}\"/>")}<sheetData>{rowsXml}</sheetData></worksheet>"""));

    /// <summary>A sheet whose XML is written by the caller (for parts too big to build as one string).</summary>
    public TestWorkbook Sheet(string name, Action<Stream> write)
    {
        _sheets.Add((name, write));
        return this;
    }

    public TestWorkbook SharedStrings(params string[] values) =>
        SharedStrings(s => Write(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                                    + string.Concat(values.Select(v => $"<si><t xml:space=\"preserve\">{System.Security.SecurityElement.Escape(v)}</t></si>")) + "</sst>"));

    public TestWorkbook SharedStrings(Action<Stream> write)
    {
        _sharedStrings = write;
        return this;
    }

    public void Save(string path)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        void Part(string name, string xml) => Entry(zip, name, s => Write(s, xml));
        Part("[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>""");
        Part("_rels/.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
        var sheets = string.Concat(_sheets.Select((s, i) => $"<sheet name=\"{s.Name}\" sheetId=\"{i + 1}\" r:id=\"rId{i + 1}\"/>"));
        Part("xl/workbook.xml", $"""<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr{(Date1904 ? " date1904=\"1\"" : "")}/><sheets>{sheets}</sheets></workbook>""");
        var rels = string.Concat(_sheets.Select((_, i) => $"<Relationship Id=\"rId{i + 1}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{i + 1}.xml\"/>"));
        Part("xl/_rels/workbook.xml.rels", $"""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>""");
        Part("xl/styles.xml", """<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>""");
        for (var i = 0; i < _sheets.Count; i++) Entry(zip, $"xl/worksheets/sheet{i + 1}.xml", _sheets[i].Write);
        if (_sharedStrings is not null) Entry(zip, "xl/sharedStrings.xml", _sharedStrings);
    }

    private static void Entry(ZipArchive zip, string name, Action<Stream> write)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        write(stream);
    }

    public static void Write(Stream stream, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        stream.Write(bytes);
    }

    /// <summary>An inline-string cell.</summary>
    public static string Text(string reference, string value) =>
        $"<c r=\"{reference}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{System.Security.SecurityElement.Escape(value)}</t></is></c>";

    public static string Number(string reference, double value, int style = 0) =>
        $"<c r=\"{reference}\" s=\"{style}\"><v>{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}</v></c>";

    public static string Row(int number, params string[] cells) => $"<row r=\"{number}\">{string.Concat(cells)}</row>";
}
