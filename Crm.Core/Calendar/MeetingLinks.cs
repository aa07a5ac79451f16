using System.Net;
using System.Text.RegularExpressions;

namespace Crm.Core.Calendar;

/// <summary>
/// The video link of a meeting: the provider's conference data when it has one, otherwise the first Zoom, Google
/// Meet, Microsoft Teams or Webex join link in the location, then in the description — as invitations write them:
/// plain text, HTML (entities decoded, links inside <c>href</c>), Outlook's <c>&lt;https://…&gt;</c> brackets, and
/// wrapped by Outlook Safe Links or Google's redirector (unwrapped). Dial-in numbers, "find your local number" pages and
/// vendor home pages are not join links.
/// </summary>
public static partial class MeetingLinks
{
    public static string? Find(string? conferenceUrl, string? location, string? description)
    {
        if (Clean(conferenceUrl) is { } given && Uri.TryCreate(given, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps) return given;
        return FindIn(location) ?? FindIn(description);
    }

    /// <summary>The first join link in a text, or null.</summary>
    public static string? FindIn(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        // A huge description is searched in its first part only (invitations put the link near the top).
        var sample = text.Length > 50_000 ? text[..50_000] : text;
        var decoded = WebUtility.HtmlDecode(sample);
        foreach (Match candidate in Candidate().Matches(decoded))
        {
            var url = Unwrap(candidate.Value.TrimEnd('.', ',', ';', ')', ']', '>', '"', '\'', '*'));
            if (url is not null && IsJoinLink(url)) return url.Length <= Common.FieldLimits.Url ? url : null;
        }
        return null;
    }

    /// <summary>Which vendor a join link belongs to ("zoom", "meet", "teams", "webex"), or null.</summary>
    public static string? VendorOf(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri)) return null;
        var host = uri.Host.ToLowerInvariant();
        var path = uri.AbsolutePath;
        if ((host == "zoom.us" || host.EndsWith(".zoom.us", StringComparison.Ordinal) || host == "zoomgov.com" || host.EndsWith(".zoomgov.com", StringComparison.Ordinal))
            && ZoomPath().IsMatch(path)) return "zoom";
        if (host == "meet.google.com" && MeetPath().IsMatch(path)) return "meet";
        if ((host == "teams.microsoft.com" && (path.StartsWith("/l/meetup-join/", StringComparison.Ordinal) || path.StartsWith("/meet/", StringComparison.Ordinal)))
            || (host == "teams.live.com" && path.StartsWith("/meet/", StringComparison.Ordinal))) return "teams";
        if ((host.EndsWith(".webex.com", StringComparison.Ordinal) || host.EndsWith(".webex.com.cn", StringComparison.Ordinal))
            && (WebexPath().IsMatch(path) || uri.Query.Contains("MTID=", StringComparison.OrdinalIgnoreCase))) return "webex";
        return null;
    }

    private static bool IsJoinLink(string url) => VendorOf(url) is not null;

    /// <summary>Safe Links and Google's redirector hide the real address in a query parameter.</summary>
    private static string? Unwrap(string url)
    {
        for (var depth = 0; depth < 3; depth++)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps) return null;
            var host = uri.Host.ToLowerInvariant();
            var wrapped = host.EndsWith(".safelinks.protection.outlook.com", StringComparison.Ordinal) ? Parameter(uri.Query, "url")
                : (host is "www.google.com" or "google.com") && uri.AbsolutePath == "/url" ? Parameter(uri.Query, "q") ?? Parameter(uri.Query, "url")
                : null;
            if (wrapped is null) return url;
            url = wrapped;
        }
        return null;
    }

    private static string? Parameter(string query, string name)
    {
        foreach (var part in query.TrimStart('?').Split('&'))
        {
            var eq = part.IndexOf('=');
            if (eq > 0 && part[..eq] == name) return Uri.UnescapeDataString(part[(eq + 1)..].Replace('+', ' '));
        }
        return null;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex(@"https://[^\s""'<>\u00a0]+", RegexOptions.IgnoreCase)]
    private static partial Regex Candidate();

    [GeneratedRegex(@"^/(?:j|w|my|s|wc/join)/[\w.\-]+|^/wc/\d+/join", RegexOptions.IgnoreCase)]
    private static partial Regex ZoomPath();

    [GeneratedRegex(@"^/(?:lookup/)?[a-z]{3}-[a-z]{4}-[a-z]{3}$|^/[a-z]{3}-[a-z]{4}-[a-z]{3}(?:\?|$)", RegexOptions.IgnoreCase)]
    private static partial Regex MeetPath();

    [GeneratedRegex(@"/(?:j\.php|meet/[\w.\-]+|join/[\w.\-]+|wbxmjs/joinservice/sites/[\w.\-]+/meeting/download/\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex WebexPath();
}
