using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Crm.Core.Integrations.Calls;

namespace Crm.Infrastructure.Calendar.CalDav;

/// <summary>Where a CalDAV account is and who it is (an app-specific password for iCloud).</summary>
public sealed record CalDavAccount(Uri Server, string Username, string Password)
{
    public override string ToString() => $"CalDavAccount {{ {Server}, {Username}, *** }}";
}

/// <summary>A calendar collection found by discovery.</summary>
public sealed record CalDavCalendar(Uri Url, string Name, bool CanWrite, string? SyncToken, string? CTag, string? TimeZone);

/// <summary>A calendar object resource: its href, ETag and iCalendar text (null when only listed).</summary>
public sealed record CalDavResource(string Href, string? ETag, string? Data);

/// <summary>What changed in a collection since a sync token (RFC 6578): changed resources, removed hrefs, the new token.</summary>
public sealed record CalDavChanges(List<CalDavResource> Changed, List<string> Removed, string? Token);

/// <summary>A sync token the server no longer accepts (valid-sync-token precondition): the collection is read in full.</summary>
public sealed class CalDavSyncTokenInvalidException() : Exception("The CalDAV server no longer accepts the sync token.");

/// <summary>
/// CalDAV over HTTP (RFC 4791, RFC 6578), as Apple's iCloud and any CalDAV server speak it: discovery
/// (<c>/.well-known/caldav</c> → <c>current-user-principal</c> → <c>calendar-home-set</c> → calendars), changes by
/// <c>sync-collection</c> where offered and ETags otherwise, <c>calendar-multiget</c> for the resources that changed, and
/// PUT/DELETE of events. Basic authentication with the account's (app-specific) password; responses are read up to
/// <see cref="MaxResponseBytes"/>. Failures are the platform's typed <see cref="ProviderApiException"/> (401 says the password).
/// </summary>
public sealed class CalDavClient(HttpClient http)
{
    public const string Provider = "CalDAV";
    public const int MaxResponseBytes = 32 * 1024 * 1024;
    public const int MultigetBatch = 100;
    private static readonly XNamespace Dav = "DAV:";
    private static readonly XNamespace Cal = "urn:ietf:params:xml:ns:caldav";
    private static readonly XNamespace CalServer = "http://calendarserver.org/ns/";
    private static readonly XNamespace Apple = "http://apple.com/ns/ical/";

    public async Task<(Uri Principal, Uri Home, List<CalDavCalendar> Calendars)> DiscoverAsync(CalDavAccount account, CancellationToken ct)
    {
        // /.well-known/caldav redirects to the context path where the server has one; the server URL itself otherwise.
        var start = new Uri(account.Server, "/.well-known/caldav");
        var principal = await PrincipalAsync(account, start, ct) ?? await PrincipalAsync(account, account.Server, ct)
                        ?? throw new ProviderApiException(Provider, 200, "no_principal", "The server did not say which principal the account is (current-user-principal).");
        var homeProps = await PropfindAsync(account, principal, 0, new XElement(Cal + "calendar-home-set"), ct);
        var homeHref = homeProps.Descendants(Cal + "calendar-home-set").Elements(Dav + "href").FirstOrDefault()?.Value
                       ?? throw new ProviderApiException(Provider, 200, "no_home", "The account has no calendar home (calendar-home-set).");
        var home = new Uri(principal, homeHref);
        var listing = await PropfindAsync(account, home, 1, [new XElement(Dav + "resourcetype"), new XElement(Dav + "displayname"),
            new XElement(Cal + "supported-calendar-component-set"), new XElement(Dav + "current-user-privilege-set"), new XElement(Dav + "sync-token"),
            new XElement(CalServer + "getctag"), new XElement(Cal + "calendar-timezone")], ct);
        var calendars = new List<CalDavCalendar>();
        foreach (var response in listing.Elements(Dav + "response"))
        {
            var props = OkProps(response);
            if (props.Element(Dav + "resourcetype")?.Element(Cal + "calendar") is null) continue;
            var components = props.Element(Cal + "supported-calendar-component-set")?.Elements(Cal + "comp").Select(c => (string?)c.Attribute("name")).ToList();
            if (components is { Count: > 0 } && !components.Contains("VEVENT")) continue;
            var href = response.Element(Dav + "href")!.Value;
            var privileges = props.Element(Dav + "current-user-privilege-set")?.Descendants(Dav + "privilege").SelectMany(p => p.Elements()).Select(e => e.Name).ToList();
            var canWrite = privileges is null || privileges.Count == 0 || privileges.Any(p => p == Dav + "write" || p == Dav + "write-content" || p == Dav + "all");
            var url = new Uri(home, href);
            calendars.Add(new CalDavCalendar(url, props.Element(Dav + "displayname")?.Value is { Length: > 0 } name ? name : url.AbsolutePath.TrimEnd('/').Split('/')[^1],
                canWrite, props.Element(Dav + "sync-token")?.Value, props.Element(CalServer + "getctag")?.Value, TimeZoneOf(props.Element(Cal + "calendar-timezone")?.Value)));
        }
        return (principal, home, calendars);
    }

    /// <summary>Changes since <paramref name="token"/> (everything when null), by sync-collection with ETags; the data is fetched separately.</summary>
    /// <exception cref="CalDavSyncTokenInvalidException">The server refused the token.</exception>
    public async Task<CalDavChanges> SyncCollectionAsync(CalDavAccount account, Uri calendar, string? token, CancellationToken ct)
    {
        var body = new XDocument(new XElement(Dav + "sync-collection", new XAttribute(XNamespace.Xmlns + "d", Dav),
            new XElement(Dav + "sync-token", token ?? ""), new XElement(Dav + "sync-level", "1"), new XElement(Dav + "prop", new XElement(Dav + "getetag"))));
        using var request = Request(account, new HttpMethod("REPORT"), calendar, body, depth: null);
        using var response = await SendAsync(request, ct);
        if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed && token is not null)
        {
            var text = await ReadAsync(response, ct);
            if (text.Contains("valid-sync-token", StringComparison.Ordinal) || response.StatusCode != HttpStatusCode.Forbidden) throw new CalDavSyncTokenInvalidException();
        }
        var xml = await MultistatusAsync(response, ct);
        var changed = new List<CalDavResource>();
        var removed = new List<string>();
        foreach (var item in xml.Elements(Dav + "response"))
        {
            var href = item.Element(Dav + "href")?.Value;
            if (href is null || !href.EndsWith(".ics", StringComparison.OrdinalIgnoreCase)) continue;
            var status = item.Element(Dav + "status")?.Value;
            if (status?.Contains(" 404", StringComparison.Ordinal) == true) removed.Add(href);
            else changed.Add(new CalDavResource(href, OkProps(item).Element(Dav + "getetag")?.Value, null));
        }
        return new CalDavChanges(changed, removed, xml.Element(Dav + "sync-token")?.Value);
    }

    /// <summary>Every resource of a calendar with its ETag (for servers without sync-collection).</summary>
    public async Task<List<CalDavResource>> ListAsync(CalDavAccount account, Uri calendar, CancellationToken ct)
    {
        var xml = await PropfindAsync(account, calendar, 1, new XElement(Dav + "getetag"), ct);
        return xml.Elements(Dav + "response")
            .Select(r => new CalDavResource(r.Element(Dav + "href")?.Value ?? "", OkProps(r).Element(Dav + "getetag")?.Value, null))
            .Where(r => r.Href.EndsWith(".ics", StringComparison.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>The iCalendar data of these resources (calendar-multiget, in batches).</summary>
    public async Task<List<CalDavResource>> MultigetAsync(CalDavAccount account, Uri calendar, IReadOnlyList<string> hrefs, CancellationToken ct)
    {
        var all = new List<CalDavResource>();
        foreach (var batch in hrefs.Chunk(MultigetBatch))
        {
            var body = new XDocument(new XElement(Cal + "calendar-multiget", new XAttribute(XNamespace.Xmlns + "d", Dav), new XAttribute(XNamespace.Xmlns + "c", Cal),
                new XElement(Dav + "prop", new XElement(Dav + "getetag"), new XElement(Cal + "calendar-data")),
                batch.Select(h => new XElement(Dav + "href", h))));
            using var request = Request(account, new HttpMethod("REPORT"), calendar, body, depth: "1");
            using var response = await SendAsync(request, ct);
            var xml = await MultistatusAsync(response, ct);
            foreach (var item in xml.Elements(Dav + "response"))
            {
                var props = OkProps(item);
                if (item.Element(Dav + "href")?.Value is { } href && props.Element(Cal + "calendar-data")?.Value is { } data)
                    all.Add(new CalDavResource(href, props.Element(Dav + "getetag")?.Value, data));
            }
        }
        return all;
    }

    /// <summary>Writes an event resource; <paramref name="create"/> refuses to overwrite one that exists. The new ETag when the server gives it.</summary>
    public async Task<string?> PutAsync(CalDavAccount account, Uri url, string ics, bool create, CancellationToken ct)
    {
        using var request = Request(account, HttpMethod.Put, url, null, depth: null);
        request.Content = new StringContent(ics, Encoding.UTF8, "text/calendar");
        if (create) request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
        using var response = await SendAsync(request, ct);
        if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, ct);
        return response.Headers.ETag?.ToString();
    }

    public async Task DeleteAsync(CalDavAccount account, Uri url, CancellationToken ct)
    {
        using var request = Request(account, HttpMethod.Delete, url, null, depth: null);
        using var response = await SendAsync(request, ct);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone || response.IsSuccessStatusCode) return;
        throw await ErrorAsync(response, ct);
    }

    private async Task<Uri?> PrincipalAsync(CalDavAccount account, Uri url, CancellationToken ct)
    {
        try
        {
            var xml = await PropfindAsync(account, url, 0, new XElement(Dav + "current-user-principal"), ct);
            var href = xml.Descendants(Dav + "current-user-principal").Elements(Dav + "href").FirstOrDefault()?.Value;
            return href is null ? null : new Uri(url, href);
        }
        catch (ProviderApiException e) when (e.StatusCode is 404 or 405 or 501)
        {
            return null;
        }
    }

    private async Task<XElement> PropfindAsync(CalDavAccount account, Uri url, int depth, IEnumerable<XElement> props, CancellationToken ct)
    {
        var body = new XDocument(new XElement(Dav + "propfind", new XAttribute(XNamespace.Xmlns + "d", Dav), new XElement(Dav + "prop", props)));
        using var request = Request(account, new HttpMethod("PROPFIND"), url, body, depth.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await SendAsync(request, ct);
        return await MultistatusAsync(response, ct);
    }

    private Task<XElement> PropfindAsync(CalDavAccount account, Uri url, int depth, XElement prop, CancellationToken ct) => PropfindAsync(account, url, depth, [prop], ct);

    private static HttpRequestMessage Request(CalDavAccount account, HttpMethod method, Uri url, XDocument? body, string? depth)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{account.Username}:{account.Password}")));
        if (depth is not null) request.Headers.Add("Depth", depth);
        if (body is not null) request.Content = new StringContent(body.Declaration + body.ToString(SaveOptions.DisableFormatting), Encoding.UTF8, "application/xml");
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e)
        {
            throw new ProviderApiException(Provider, 0, e.HttpRequestError.ToString(), $"The calendar server could not be reached ({e.HttpRequestError}).");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ProviderApiException(Provider, 0, "timeout", "The calendar server did not answer in time.");
        }
        // Redirects are followed by hand, same host only (a well-known URL may point to the context path).
        if (response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect
            && response.Headers.Location is { } location && request.RequestUri is { } from)
        {
            var target = new Uri(from, location);
            response.Dispose();
            if (target.Host != from.Host) throw new ProviderApiException(Provider, 302, "redirect", "The calendar server sent us to another host; enter that server's address instead.");
            using var again = new HttpRequestMessage(request.Method, target);
            foreach (var header in request.Headers) again.Headers.TryAddWithoutValidation(header.Key, header.Value);
            if (request.Content is not null) again.Content = new StringContent(await request.Content.ReadAsStringAsync(ct), Encoding.UTF8, "application/xml");
            return await SendAsync(again, ct);
        }
        return response;
    }

    private static async Task<XElement> MultistatusAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if ((int)response.StatusCode != 207 && !response.IsSuccessStatusCode) throw await ErrorAsync(response, ct);
        var text = await ReadAsync(response, ct);
        try
        {
            return XDocument.Parse(text).Root ?? throw new ProviderApiException(Provider, (int)response.StatusCode, null, "The calendar server answered with an empty document.");
        }
        catch (System.Xml.XmlException)
        {
            throw new ProviderApiException(Provider, (int)response.StatusCode, null, "The calendar server answered with something that is not WebDAV XML.");
        }
    }

    private static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength > MaxResponseBytes) throw new ProviderApiException(Provider, (int)response.StatusCode, "too_large", "The calendar server's answer is too large.");
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes) throw new ProviderApiException(Provider, (int)response.StatusCode, "too_large", "The calendar server's answer is too large.");
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static async Task<ProviderApiException> ErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var message = status switch
        {
            401 => "The calendar server refused the user name or password (for iCloud, use an app-specific password).",
            403 => "The calendar server does not allow this account to do that.",
            404 => "The calendar server has nothing at that address.",
            412 => "The event changed on the calendar server meanwhile.",
            _ => $"The calendar server answered {status}.",
        };
        if (status >= 500) _ = await ReadAsync(response, ct);
        return new ProviderApiException(Provider, status, status == 401 ? "unauthorized" : null, message);
    }

    private static XElement OkProps(XElement response) =>
        response.Elements(Dav + "propstat").FirstOrDefault(p => p.Element(Dav + "status")?.Value.Contains(" 200", StringComparison.Ordinal) == true)?.Element(Dav + "prop")
        ?? new XElement(Dav + "prop");

    private static string? TimeZoneOf(string? vtimezone)
    {
        if (vtimezone is null) return null;
        var line = vtimezone.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("TZID:", StringComparison.Ordinal));
        return line?[5..];
    }
}
