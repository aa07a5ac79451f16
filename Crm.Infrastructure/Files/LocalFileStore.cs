using Crm.Core.Imports;
using static System.FormattableString;

namespace Crm.Infrastructure.Files;

/// <summary>Files in a local folder (by default beside the database). Keys are relative paths the store itself made.</summary>
public sealed class LocalFileStore(string root) : IFileStore
{
    private const int BufferSize = 1 << 16;

    public string Root { get; } = Path.GetFullPath(root);

    public async Task<StoredFile> SaveAsync(string area, long workspaceId, string extension, Stream content, long maxBytes, CancellationToken ct = default)
    {
        var key = $"{area}/{workspaceId}/{Guid.CreateVersion7():N}{extension}";
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        long size = 0;
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
            var buffer = new byte[BufferSize];
            int read;
            while ((read = await content.ReadAsync(buffer, ct)) > 0)
            {
                size += read;
                if (size > maxBytes)
                    throw new ImportFileException(Invariant($"The file is larger than {maxBytes / (1024 * 1024):N0} MB, the most one import takes. Split it into several files."));
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        return new StoredFile(key, size);
    }

    public Stream OpenRead(string key) =>
        new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);

    public (string Key, Stream Stream) Create(string area, long workspaceId, string extension)
    {
        var key = $"{area}/{workspaceId}/{Guid.CreateVersion7():N}{extension}";
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return (key, new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous));
    }

    public long SizeOf(string key) => new FileInfo(PathOf(key)).Length;

    public bool Exists(string key) => File.Exists(PathOf(key));

    public Task DeleteAsync(string key, CancellationToken ct = default)
    {
        var path = PathOf(key);
        if (File.Exists(path)) File.Delete(path);
        return Task.CompletedTask;
    }

    public string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(Root, key));
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || key.Contains("..", StringComparison.Ordinal))
            throw new InvalidOperationException("A file key points outside the file store.");
        return path;
    }
}
