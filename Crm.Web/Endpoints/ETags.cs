using System.Globalization;

namespace Crm.Web.Endpoints;

/// <summary>Strong ETags are the record's version: <c>"7"</c>.</summary>
public static class ETags
{
    public static string For(int version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>
    /// The version an If-Match header requires: null when absent or "*", -1 when it names no version we could
    /// have issued (which then fails the precondition, as RFC 9110 asks).
    /// </summary>
    public static int? IfMatch(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*") return null;
        var first = header.Split(',')[0].Trim();
        if (first.StartsWith("W/", StringComparison.Ordinal)) first = first[2..];
        return int.TryParse(first.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : -1;
    }

    /// <summary>True when the client already has this version (If-None-Match), so a 304 will do.</summary>
    public static bool IsCurrent(HttpRequest request, int version) =>
        request.Headers.IfNoneMatch.ToString().Split(',').Select(v => v.Trim()).Any(v => v == For(version) || v == "W/" + For(version) || v == "*");

    public static IResult Respond<T>(HttpContext context, T body, int version, int status = StatusCodes.Status200OK, string? location = null)
    {
        context.Response.Headers.ETag = For(version);
        if (status == StatusCodes.Status200OK && IsCurrent(context.Request, version)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return status == StatusCodes.Status201Created ? TypedResults.Created(location, body) : TypedResults.Ok(body);
    }
}
