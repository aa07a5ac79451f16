using System.Collections.Concurrent;

namespace Crm.Infrastructure.Integrations.HubSpot;

/// <summary>
/// The custom HubSpot property that holds, on every record the sync creates there, the record here it came from
/// (<c>workspace:id</c>), with a unique value: a create whose answer was lost is found by it (and a repeat refused by
/// HubSpot), so a retried batch never makes a second deal or company. Made in the portal the first time a connection
/// creates records of a type; remembered per connection and type while the app runs.
/// </summary>
public sealed class HubSpotKeyProperty
{
    public const string Name = "crm_record_id";
    public const string Label = "CRM record ID (sync)";

    private readonly ConcurrentDictionary<(long IntegrationId, string ObjectType), bool> _ensured = new();

    public async Task EnsureAsync(long integrationId, string objectType, Func<Task> ensure)
    {
        if (_ensured.ContainsKey((integrationId, objectType))) return;
        await ensure();
        _ensured[(integrationId, objectType)] = true;
    }
}
