using System.Net;
using System.Net.Sockets;
using Crm.Core.Webhooks;

namespace Crm.Infrastructure.Webhooks;

/// <summary>
/// The HTTP handler deliveries go through: it resolves the host itself and connects only to an address that passes
/// <see cref="WebhookTargets.IsPublic"/> (or to a host the operator allows), at the moment of connecting — a name that
/// resolved to a public address when the subscription was saved and to a private one now (DNS rebinding) is refused.
/// Redirects are not followed; no cookies, no proxy.
/// </summary>
public static class WebhookConnections
{
    public static SocketsHttpHandler Handler(WebhookSettings settings, IWebhookDns dns) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        MaxConnectionsPerServer = 8,
        ConnectCallback = async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = await dns.ResolveAsync(host, ct);
            var allowed = settings.AllowedHostSet.Contains(host);
            var usable = addresses.Where(a => allowed || WebhookTargets.IsPublic(a)).ToList();
            if (usable.Count == 0) throw new WebhookTargetRefusedException($"{host} resolves to no public address.");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(usable.ToArray(), context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}

/// <summary>A delivery refused by the SSRF guard at connection time.</summary>
public sealed class WebhookTargetRefusedException(string message) : Exception(message);
