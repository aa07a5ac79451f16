using System.Globalization;
using System.Text.Json.Serialization;
using Crm.Core.Integrations.Calls;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.OAuth;
using Crm.Core.Integrations.Tokens;
using Crm.Infrastructure.Integrations.Calls;

namespace Crm.Infrastructure.Integrations.HubSpot;

/// <summary>The portal's account details (GET /account-info/v3/details).</summary>
public sealed record HubSpotAccountDetails(
    [property: JsonPropertyName("portalId")] long PortalId, [property: JsonPropertyName("accountType")] string? AccountType,
    [property: JsonPropertyName("timeZone")] string? TimeZone, [property: JsonPropertyName("companyCurrency")] string? CompanyCurrency,
    [property: JsonPropertyName("uiDomain")] string? UiDomain, [property: JsonPropertyName("dataHostingLocation")] string? DataHostingLocation);

/// <summary>HubSpot's REST API for a connection, through the provider pipeline (budget, retries, token).</summary>
public sealed class HubSpotApi(HttpClient http) : IConnectionProbe
{
    public async Task<HubSpotAccountDetails> AccountDetailsAsync(ConnectionRef connection, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "account-info/v3/details").For(connection);
        using var response = await ProviderResponses.SendAsync(http, request, "HubSpot", ct);
        return await ProviderResponses.ReadAsync<HubSpotAccountDetails>(response, "HubSpot", ct);
    }

    public async Task<ConnectedAccount> ProbeAsync(ConnectionRef connection, CancellationToken ct)
    {
        var details = await AccountDetailsAsync(connection, ct);
        return new ConnectedAccount(details.PortalId.ToString(CultureInfo.InvariantCulture),
            $"{details.UiDomain ?? "HubSpot"} (portal {details.PortalId}{(details.AccountType is { } type ? ", " + type.ToLowerInvariant() : "")})");
    }
}
