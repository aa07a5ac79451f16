using Crm.Core.Imports;

namespace Crm.Tests.TestSupport;

/// <summary>A file store whose keys are paths: the reader tests give it files they wrote.</summary>
public sealed class PathStore : IFileStore
{
    public Task<StoredFile> SaveAsync(string area, long workspaceId, string extension, Stream content, long maxBytes, CancellationToken ct = default) =>
        throw new NotSupportedException();

    public Stream OpenRead(string key) => File.OpenRead(key);

    public (string Key, Stream Stream) Create(string area, long workspaceId, string extension) => throw new NotSupportedException();

    public long SizeOf(string key) => new FileInfo(key).Length;

    public bool Exists(string key) => File.Exists(key);

    public Task DeleteAsync(string key, CancellationToken ct = default) => Task.CompletedTask;
}
