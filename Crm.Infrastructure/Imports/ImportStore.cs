using Crm.Core.Common;
using Crm.Core.Imports;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Imports;

/// <summary>Batch lookups through EF Core; writes through the writer that suits the provider.</summary>
public sealed class ImportStore(CrmDatabase database, IImportBatchWriter writer) : IImportStore
{
    public async Task<IReadOnlyDictionary<string, ITrackedRecord>> FindExistingAsync(ImportContext context, IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        await using var db = database.Create(context.Actor);
        return await ImportLookups.FindExistingAsync(db, context, keys, ct);
    }

    public async Task<(IReadOnlyDictionary<string, long> ByName, IReadOnlyDictionary<string, long> ByDomain)> FindAccountsAsync(
        long workspaceId, IReadOnlyCollection<string>? names, IReadOnlyCollection<string>? domains, CancellationToken ct)
    {
        await using var db = database.Create(Actor.System(workspaceId));
        return await ImportLookups.FindAccountsAsync(db, names, domains, ct);
    }

    public async Task<IReadOnlyDictionary<string, long>> FindContactsByEmailAsync(long workspaceId, IReadOnlyCollection<string> emails, CancellationToken ct)
    {
        await using var db = database.Create(Actor.System(workspaceId));
        return await ImportLookups.FindContactsByEmailAsync(db, emails, ct);
    }

    public Task<IImportWriter> OpenWriterAsync(ImportContext context, CancellationToken ct) => writer.OpenAsync(context, ct);
}
