using System.IO.Compression;
using Crm.Core.Imports;

namespace Crm.Infrastructure.Imports.Xlsx;

/// <summary>
/// What a workbook may make us read, whatever its own parts claim: a workbook is a zip of XML, and a few kilobytes
/// can claim a sheet 16,384 columns wide, expand to gigabytes, or hold one cell of 400 million characters. Every
/// part is read streaming and counted; crossing a limit stops the read with a message, never a server out of memory.
/// </summary>
public static class XlsxLimits
{
    /// <summary>Excel's own limit for one cell.</summary>
    public const int MaxCellChars = 32_767;

    /// <summary>All shared text of a workbook (held while its rows are read, as UTF-8).</summary>
    public const long MaxSharedStringChars = 128L * 1024 * 1024;

    /// <summary>A part may expand to this many times its compressed size (real sheets: 5–30 times)...</summary>
    public const int MaxExpansionRatio = 200;

    /// <summary>...or to this size, whichever is larger, so small parts are never refused for their ratio.</summary>
    public const long MinExpandedBytesAllowed = 16L * 1024 * 1024;

    /// <summary>All parts together, expanded.</summary>
    public const long MaxExpandedBytes = 4L * 1024 * 1024 * 1024;

    /// <summary>Rows counted as they are read, empty ones too: Excel's own row limit.</summary>
    public const int MaxRows = 1_048_576;

    public static long AllowedExpandedBytes(ZipArchiveEntry entry) =>
        Math.Max(MinExpandedBytesAllowed, Math.Min(MaxExpandedBytes, entry.CompressedLength * MaxExpansionRatio));

    public static string Column(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26) name = (char)('A' + (n - 1) % 26) + name;
        return name;
    }

    /// <param name="name">How messages name the file: "'people.xlsx'" or "The workbook".</param>
    public static ImportFileException TooBig(string name, string what) =>
        new($"{name} cannot be read safely: {what}. Save it again from a spreadsheet, or export the sheet as CSV.");
}

/// <summary>Counts what a zip entry expands to and stops at the limit.</summary>
internal sealed class ExpansionLimitStream(Stream inner, long limit, Func<Exception> tooBig) : Stream
{
    private long _read;

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    private int Count(int read)
    {
        _read += read;
        if (_read > limit) throw tooBig();
        return read;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
