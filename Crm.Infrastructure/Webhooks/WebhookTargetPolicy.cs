using System.Net;
using System.Net.Sockets;
using Crm.Core.Webhooks;

namespace Crm.Infrastructure.Webhooks;

/// <summary>
/// The SSRF guard when a subscription is saved: the URL's form (<see cref="WebhookTargets.Problem"/>), then every
/// address its host resolves to. Deliveries check again as they connect (<see cref="WebhookConnections"/>).
/// </summary>
public sealed class WebhookTargetPolicy(WebhookSettings settings, IWebhookDns dns) : IWebhookTargetPolicy
{
    public async Task<string?> ProblemAsync(string? url, CancellationToken ct)
    {
        var allowed = settings.AllowedHostSet;
        if (WebhookTargets.Problem(url, allowed) is { } problem) return problem;
        var uri = new Uri(url!.Trim());
        if (allowed.Contains(uri.Host)) return null;
        IPAddress[] addresses;
        try
        {
            addresses = await dns.ResolveAsync(uri.IdnHost, ct);
        }
        catch (SocketException)
        {
            return $"The host {uri.Host} could not be found.";
        }
        if (addresses.Length == 0) return $"The host {uri.Host} could not be found.";
        return addresses.All(WebhookTargets.IsPublic) ? null : "The URL resolves to a private, loopback or link-local address.";
    }
}

/// <summary>Name resolution, replaceable in tests (a host that rebinds to a private address between two lookups).</summary>
public interface IWebhookDns
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct);
}

public sealed class SystemWebhookDns : IWebhookDns
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? Task.FromResult(new[] { literal }) : Dns.GetHostAddressesAsync(host, ct);
}
