using System.Text.Json.Serialization;
using Crm.Core.Integrations.Calls;
using Crm.Core.Integrations.Graph;
using Crm.Core.Integrations.OAuth;
using Crm.Core.Integrations.Tokens;
using Crm.Infrastructure.Integrations.Calls;

namespace Crm.Infrastructure.Integrations.Graph;

/// <summary>Graph's <c>/me</c> through the provider pipeline (at most 4 requests at once per mailbox): the user principal name.</summary>
public sealed class MicrosoftProbe(HttpClient http, MicrosoftAppSettings settings) : IConnectionProbe
{
    public async Task<ConnectedAccount> ProbeAsync(ConnectionRef connection, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, settings.GraphBaseUrl.TrimEnd('/') + "/me?$select=id,userPrincipalName").For(connection);
        using var response = await ProviderResponses.SendAsync(http, request, "Microsoft Graph", ct);
        var me = await ProviderResponses.ReadAsync<Me>(response, "Microsoft Graph", ct);
        return new ConnectedAccount(me.Id ?? "", me.UserPrincipalName ?? "");
    }

    private sealed record Me([property: JsonPropertyName("id")] string? Id, [property: JsonPropertyName("userPrincipalName")] string? UserPrincipalName);
}
