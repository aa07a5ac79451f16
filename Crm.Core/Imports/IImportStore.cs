using Crm.Core.Common;

namespace Crm.Core.Imports;

/// <summary>The database as an import needs it: batch lookups, one transaction per batch, and the job's own row.</summary>
public interface IImportStore
{
    /// <summary>Existing records whose match field has one of <paramref name="keys"/>, by lower-case key.</summary>
    Task<IReadOnlyDictionary<string, ITrackedRecord>> FindExistingAsync(ImportContext context, IReadOnlyCollection<string> keys, CancellationToken ct);

    /// <summary>Accounts by lower-case name and by domain, for the names and domains asked (all of them when null).</summary>
    Task<(IReadOnlyDictionary<string, long> ByName, IReadOnlyDictionary<string, long> ByDomain)> FindAccountsAsync(
        long workspaceId, IReadOnlyCollection<string>? names, IReadOnlyCollection<string>? domains, CancellationToken ct);

    /// <summary>Contact ids by (lower-case) email.</summary>
    Task<IReadOnlyDictionary<string, long>> FindContactsByEmailAsync(long workspaceId, IReadOnlyCollection<string> emails, CancellationToken ct);

    /// <summary>The writer of one run of an import: its transactions, one after another, on one connection.</summary>
    Task<IImportWriter> OpenWriterAsync(ImportContext context, CancellationToken ct);
}

/// <summary>
/// Writes one run of an import. It holds what its transactions share (on SQLite, a connection of its own whose page
/// cache keeps the hot index pages from one commit to the next); disposing it releases that.
/// </summary>
public interface IImportWriter : IAsyncDisposable
{
    /// <summary>
    /// Opens a transaction that writes planned batches (new accounts, created and updated records, before-images,
    /// history, row errors) and commits them together with the job's progress. All or nothing.
    /// </summary>
    Task<IImportWrite> BeginAsync(CancellationToken ct);
}

/// <summary>
/// One transaction of an import. Several batches go into one commit: a commit rewrites every index page its rows
/// touched, so fewer, larger commits write far less. Disposing it uncommitted rolls everything back.
/// </summary>
public interface IImportWrite : IAsyncDisposable
{
    /// <summary>Rows written since the transaction began.</summary>
    int Rows { get; }

    Task WriteAsync(BatchPlan plan, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Adds what was written to the job's progress, commits, and says whether a cancel was asked for. Throws
    /// <see cref="ImportClaimLostException"/> (and commits nothing) when another runner has taken the job over.
    /// </summary>
    Task<BatchOutcome> CommitAsync(DateTimeOffset now, CancellationToken ct);
}

/// <summary>The job was taken over by another runner (this one was thought dead): this one must stop writing.</summary>
public sealed class ImportClaimLostException(long importId) : Exception($"Import {importId} is now run by another runner.");
