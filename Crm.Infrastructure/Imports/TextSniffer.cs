using System.Text;
using Crm.Core.Imports;
using static System.FormattableString;

namespace Crm.Infrastructure.Imports;

/// <summary>Works out how a text upload is encoded and delimited, and refuses what is not text at all.</summary>
public static class TextSniffer
{
    public const string Utf8 = "utf-8";
    public const string Windows1252 = "windows-1252";

    static TextSniffer() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding EncodingOf(string name) => name.ToLowerInvariant() switch
    {
        "utf-8" => new UTF8Encoding(false),
        "utf-16le" => new UnicodeEncoding(bigEndian: false, byteOrderMark: true),
        "utf-16be" => new UnicodeEncoding(bigEndian: true, byteOrderMark: true),
        "utf-32le" => new UTF32Encoding(bigEndian: false, byteOrderMark: true),
        "utf-32be" => new UTF32Encoding(bigEndian: true, byteOrderMark: true),
        "windows-1252" or "cp1252" or "latin1" => Encoding.GetEncoding(1252),
        _ => throw new ImportFileException($"'{name}' is not an encoding we read; choose UTF-8, UTF-16, UTF-32 or Windows-1252."),
    };

    public static string Label(string name) => name switch
    {
        "utf-8" => "UTF-8",
        "utf-16le" => "UTF-16 (little-endian, with BOM)",
        "utf-16be" => "UTF-16 (big-endian, with BOM)",
        "utf-32le" => "UTF-32 (little-endian, with BOM)",
        "utf-32be" => "UTF-32 (big-endian, with BOM)",
        _ => "Windows-1252 (the bytes are not valid UTF-8)",
    };

    /// <summary>A byte-order mark decides; otherwise UTF-8 if every byte of the file is valid UTF-8, else Windows-1252.</summary>
    public static async Task<string> DetectEncodingAsync(Stream stream, CancellationToken ct)
    {
        var head = new byte[4];
        var count = await stream.ReadAtLeastAsync(head, 4, throwOnEndOfStream: false, ct);
        stream.Position = 0;
        if (count >= 4 && head[0] == 0xFF && head[1] == 0xFE && head[2] == 0 && head[3] == 0) return "utf-32le";
        if (count >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0xFE && head[3] == 0xFF) return "utf-32be";
        if (count >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) return Utf8;
        if (count >= 2 && head[0] is 0xFF or 0xFE && head[1] is 0xFF or 0xFE && head[0] != head[1])
        {
            // Java's "UTF-32" writers (Salesforce Data Loader among them) put a two-byte mark before UTF-32 text.
            var unit = new byte[4];
            stream.Position = 2;
            var units = await stream.ReadAtLeastAsync(unit, 4, throwOnEndOfStream: false, ct);
            stream.Position = 0;
            if (units == 4 && unit[0] != 0 && unit[1] == 0 && unit[2] == 0 && unit[3] == 0) return "utf-32le";
            if (units == 4 && unit[0] == 0 && unit[1] == 0 && unit[2] == 0 && unit[3] != 0) return "utf-32be";
            return head[0] == 0xFF ? "utf-16le" : "utf-16be";
        }

        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var bytes = new byte[1 << 16];
        var chars = new char[(1 << 16) + 4];
        int read;
        try
        {
            while ((read = await stream.ReadAsync(bytes, ct)) > 0)
                decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
            decoder.GetChars([], 0, 0, chars, 0, flush: true);
            return Utf8;
        }
        catch (DecoderFallbackException)
        {
            return Windows1252;
        }
        finally
        {
            stream.Position = 0;
        }
    }

    /// <summary>Moves past a byte-order mark (of any of the five kinds, whatever the encoding chosen) so it is not read as text.</summary>
    public static void SkipByteOrderMark(Stream stream)
    {
        Span<byte> head = stackalloc byte[4];
        stream.Position = 0;
        var count = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        stream.Position = head[..count] switch
        {
            [0xFF, 0xFE, 0, 0] or [0, 0, 0xFE, 0xFF] => 4,
            [0xEF, 0xBB, 0xBF, ..] => 3,
            [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..] => 2,
            _ => 0,
        };
    }

    /// <summary>Refuses binaries (images, PDFs, archives, executables, files full of NUL bytes) with a clear message.</summary>
    public static async Task EnsureTextAsync(Stream stream, string encoding, string fileName, CancellationToken ct)
    {
        var sample = new byte[1 << 16];
        var count = await stream.ReadAtLeastAsync(sample, sample.Length, throwOnEndOfStream: false, ct);
        stream.Position = 0;
        if (count == 0) throw new ImportFileException($"'{fileName}' is empty: there is nothing to import.");
        if (encoding.StartsWith("utf-16", StringComparison.Ordinal) || encoding.StartsWith("utf-32", StringComparison.Ordinal)) return;
        var kind = Magic(sample.AsSpan(0, count));
        if (kind is not null) throw new ImportFileException($"'{fileName}' is not a text file but {kind}. Export the data as CSV, or upload the spreadsheet as .xlsx.");
        var nul = 0;
        var control = 0;
        foreach (var b in sample.AsSpan(0, count))
        {
            if (b == 0) nul++;
            else if (b < 0x20 && b is not (0x09 or 0x0A or 0x0D or 0x0C)) control++;
        }
        // A stray NUL in a text export is the row mapper's to report; a file of them is not text.
        if (nul > Math.Max(8, count / 100) || control > Math.Max(8, count / 20))
            throw new ImportFileException(Invariant($"'{fileName}' contains binary data ({nul:N0} NUL bytes and {control:N0} control characters in its first {count:N0} bytes); it is not a CSV export."));
    }

    /// <summary>An .xlsx workbook (a zip) sent with a .csv name is read as the workbook it is.</summary>
    public static async Task<bool> IsZipAsync(Stream stream, CancellationToken ct)
    {
        var head = new byte[4];
        var count = await stream.ReadAtLeastAsync(head, 4, throwOnEndOfStream: false, ct);
        stream.Position = 0;
        return count == 4 && head[0] == 0x50 && head[1] == 0x4B && head[2] == 0x03 && head[3] == 0x04;
    }

    private static string? Magic(ReadOnlySpan<byte> b) => b switch
    {
        [0x25, 0x50, 0x44, 0x46, ..] => "a PDF document",
        [0x89, 0x50, 0x4E, 0x47, ..] => "a PNG image",
        [0xFF, 0xD8, 0xFF, ..] => "a JPEG image",
        [0x47, 0x49, 0x46, 0x38, ..] => "a GIF image",
        [0xD0, 0xCF, 0x11, 0xE0, ..] => "an old Excel (.xls) or Office document",
        [0x1F, 0x8B, ..] => "a gzip archive",
        [0x4D, 0x5A, ..] => "a Windows program",
        [0x7F, 0x45, 0x4C, 0x46, ..] => "a Linux program",
        [0x50, 0x4B, 0x03, 0x04, ..] => "a zip archive",
        _ => null,
    };

    /// <summary>
    /// The delimiter among , ; tab | that gives the most rows the same (greater than one) number of fields, reading
    /// quotes as CSV does. A file with one column has none; it reads with a comma.
    /// </summary>
    public static char SniffDelimiter(string sample, string fileName)
    {
        char[] candidates = fileName.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? ['\t', ',', ';', '|'] : [',', ';', '\t', '|'];
        var best = ',';
        var bestScore = 0;
        foreach (var candidate in candidates)
        {
            var counts = FieldCounts(sample, candidate).Take(100).ToList();
            if (counts.Count == 0) continue;
            var mode = counts.GroupBy(c => c).OrderByDescending(g => g.Count()).ThenByDescending(g => g.Key).First();
            if (mode.Key < 2) continue;
            var score = mode.Count() * 1000 + mode.Key;
            if (score > bestScore)
            {
                bestScore = score;
                best = candidate;
            }
        }
        return best;
    }

    /// <summary>Fields per record, with quoted delimiters and line breaks inside quotes honoured; blank lines skipped.</summary>
    public static IEnumerable<int> FieldCounts(string text, char delimiter)
    {
        var fields = 1;
        var quoted = false;
        var empty = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"') { quoted = !quoted; empty = false; }
            else if (!quoted && c == delimiter) { fields++; empty = false; }
            else if (!quoted && c is '\n' or '\r')
            {
                if (!empty) yield return fields;
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                fields = 1;
                empty = true;
            }
            else if (!char.IsWhiteSpace(c)) empty = false;
        }
        // The last record of a sample may be cut off; it is left out.
    }
}
