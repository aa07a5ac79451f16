namespace Crm.Core.Imports;

/// <summary>
/// What the upload looks like: how it will be read, its header, a few rows, anything worth a warning, and — from the
/// same single pass over the file — how many data rows it has and how many blank ones (only delimiters or spaces,
/// or empty spreadsheet rows) are skipped, and a profile of each column (how full it is, which values a picklist column has).
/// </summary>
public sealed record FileInspection(
    ImportFileSettings Settings,
    string EncodingLabel,
    IReadOnlyList<string> Sheets,
    IReadOnlyList<string> Headers,
    IReadOnlyList<string?[]> SampleRows,
    IReadOnlyList<string> Preamble,
    IReadOnlyList<string> Warnings,
    int TotalRows = 0,
    int BlankRows = 0,
    IReadOnlyList<ColumnProfile>? Columns = null)
{
    /// <summary>The profile of the column at this index (an empty one when the file was not profiled).</summary>
    public ColumnProfile ColumnAt(int index) => Columns is { } columns && index < columns.Count ? columns[index] : Unprofiled;

    private static readonly ColumnProfile Unprofiled = new(1, null);
}

/// <summary>A data row as the file has it: its number, the line it starts on, its values, and a reading problem if any.</summary>
public sealed record SourceRow(int RowNumber, long LineNumber, string?[] Fields, string? Problem = null);

/// <summary>The file could not be read at all; the message says why and what to do.</summary>
public sealed class ImportFileException(string message) : Exception(message);

/// <summary>Reads CSV/TSV/TXT and XLSX uploads, streaming.</summary>
public interface ITabularFileReader
{
    /// <summary>Detects encoding, delimiter, header row and sheet (or applies the given overrides) and reads a sample.</summary>
    Task<FileInspection> InspectAsync(string fileKey, string fileName, ImportFileSettings? overrides, CancellationToken ct = default);

    /// <summary>The data rows after the header, in order, one at a time; blank rows are left out.</summary>
    IAsyncEnumerable<SourceRow> ReadAsync(string fileKey, ImportFileSettings settings, int headerCount, CancellationToken ct = default);
}

public sealed record StoredFile(string Key, long Size);

/// <summary>Uploaded and generated files (a local folder by default).</summary>
public interface IFileStore
{
    /// <summary>Stores the content; refuses it (and keeps nothing) past <paramref name="maxBytes"/>.</summary>
    Task<StoredFile> SaveAsync(string area, long workspaceId, string extension, Stream content, long maxBytes, CancellationToken ct = default);

    Stream OpenRead(string key);

    /// <summary>A new, empty file to write (an export); its key, and a stream the caller disposes.</summary>
    (string Key, Stream Stream) Create(string area, long workspaceId, string extension);

    long SizeOf(string key);

    bool Exists(string key);

    Task DeleteAsync(string key, CancellationToken ct = default);
}
