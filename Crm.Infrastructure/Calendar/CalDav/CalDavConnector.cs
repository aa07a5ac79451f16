using System.Net;
using System.Net.Sockets;
using Crm.Core.Calendar;
using Crm.Core.Common;
using Crm.Core.Integrations.CalDav;
using Crm.Core.Integrations.Calls;

namespace Crm.Infrastructure.Calendar.CalDav;

/// <summary>
/// Tries a CalDAV account before it is saved. The address a person types is one this server will call, so it must be
/// https on a public address (loopback, private, link-local and metadata addresses refused, checked on what the name
/// resolves to) unless an operator listed the host in <see cref="CalDavAppSettings.AllowedPrivateHosts"/>.
/// </summary>
public sealed class CalDavConnector(CalDavClient client, CalDavAppSettings settings) : ICalDavConnector
{
    public async Task<CalDavProbe> ProbeAsync(string serverUrl, string username, string password, CancellationToken ct)
    {
        var server = await CheckAddressAsync(serverUrl, settings, ct);
        try
        {
            var (_, home, calendars) = await client.DiscoverAsync(new CalDavAccount(server, username, password), ct);
            return new CalDavProbe(home.ToString(), calendars.Select(c => new CalendarChoice(c.Url.ToString(), c.Name, false, c.CanWrite, false, c.TimeZone)).ToList());
        }
        catch (ProviderApiException e)
        {
            throw new ValidationFailedException(e.StatusCode == 401 ? "Password" : "ServerUrl", e.Message);
        }
    }

    public static async Task<Uri> CheckAddressAsync(string serverUrl, CalDavAppSettings settings, CancellationToken ct)
    {
        if (!Uri.TryCreate(serverUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.UserInfo))
            throw new ValidationFailedException("ServerUrl", "Enter the server's address, like https://caldav.icloud.com/.");
        var allowed = settings.AllowedPrivateHosts.Contains(uri.Host, StringComparer.OrdinalIgnoreCase);
        if (allowed) return uri;
        if (uri.Scheme != "https") throw new ValidationFailedException("ServerUrl", "The server's address must start with https://.");
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.DnsSafeHost, ct);
        }
        catch (SocketException)
        {
            throw new ValidationFailedException("ServerUrl", $"{uri.Host} could not be found.");
        }
        if (addresses.Length == 0 || addresses.Any(IsPrivate)) throw new ValidationFailedException("ServerUrl", $"{uri.Host} is not a public address.");
        return uri;
    }

    /// <summary>Loopback, private (RFC 1918, unique local), link-local (cloud metadata), carrier-grade NAT, unspecified; IPv4 mapped in IPv6 included.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
        var b = address.GetAddressBytes();
        return b[0] == 10 || b[0] == 127 || b[0] == 0 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168)
               || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] is >= 64 and <= 127) || b[0] >= 224;
    }
}
