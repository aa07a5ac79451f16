using System.Net;
using System.Net.Http.Headers;
using Crm.Core.Integrations.Tokens;

namespace Crm.Infrastructure.Integrations.Calls;

/// <summary>
/// Closest to the wire: the connection's access token as a bearer token; a 401 refreshes once (single-flight, see
/// <see cref="IAccessTokens.RenewAsync"/>) and sends the request again with the new token. A second 401 is the answer.
/// </summary>
public sealed class ConnectionAuthHandler(IAccessTokens tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var connection = ProviderCall.ConnectionOf(request);
        var token = await tokens.GetAsync(connection, ct);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, ct);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return response;

        response.Dispose();
        var renewed = await tokens.RenewAsync(connection, token, ct);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", renewed);
        return await base.SendAsync(request, ct);
    }
}
