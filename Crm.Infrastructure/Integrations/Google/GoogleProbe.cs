using System.Text.Json.Serialization;
using Crm.Core.Integrations.Calls;
using Crm.Core.Integrations.Google;
using Crm.Core.Integrations.OAuth;
using Crm.Core.Integrations.Tokens;
using Crm.Infrastructure.Integrations.Calls;

namespace Crm.Infrastructure.Integrations.Google;

/// <summary>Google's OpenID Connect userinfo through the provider pipeline: the mailbox's address.</summary>
public sealed class GoogleProbe(HttpClient http, GoogleAppSettings settings) : IConnectionProbe
{
    public async Task<ConnectedAccount> ProbeAsync(ConnectionRef connection, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, settings.UserInfoUrl).For(connection);
        using var response = await ProviderResponses.SendAsync(http, request, "Google", ct);
        var me = await ProviderResponses.ReadAsync<UserInfo>(response, "Google", ct);
        return new ConnectedAccount(me.Subject ?? "", me.Email ?? "");
    }

    private sealed record UserInfo([property: JsonPropertyName("sub")] string? Subject, [property: JsonPropertyName("email")] string? Email);
}
