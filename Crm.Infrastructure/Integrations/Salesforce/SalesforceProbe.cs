using System.Text.Json.Serialization;
using Crm.Core.Common;
using Crm.Core.Integrations.Calls;
using Crm.Core.Integrations.OAuth;
using Crm.Core.Integrations.Tokens;
using Crm.Infrastructure.Integrations.Calls;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Integrations.Salesforce;

/// <summary>The org's userinfo at its instance URL through the provider pipeline.</summary>
public sealed class SalesforceProbe(HttpClient http, CrmDatabase database) : IConnectionProbe
{
    public async Task<ConnectedAccount> ProbeAsync(ConnectionRef connection, CancellationToken ct)
    {
        string? instance;
        await using (var db = database.Create(Actor.System(connection.WorkspaceId, ChangeSource.Sync)))
            instance = await db.Integrations.Where(i => i.Id == connection.IntegrationId).Select(i => i.InstanceUrl).SingleOrDefaultAsync(ct);
        if (string.IsNullOrEmpty(instance)) throw new ProviderApiException("Salesforce", 0, "no_instance", "The connection does not know its org's instance URL; reconnect it.");
        using var request = new HttpRequestMessage(HttpMethod.Get, instance.TrimEnd('/') + "/services/oauth2/userinfo").For(connection);
        using var response = await ProviderResponses.SendAsync(http, request, "Salesforce", ct);
        var me = await ProviderResponses.ReadAsync<UserInfo>(response, "Salesforce", ct);
        return new ConnectedAccount(me.OrganizationId ?? "", $"org {me.OrganizationId} at {instance}, connected by {me.PreferredUsername}", instance);
    }

    private sealed record UserInfo([property: JsonPropertyName("organization_id")] string? OrganizationId,
        [property: JsonPropertyName("preferred_username")] string? PreferredUsername);
}
