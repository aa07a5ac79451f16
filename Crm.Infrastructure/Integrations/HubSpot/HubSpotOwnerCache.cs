using System.Collections.Concurrent;

namespace Crm.Infrastructure.Integrations.HubSpot;

/// <summary>
/// A portal's owners, read once per connection every few minutes: they change rarely, and each object type's run
/// (contacts, companies, deals) wants them — three calls a run become one every five minutes.
/// </summary>
public sealed class HubSpotOwnerCache(TimeProvider time)
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<long, (DateTimeOffset At, IReadOnlyList<(string Id, string? Email)> Owners)> _owners = new();

    public async Task<IReadOnlyList<(string Id, string? Email)>> GetAsync(long integrationId, Func<Task<IReadOnlyList<(string Id, string? Email)>>> read)
    {
        var now = time.GetUtcNow();
        if (_owners.TryGetValue(integrationId, out var cached) && now - cached.At < KeepFor) return cached.Owners;
        var owners = await read();
        _owners[integrationId] = (now, owners);
        return owners;
    }
}
