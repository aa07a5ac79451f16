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

    /// <summary>
    /// Writes one batch in one transaction: new accounts, created and updated records, before-images, history,
    /// row errors and the job's progress. All or nothing.
    /// </summary>
    Task<BatchOutcome> CommitAsync(ImportContext context, BatchPlan plan, DateTimeOffset now, CancellationToken ct);
}
