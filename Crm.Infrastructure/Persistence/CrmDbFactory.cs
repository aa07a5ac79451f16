using Crm.Core.Common;

namespace Crm.Infrastructure.Persistence;

/// <summary>Opens a context for whoever the current request, circuit or job runs as.</summary>
public sealed class CrmDbFactory(CrmDatabase database, ICurrentActor currentActor) : ICrmDbFactory
{
    public async Task<ICrmDb> CreateAsync(CancellationToken ct = default) => database.Create(await currentActor.GetAsync(ct));
}
