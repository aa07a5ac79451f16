using Crm.Core.Integrations.Graph;
using Crm.Core.Integrations.Tokens;
using Crm.Infrastructure.Integrations.Calls;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;

namespace Crm.Infrastructure.Email.Outlook;

/// <summary>
/// The Microsoft Graph SDK's client on the provider pipeline (the connection's token, budget and retries). The SDK
/// builds its own requests, so the connection they are for travels in <see cref="For"/>'s ambient scope and a handler in
/// front of the pipeline stamps it on each request.
/// </summary>
public sealed class GraphMailClient(IHttpClientFactory clients, MicrosoftAppSettings settings)
{
    public const string HttpClientName = "graph-mail";
    private static readonly AmbientValue<ConnectionRef?> Ambient = new();

    public GraphServiceClient Client { get; } = new(clients.CreateClient(HttpClientName), new AnonymousAuthenticationProvider(), settings.GraphBaseUrl.TrimEnd('/'));

    /// <summary>Calls made until the returned scope is disposed are made for <paramref name="connection"/>.</summary>
    public static IDisposable For(ConnectionRef connection) => Ambient.Use(connection);

    /// <summary>Stamps the ambient connection on a request the SDK made (a GET may be retried; a write is not).</summary>
    public sealed class AmbientConnectionHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!request.Options.TryGetValue(ProviderCall.Connection, out _) && Ambient.Value is { } connection)
                request.For(connection, idempotent: request.Method == HttpMethod.Get);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
