using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using Crm.Core.Imports;

namespace Crm.Infrastructure.Imports.Xlsx;

/// <summary>
/// A workbook's shared text (xl/sharedStrings.xml), kept as UTF-8 in 1 MB blocks — about half the memory of .NET
/// strings — and decoded when a cell asks for it. Each entry is at most <see cref="XlsxLimits.MaxCellChars"/> and all
/// of them together at most <see cref="XlsxLimits.MaxSharedStringChars"/>; a larger one stops the read.
/// </summary>
public sealed class XlsxSharedStrings
{
    private const int BlockSize = 1 << 20;
    private readonly List<byte[]> _blocks = [];
    private readonly List<long> _starts = [];
    private long _length;

    public static XlsxSharedStrings Empty { get; } = new();

    public int Count => _starts.Count;

    public string this[int index]
    {
        get
        {
            if (index < 0 || index >= _starts.Count) throw new ImportFileException("The workbook refers to shared text it does not have; it is damaged. Save it again as .xlsx or export it as CSV.");
            var start = _starts[index];
            var end = index + 1 < _starts.Count ? _starts[index + 1] : _length;
            var length = (int)(end - start);
            var block = (int)(start / BlockSize);
            var offset = (int)(start % BlockSize);
            if (offset + length <= BlockSize) return Encoding.UTF8.GetString(_blocks[block], offset, length);
            var bytes = new byte[length];
            for (var copied = 0; copied < length; block++, offset = 0)
            {
                var take = Math.Min(length - copied, BlockSize - offset);
                Buffer.BlockCopy(_blocks[block], offset, bytes, copied, take);
                copied += take;
            }
            return Encoding.UTF8.GetString(bytes);
        }
    }

    public static XlsxSharedStrings Read(XmlReader xml, string fileName, CancellationToken ct)
    {
        using (xml)
        {
            var strings = new XlsxSharedStrings();
            long chars = 0;
            var text = new StringBuilder();
            var inItem = false;
            var phonetic = 0;
            while (XlsxWorkbook.Read(xml, ct))
            {
                switch (xml.NodeType)
                {
                    case XmlNodeType.Element when xml.LocalName == "si":
                        text.Clear();
                        inItem = !xml.IsEmptyElement;
                        if (!inItem) strings.Add("");
                        break;
                    // Phonetic guides (Japanese readings) are not part of the text.
                    case XmlNodeType.Element when xml.LocalName == "rPh" && !xml.IsEmptyElement:
                        phonetic++;
                        break;
                    case XmlNodeType.EndElement when xml.LocalName == "rPh":
                        phonetic--;
                        break;
                    case XmlNodeType.Element when xml.LocalName == "t" && inItem && phonetic == 0:
                        XlsxText.Append(xml, text, fileName, "shared text");
                        break;
                    case XmlNodeType.EndElement when xml.LocalName == "si":
                        inItem = false;
                        chars += text.Length;
                        if (chars > XlsxLimits.MaxSharedStringChars)
                            throw XlsxLimits.TooBig(fileName, $"its shared text is longer than {XlsxLimits.MaxSharedStringChars / (1024 * 1024):N0} million characters");
                        strings.Add(XlsxText.Unescape(text.ToString()));
                        break;
                }
            }
            return strings;
        }
    }

    private void Add(string value)
    {
        _starts.Add(_length);
        var bytes = Encoding.UTF8.GetBytes(value);
        var written = 0;
        while (written < bytes.Length)
        {
            var offset = (int)(_length % BlockSize);
            if (offset == 0 && _blocks.Count * (long)BlockSize <= _length) _blocks.Add(new byte[BlockSize]);
            var take = Math.Min(bytes.Length - written, BlockSize - offset);
            Buffer.BlockCopy(bytes, written, _blocks[^1], offset, take);
            written += take;
            _length += take;
        }
    }
}

/// <summary>Text of a cell or a shared string: read in chunks up to Excel's cell limit, and its _xHHHH_ escapes decoded.</summary>
public static partial class XlsxText
{
    /// <summary>Appends the text of the element the reader is on (a &lt;t&gt; or &lt;v&gt;), leaving the reader on its end.</summary>
    public static void Append(XmlReader xml, StringBuilder text, string fileName, string where)
    {
        if (xml.IsEmptyElement) return;
        var depth = xml.Depth;
        var buffer = new char[4096];
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.EndElement && xml.Depth == depth) return;
            if (xml.NodeType is not (XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)) continue;
            int read;
            while ((read = xml.ReadValueChunk(buffer, 0, buffer.Length)) > 0)
            {
                if (text.Length + read > XlsxLimits.MaxCellChars)
                    throw XlsxLimits.TooBig(fileName, $"a {where} holds more than {XlsxLimits.MaxCellChars:N0} characters, more than Excel allows in a cell");
                text.Append(buffer, 0, read);
            }
        }
    }

    /// <summary>"_x000D_" → carriage return, as Excel writes the characters XML cannot carry; "_x005F_" is a literal "_".</summary>
    public static string Unescape(string text) =>
        text.Contains("_x", StringComparison.Ordinal) ? Escape().Replace(text, m => ((char)Convert.ToUInt16(m.Groups[1].Value, 16)).ToString()) : text;

    [GeneratedRegex("_x([0-9A-Fa-f]{4})_")]
    private static partial Regex Escape();
}
