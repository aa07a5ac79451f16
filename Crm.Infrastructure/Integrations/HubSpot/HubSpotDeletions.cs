using System.Globalization;
using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Sync;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Integrations.HubSpot;

/// <summary>
/// The records HubSpot's webhooks reported deleted for a connection's portal since a time ("contact.deletion",
/// "company.deletion", "deal.deletion"; a merge's losing ids from "contact.merge"), from the webhook inbox. Found by the
/// portal, not by the inbox job's processing, so a run started by that job already sees them.
/// </summary>
public sealed class HubSpotDeletions(CrmDatabase database) : IRemoteDeletions
{
    public const int Max = 10_000;

    public async Task<IReadOnlyList<string>> DeletedSinceAsync(ConnectionRef connection, string objectType, DateTimeOffset since, CancellationToken ct)
    {
        var singular = objectType switch { "contacts" => "contact", "companies" => "company", "deals" => "deal", _ => null };
        if (singular is null) return [];
        await using var db = database.Create(Actor.System(connection.WorkspaceId));
        var portal = await db.Integrations.Where(i => i.Id == connection.IntegrationId).Select(i => i.AccountId).SingleOrDefaultAsync(ct);
        if (portal is null) return [];
        var types = new[] { $"{singular}.deletion", $"{singular}.merge" };
        var payloads = await db.WebhookEvents.AsNoTracking()
            .Where(e => e.Provider == "hubspot" && e.Account == portal && e.Type != null && types.Contains(e.Type) && e.ReceivedAt >= since)
            .OrderBy(e => e.Id).Select(e => e.Payload).Take(Max).ToListAsync(ct);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var payload in payloads)
        {
            using var json = JsonDocument.Parse(payload);
            var root = json.RootElement;
            if (root.TryGetProperty("mergedObjectIds", out var merged) && merged.ValueKind == JsonValueKind.Array)
            {
                // The ids merged away are gone; the surviving record comes in as a change.
                var primary = root.TryGetProperty("primaryObjectId", out var p) ? p.ToString() : null;
                foreach (var id in merged.EnumerateArray()) if (id.ToString() != primary) ids.Add(id.ToString());
            }
            else if (root.TryGetProperty("objectId", out var objectId))
                ids.Add(objectId.ValueKind == JsonValueKind.Number ? objectId.GetInt64().ToString(CultureInfo.InvariantCulture) : objectId.ToString());
        }
        return ids.ToList();
    }
}
