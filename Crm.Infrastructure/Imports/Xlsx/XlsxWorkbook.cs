using System.IO.Compression;
using System.Xml;
using Crm.Core.Imports;

namespace Crm.Infrastructure.Imports.Xlsx;

/// <summary>
/// An .xlsx package opened for reading: its sheets (name → part), the date system (1900 or Mac Excel's 1904), which
/// cell styles are dates, and its shared text — each part read with <see cref="XlsxLimits"/>.
/// </summary>
public sealed class XlsxWorkbook : IDisposable
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private readonly ZipArchive _zip;
    private readonly string _fileName;
    private readonly List<(string Name, string Part)> _sheets = [];
    private bool[] _dateStyles = [];
    private XlsxSharedStrings? _sharedStrings;
    private long _expanded;

    private XlsxWorkbook(ZipArchive zip, string fileName)
    {
        _zip = zip;
        _fileName = fileName;
    }

    public IReadOnlyList<string> SheetNames => _sheets.Select(s => s.Name).ToList();

    /// <summary>Mac Excel's date system: serial 0 is 1904-01-01, not 1899-12-30 (1,462 days apart).</summary>
    public bool Date1904 { get; private set; }

    /// <summary>How messages name the file: "'people.xlsx'" or "The workbook".</summary>
    public string FileName => _fileName;

    public static XlsxWorkbook Open(Stream stream, string fileName, CancellationToken ct)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException)
        {
            throw Damaged(fileName);
        }
        var workbook = new XlsxWorkbook(zip, fileName);
        try
        {
            workbook.ReadWorkbook(ct);
            workbook.ReadStyles(ct);
            return workbook;
        }
        catch
        {
            workbook.Dispose();
            throw;
        }
    }

    public string PartOf(string sheet) => _sheets.First(s => s.Name == sheet).Part;

    public bool IsDateStyle(int style) => style >= 0 && style < _dateStyles.Length && _dateStyles[style];

    /// <summary>The shared text, read once on first use.</summary>
    public XlsxSharedStrings SharedStrings(CancellationToken ct)
    {
        if (_sharedStrings is not null) return _sharedStrings;
        var part = _zip.GetEntry("xl/sharedStrings.xml") is null ? null : "xl/sharedStrings.xml";
        _sharedStrings = part is null ? XlsxSharedStrings.Empty : XlsxSharedStrings.Read(OpenPart(part), _fileName, ct);
        return _sharedStrings;
    }

    /// <summary>A part as XML: no DTDs, no external entities, its expansion counted against the part's and the file's limits.</summary>
    public XmlReader OpenPart(string path)
    {
        var entry = _zip.GetEntry(path) ?? throw Damaged(_fileName);
        Stream stream;
        try
        {
            stream = entry.Open();
        }
        catch (InvalidDataException)
        {
            throw Damaged(_fileName);
        }
        var limit = Math.Min(XlsxLimits.AllowedExpandedBytes(entry), XlsxLimits.MaxExpandedBytes - _expanded);
        _expanded += entry.Length > 0 ? Math.Min(entry.Length, limit) : 0;
        var counted = new ExpansionLimitStream(stream, limit, () => XlsxLimits.TooBig(_fileName,
            $"its part {path} expands to more than {limit / (1024 * 1024):N0} MB from {entry.CompressedLength / 1024.0:N0} KB (a compressed bomb, or a damaged file)"));
        return XmlReader.Create(counted, new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreProcessingInstructions = true,
            CloseInput = true, MaxCharactersFromEntities = 1024,
        });
    }

    private void ReadWorkbook(CancellationToken ct)
    {
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_zip.GetEntry("xl/_rels/workbook.xml.rels") is not null)
            using (var rels = OpenPart("xl/_rels/workbook.xml.rels"))
                while (Read(rels, ct))
                    if (rels is { NodeType: XmlNodeType.Element, LocalName: "Relationship" } && rels.GetAttribute("Id") is { } id && rels.GetAttribute("Target") is { } target)
                        targets[id] = target.StartsWith('/') ? target[1..] : "xl/" + target;
        using var workbook = OpenPart("xl/workbook.xml");
        while (Read(workbook, ct))
        {
            if (workbook.NodeType != XmlNodeType.Element || workbook.NamespaceURI != Main) continue;
            if (workbook.LocalName == "workbookPr")
                Date1904 = workbook.GetAttribute("date1904") is "1" or "true";
            else if (workbook.LocalName == "sheet" && workbook.GetAttribute("name") is { } name
                     && workbook.GetAttribute("id", Relationships) is { } relation && targets.TryGetValue(relation, out var part) && _zip.GetEntry(part) is not null)
                _sheets.Add((name, part));
        }
    }

    private void ReadStyles(CancellationToken ct)
    {
        if (_zip.GetEntry("xl/styles.xml") is null) return;
        var custom = new Dictionary<int, bool>();
        var styles = new List<bool>();
        using var xml = OpenPart("xl/styles.xml");
        var inCellXfs = false;
        while (Read(xml, ct))
        {
            if (xml.NodeType == XmlNodeType.EndElement && xml.LocalName == "cellXfs") inCellXfs = false;
            if (xml.NodeType != XmlNodeType.Element) continue;
            switch (xml.LocalName)
            {
                case "numFmt" when int.TryParse(xml.GetAttribute("numFmtId"), out var id):
                    custom[id] = XlsxDateFormats.IsDate(xml.GetAttribute("formatCode") ?? "");
                    break;
                case "cellXfs":
                    inCellXfs = !xml.IsEmptyElement;
                    break;
                case "xf" when inCellXfs:
                    var format = int.TryParse(xml.GetAttribute("numFmtId"), out var f) ? f : 0;
                    styles.Add(custom.TryGetValue(format, out var isDate) ? isDate : XlsxDateFormats.IsBuiltInDate(format));
                    break;
            }
        }
        _dateStyles = [.. styles];
    }

    /// <summary>One XML node further, cancellable.</summary>
    internal static bool Read(XmlReader reader, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            return reader.Read();
        }
        catch (XmlException e)
        {
            throw new ImportFileException($"The workbook could not be read: its XML is broken ({e.Message}). Save it again as .xlsx or export it as CSV.");
        }
    }

    public static ImportFileException Damaged(string name) =>
        new($"{name} could not be opened as an Excel workbook (it may be damaged or password-protected). Save it again as .xlsx or export it as CSV.");

    public void Dispose() => _zip.Dispose();
}

/// <summary>Which number formats show a date or a time.</summary>
public static class XlsxDateFormats
{
    /// <summary>Excel's built-in formats 14–22 and 45–47 (dates and times); 27–36 and 50–58 are East Asian dates.</summary>
    public static bool IsBuiltInDate(int id) => id is >= 14 and <= 22 or >= 27 and <= 36 or >= 45 and <= 47 or >= 50 and <= 58;

    /// <summary>A custom code shows a date when, outside quoted text, escapes and [colour] brackets, it has y, m, d, h or s.</summary>
    public static bool IsDate(string code)
    {
        var inQuote = false;
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (c == '"') { inQuote = !inQuote; continue; }
            if (inQuote) continue;
            if (c is '\\' or '_' or '*') { i++; continue; }
            if (c == '[')
            {
                var end = code.IndexOf(']', i);
                if (end < 0) return false;
                // [h], [mm], [ss]: elapsed time; anything else in brackets is a colour, a condition or a locale.
                var inside = code[(i + 1)..end].ToLowerInvariant();
                if (inside.Length > 0 && inside.All(x => x is 'h' or 'm' or 's')) return true;
                i = end;
                continue;
            }
            if (c is 'y' or 'Y' or 'd' or 'D' or 'h' or 'H' or 's' or 'S' or 'm' or 'M') return !code.Equals("General", StringComparison.OrdinalIgnoreCase);
        }
        return false;
    }
}
