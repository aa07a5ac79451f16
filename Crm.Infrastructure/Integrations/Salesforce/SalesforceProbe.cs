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
        await ReadAllocationAsync(connection, instance, ct);
        return new ConnectedAccount(me.OrganizationId ?? "", $"org {me.OrganizationId} at {instance}, connected by {me.PreferredUsername}", instance);
    }

    /// <summary>The org's daily API allocation (/limits: DailyApiRequests.Max) becomes the connection's daily cap.</summary>
    private async Task ReadAllocationAsync(ConnectionRef connection, string instance, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, instance.TrimEnd('/') + $"/services/data/{ApiVersion}/limits").For(connection);
        using var response = await ProviderResponses.SendAsync(http, request, "Salesforce", ct);
        var limits = await ProviderResponses.ReadAsync<Limits>(response, "Salesforce", ct);
        if (limits.DailyApiRequests is not { Max: > 0 } daily) return;
        await using var db = database.Create(Actor.System(connection.WorkspaceId, ChangeSource.Sync));
        await db.Integrations.Where(i => i.Id == connection.IntegrationId).ExecuteUpdateAsync(s => s.SetProperty(i => i.DailyCallLimit, daily.Max), ct);
    }

    /// <summary>The REST API version the connector speaks.</summary>
    public const string ApiVersion = "v62.0";

    private sealed record Limits([property: JsonPropertyName("DailyApiRequests")] Allocation? DailyApiRequests);

    private sealed record Allocation([property: JsonPropertyName("Max")] int Max, [property: JsonPropertyName("Remaining")] int Remaining);

    private sealed record UserInfo([property: JsonPropertyName("organization_id")] string? OrganizationId,
        [property: JsonPropertyName("preferred_username")] string? PreferredUsername);
}
