using System.Text;

namespace Crm.Infrastructure.Exports;

/// <summary>
/// What MiniExcel writes that spreadsheets would not read back as it was, repaired in one more copy of the
/// worksheets when a workbook holds it: each half of a surrogate pair escaped on its own (an emoji becomes
/// "_xD83D__xDE80_", which Excel's sibling readers do not turn back into the character) is written as the character;
/// a carriage return written raw (which every XML reader turns into a line feed, so "a\r\nb" came back "a\nb") is
/// written "&amp;#13;". A literal "_xD83D_" in the data was escaped as "_x005F_xD83D_" and is left alone; MiniExcel
/// writes no line breaks of its own, so every raw CR is one of a value.
/// </summary>
public static partial class XlsxTextRepair
{
    [System.Text.RegularExpressions.GeneratedRegex("(?<!_x005F)_x(D[89AB][0-9A-F]{2})__x(D[C-F][0-9A-F]{2})_|\r")]
    private static partial System.Text.RegularExpressions.Regex Needing();

    /// <summary>The longest text a repair looks at: an escaped pair, 14 characters, plus the 6 of "_x005F" before it.</summary>
    private const int Overlap = 20;

    public static void Repair(Stream workbook, Stream output, CancellationToken ct)
    {
        using var source = new System.IO.Compression.ZipArchive(workbook, System.IO.Compression.ZipArchiveMode.Read, leaveOpen: true);
        using var target = new System.IO.Compression.ZipArchive(output, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true);
        foreach (var entry in source.Entries)
        {
            ct.ThrowIfCancellationRequested();
            var copy = target.CreateEntry(entry.FullName, System.IO.Compression.CompressionLevel.Fastest);
            using var from = entry.Open();
            using var to = copy.Open();
            if (!entry.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal) && entry.FullName != "xl/sharedStrings.xml")
            {
                from.CopyTo(to);
                continue;
            }
            using var reader = new StreamReader(from, new UTF8Encoding(false));
            using var writer = new StreamWriter(to, new UTF8Encoding(false), 1 << 16);
            var buffer = new char[1 << 16];
            var pending = new StringBuilder();
            var context = 0;
            int read;
            while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
            {
                ct.ThrowIfCancellationRequested();
                pending.Append(buffer, 0, read);
                context = Flush(pending, context, writer, final: false);
            }
            Flush(pending, context, writer, final: true);
        }
    }

    /// <summary>
    /// Writes the repaired text of <paramref name="pending"/> after its first <paramref name="context"/> characters
    /// (already written, kept so a look-behind sees them), holding back the last <see cref="Overlap"/> characters
    /// unless this is the end: a match never straddles two blocks. Returns the context for the next block.
    /// </summary>
    private static int Flush(StringBuilder pending, int context, StreamWriter writer, bool final)
    {
        var text = pending.ToString();
        var limit = final ? text.Length : Math.Max(context, text.Length - Overlap);
        var written = context;
        for (var match = Needing().Match(text, context); match.Success && match.Index < limit; match = match.NextMatch())
        {
            writer.Write(text.AsSpan(written, match.Index - written));
            writer.Write(match.Value == "\r"
                ? "&#13;"
                : new string([(char)Convert.ToUInt16(match.Groups[1].Value, 16), (char)Convert.ToUInt16(match.Groups[2].Value, 16)]));
            written = match.Index + match.Length;
        }
        if (limit > written)
        {
            writer.Write(text.AsSpan(written, limit - written));
            written = limit;
        }
        var keepFrom = Math.Max(0, written - 6);
        pending.Clear().Append(text, keepFrom, text.Length - keepFrom);
        return written - keepFrom;
    }
}
