using System.Net;
using System.Net.Sockets;

namespace Crm.Core.Webhooks;

/// <summary>
/// Where a webhook may be sent (the SSRF guard): <c>https</c> only (plain <c>http</c> to hosts an operator allows),
/// no credentials in the URL, and every address the host resolves to public — not loopback, private, link-local
/// (cloud metadata at 169.254.169.254 included), shared, multicast or reserved, in IPv4 or IPv6, IPv4-mapped and
/// NAT64 forms included. Checked when a subscription is saved and again at every delivery, at connection time, since
/// DNS can change between the two.
/// </summary>
public static class WebhookTargets
{
    /// <summary>Null when the URL may be used as given (its addresses still to be checked); otherwise why not.</summary>
    public static string? Problem(string? url, IReadOnlySet<string> allowedHttpHosts)
    {
        if (string.IsNullOrWhiteSpace(url)) return "Enter the URL to send events to.";
        if (url.Length > WebhookLimits.UrlChars) return $"The URL is longer than {WebhookLimits.UrlChars} characters.";
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)) return "The URL is not a valid absolute URL.";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "The URL must not contain a user name or password.";
        if (uri.Scheme == Uri.UriSchemeHttp)
        {
            if (!allowedHttpHosts.Contains(uri.Host)) return "The URL must use https (plain http only to hosts the operator allows).";
        }
        else if (uri.Scheme != Uri.UriSchemeHttps) return "The URL must use https.";
        if (!string.IsNullOrEmpty(uri.Fragment)) return "The URL must not have a #fragment.";
        // A literal address is judged now; a name when it is resolved.
        if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var literal) && !IsPublic(literal) && !allowedHttpHosts.Contains(uri.Host))
            return "The URL points at a private, loopback or link-local address.";
        if (uri.IdnHost.Equals("localhost", StringComparison.OrdinalIgnoreCase) && !allowedHttpHosts.Contains(uri.Host))
            return "The URL points at this machine.";
        return null;
    }

    /// <summary>True for an address on the public internet.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) return IsPublic(address.MapToIPv4());
        if (address.AddressFamily == AddressFamily.InterNetwork) return IsPublicV4(address.GetAddressBytes());
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return false;
        var b = address.GetAddressBytes();
        if (address.Equals(IPAddress.IPv6Loopback) || address.Equals(IPAddress.IPv6Any)) return false;
        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast) return false;
        if ((b[0] & 0xFE) == 0xFC) return false; // fc00::/7 unique local (fd00:ec2::254, the AWS metadata address, included)
        // NAT64 (64:ff9b::/96) and IPv4-compatible (::/96): the IPv4 address inside decides.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4..12].All(x => x == 0)) return IsPublicV4(b[12..]);
        if (b[..12].All(x => x == 0)) return false;
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) return false; // 2001:db8::/32 documentation
        if (b[0] == 0x20 && b[1] == 0x02) return IsPublicV4(b[2..6]); // 6to4 carries an IPv4 address
        return (b[0] & 0xE0) == 0x20; // global unicast 2000::/3
    }

    private static bool IsPublicV4(byte[] b) => !(
        b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224 // this network, private, loopback, multicast and reserved
        || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)         // shared address space (carrier NAT)
        || (b[0] == 169 && b[1] == 254)                       // link-local: cloud metadata services
        || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
        || (b[0] == 192 && b[1] == 168)
        || (b[0] == 192 && b[1] == 0 && (b[2] == 0 || b[2] == 2)) // IETF protocol assignments, documentation
        || (b[0] == 198 && (b[1] == 18 || b[1] == 19))         // benchmarking
        || (b[0] == 198 && b[1] == 51 && b[2] == 100)
        || (b[0] == 203 && b[1] == 0 && b[2] == 113));
}
